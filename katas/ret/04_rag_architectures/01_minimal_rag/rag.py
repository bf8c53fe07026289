"""ret-04-1: a minimal RAG pipeline with citations. Edit this file; `grader check ret-04-1` tests it."""
from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from grader import lm

INSTRUCTION = "Answer the question using only the sources below. Cite every source you use as [id]."
CITATION = re.compile(r"\[([^\[\]\s]+)\]")   # a citation: an id in square brackets, no spaces inside


@lru_cache(maxsize=1)
def _all_speeches() -> tuple[str, ...]:
    return tuple(s.strip() for s in lm.corpus_text().split("\n\n") if s.strip())


def speeches(start: int, count: int) -> list[tuple[str, str]]:
    """Chunks of the tiny-Shakespeare corpus, one per speech (given, complete).

    A speech is "SPEAKER:\\nline\\nline..."; its id is "s" + its position in the corpus (7222 in all).

    Returns:
        [(chunk_id, text), ...] for speeches start .. start + count - 1.
    """
    every = _all_speeches()
    return [(f"s{i}", every[i]) for i in range(start, min(start + count, len(every)))]


def embed_texts(texts: list[str], dim: int = 256) -> np.ndarray:
    """A small lexical embedding (given, complete): hashed bag of lowercase words, log(1 + count).

    Not normalized. A text without words embeds to the zero vector.

    Shapes:
        returns: (len(texts), dim) float32
    """
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z']+", text.lower()):
            out[row, zlib.crc32(word.encode()) % dim] += 1.0
    return np.log1p(out)


class RagIndex:
    """An in-memory vector index of text chunks, searched by cosine similarity.

    `embed` maps a list of texts to a (n, d) float array (one row per text, not necessarily unit
    length); the index compares unit-length rows, so a score is the cosine between the query's and the
    chunk's embeddings (0 for a zero embedding).
    """

    def __init__(self, embed: Callable[[list[str]], np.ndarray]) -> None:
        raise NotImplementedError("RagIndex.__init__: keep embed; start with no chunks")

    def add(self, chunks: list[tuple[str, str]]) -> None:
        """Embed and store (chunk_id, text) pairs, after the ones already added.

        Raises:
            ValueError: if an id is already in the index or repeats within chunks (nothing is added then).
        """
        raise NotImplementedError("RagIndex.add: embed the texts in one call, normalize, append")

    def __len__(self) -> int:
        """The number of chunks stored."""
        raise NotImplementedError("RagIndex.__len__")

    def text(self, chunk_id: str) -> str:
        """The text stored under chunk_id (KeyError if there is none)."""
        raise NotImplementedError("RagIndex.text")

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """The min(k, len(self)) chunks most cosine-similar to the query, best first.

        Equal scores come out in the order the chunks were added.

        Returns:
            [(chunk_id, cosine as a Python float), ...]

        Raises:
            ValueError: if k < 0.
        """
        raise NotImplementedError("RagIndex.search: embed the query, score every chunk, keep the k best")


def build_prompt(question: str, sources: list[tuple[str, str]]) -> str:
    """The generator's prompt: the instruction, one line per source, then the question.

    Exactly (lines joined by "\\n"):
        INSTRUCTION
        <empty line>
        [id1] text1
        [id2] text2
        ...
        <empty line>
        Question: <question>
        Answer:
    A source's text is put on one line: every run of whitespace in it becomes one space and the ends
    are stripped. With no sources the two empty lines are kept and no source line appears.
    """
    raise NotImplementedError("build_prompt: instruction, one [id] line per source, the question")


def rag_answer(question: str, index: RagIndex, generate: Callable[[str], str], k: int = 3) -> dict:
    """Retrieve, prompt, generate, check the citations.

    Retrieves index.search(question, k), builds the prompt from those chunks in that order, calls
    generate(prompt) exactly once, and sorts the ids the answer cites (CITATION) into those that were
    retrieved and those that were not.

    Returns:
        {"answer": the generated text, "prompt": the prompt, "retrieved": [ids, best first],
         "citations": [cited ids that were retrieved], "invalid": [cited ids that were not]}
        Both citation lists are in order of first appearance in the answer, without repeats.
    """
    raise NotImplementedError("rag_answer: search, build_prompt, generate, then parse the citations")

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
    def __init__(self, embed: Callable[[list[str]], np.ndarray]) -> None:
        self.embed = embed
        self.ids: list[str] = []
        self.texts: dict[str, str] = {}
        self.vectors: np.ndarray | None = None

    def add(self, chunks: list[tuple[str, str]]) -> None:
        new_ids = [cid for cid, _ in chunks]
        if len(set(new_ids)) != len(new_ids) or any(cid in self.texts for cid in new_ids):
            raise ValueError("duplicate chunk id")
        if not chunks:
            return
        vecs = np.asarray(self.embed([text for _, text in chunks]))
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        vecs = vecs / np.where(norms == 0, 1, norms)
        self.vectors = vecs if self.vectors is None else np.concatenate([self.vectors, vecs])
        self.ids += new_ids
        self.texts.update(chunks)

    def __len__(self) -> int:
        return len(self.ids)

    def text(self, chunk_id: str) -> str:
        return self.texts[chunk_id]

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        if k < 0:
            raise ValueError(f"k must be >= 0, got {k}")
        if self.vectors is None:
            return []
        q = np.asarray(self.embed([query])).ravel()
        norm = np.linalg.norm(q)
        scores = self.vectors @ (q / norm if norm > 0 else q)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(self.ids[i], float(scores[i])) for i in order]


def build_prompt(question: str, sources: list[tuple[str, str]]) -> str:
    lines = [INSTRUCTION, ""]
    lines += [f"[{cid}] {' '.join(text.split())}" for cid, text in sources]
    lines += ["", f"Question: {question}", "Answer:"]
    return "\n".join(lines)


def rag_answer(question: str, index: RagIndex, generate: Callable[[str], str], k: int = 3) -> dict:
    hits = index.search(question, k)
    retrieved = [cid for cid, _ in hits]
    prompt = build_prompt(question, [(cid, index.text(cid)) for cid in retrieved])
    answer = generate(prompt)
    cited = list(dict.fromkeys(CITATION.findall(answer)))
    return {"answer": answer, "prompt": prompt, "retrieved": retrieved,
            "citations": [c for c in cited if c in retrieved],
            "invalid": [c for c in cited if c not in retrieved]}

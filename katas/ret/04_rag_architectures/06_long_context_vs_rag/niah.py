"""ret-04-6: long context vs RAG on a needle in a haystack. Edit this file; `grader check ret-04-6` tests it."""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from rank_bm25 import BM25Okapi

from grader import lm

PLACE, DECOY = "Zembla", "Quixar"     # the needle's place and a distractor's; neither occurs in the corpus


@lru_cache(maxsize=1)
def _lines() -> tuple[str, ...]:
    return tuple(ln.strip() for ln in lm.corpus_text().split("\n")
                 if len(ln.split()) >= 4 and not ln.rstrip().endswith(":"))


def haystack(n: int, needle_at: int, seed: int) -> tuple[list[str], str, str]:
    """A haystack of n sentences (given, complete): real lines of tiny Shakespeare, with the needle
    "The secret code of Zembla is <4 digits>." at index needle_at and a decoy sentence with another
    place and code elsewhere (when n > 1).

    Returns:
        (sentences, question, code): the question asks for Zembla's code; code is the right answer.
    """
    rng = np.random.default_rng(seed)
    lines = _lines()
    sentences = [lines[i] for i in rng.integers(0, len(lines), size=n)]
    code, decoy = (str(c) for c in rng.integers(1000, 10000, size=2))
    if n > 1:
        sentences[int(rng.choice([i for i in range(n) if i != needle_at]))] = f"The secret code of {DECOY} is {decoy}."
    sentences[needle_at] = f"The secret code of {PLACE} is {code}."
    return sentences, f"What is the secret code of {PLACE}?", code


def count_tokens(text: str) -> int:
    """Tokens as the experiment counts them: whitespace-separated words (given)."""
    return len(text.split())


def word_tokens(text: str) -> list[str]:
    """Lowercase alphanumeric words, what BM25 indexes (given)."""
    return re.findall(r"[a-z0-9]+", text.lower())


def read_answer(prompt: str) -> str | None:
    """A scripted reader (given): the code it finds for Zembla in the prompt, or None."""
    found = re.search(rf"secret code of {PLACE} is (\d+)", prompt)
    return found.group(1) if found else None


def bm25_scores(chunks: list[str], query: str) -> np.ndarray:
    """BM25 (rank_bm25.BM25Okapi, default k1 = 1.5, b = 0.75) score of every chunk for the query (given)."""
    return np.asarray(BM25Okapi([word_tokens(c) for c in chunks]).get_scores(word_tokens(query)))


def long_context_prompt(sentences: list[str], question: str, budget: int) -> str:
    """Fill a context window of `budget` tokens: the longest run of whole final sentences that fits.

    The prompt is " ".join(kept sentences) + "\\nQuestion: " + question, and its count_tokens must be
    <= budget; the kept sentences are the last ones of the haystack (the window slides to the end,
    as a model that reads the most recent text does). A prompt with no sentence is just
    "\\nQuestion: " + question.

    Raises:
        ValueError: if the question alone ("Question: " included) does not fit in the budget.
    """
    raise NotImplementedError("long_context_prompt: add sentences from the end while they fit")


def rag_prompt(sentences: list[str], question: str, chunk_size: int, k: int) -> str:
    """Retrieve the k best chunks with BM25 and put them in the prompt in document order.

    Chunk j is " ".join(sentences[j * chunk_size:(j + 1) * chunk_size]) (the last may be shorter);
    chunks are scored with bm25_scores(chunks, question); the k highest scores are kept (equal
    scores: the earlier chunk first; all chunks if k exceeds their number) and joined by " " in
    their original order, followed by "\\nQuestion: " + question.

    Raises:
        ValueError: if chunk_size < 1 or k < 1.
    """
    raise NotImplementedError("rag_prompt: chunk, score with bm25_scores, keep the top k, restore document order")


def niah_sweep(n: int, depths: list[float], budget: int, chunk_size: int, k: int, seed: int = 0) -> dict:
    """Run both strategies on one haystack per depth and average accuracy and prompt size.

    For each depth d in [0, 1] the needle sits at index round(d * (n - 1)) of haystack(n, index, seed + i)
    (i the depth's position in the list). Each strategy's prompt is answered by read_answer;
    the answer is correct when it equals the code. Token cost is count_tokens(prompt).

    Returns:
        {"long_accuracy": float, "rag_accuracy": float, "long_tokens": float, "rag_tokens": float}
        accuracies as fractions of the depths, token costs as means over them.

    Raises:
        ValueError: if depths is empty or a depth is outside [0, 1].
    """
    raise NotImplementedError("niah_sweep: per depth, build the haystack, prompt both ways, read, count")

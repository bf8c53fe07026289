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
    tail = "\nQuestion: " + question
    used = count_tokens(tail)
    if used > budget:
        raise ValueError(f"the question alone takes {used} tokens, more than the budget {budget}")
    start = len(sentences)
    while start > 0 and used + count_tokens(sentences[start - 1]) <= budget:
        start -= 1
        used += count_tokens(sentences[start])
    return " ".join(sentences[start:]) + tail


def rag_prompt(sentences: list[str], question: str, chunk_size: int, k: int) -> str:
    if chunk_size < 1 or k < 1:
        raise ValueError(f"chunk_size and k must be >= 1, got {chunk_size}, {k}")
    chunks = [" ".join(sentences[i:i + chunk_size]) for i in range(0, len(sentences), chunk_size)]
    scores = bm25_scores(chunks, question)
    best = np.argsort(-scores, kind="stable")[:k]
    return " ".join(chunks[j] for j in sorted(best)) + "\nQuestion: " + question


def niah_sweep(n: int, depths: list[float], budget: int, chunk_size: int, k: int, seed: int = 0) -> dict:
    if not depths or any(not 0 <= d <= 1 for d in depths):
        raise ValueError("depths must be a non-empty list of values in [0, 1]")
    results = {"long": [], "rag": []}
    for i, d in enumerate(depths):
        sentences, question, code = haystack(n, round(d * (n - 1)), seed + i)
        for name, prompt in (("long", long_context_prompt(sentences, question, budget)),
                             ("rag", rag_prompt(sentences, question, chunk_size, k))):
            results[name].append((read_answer(prompt) == code, count_tokens(prompt)))
    return {f"{name}_{what}": float(np.mean([r[j] for r in rows]))
            for name, rows in results.items() for j, what in ((0, "accuracy"), (1, "tokens"))}

"""Plausible wrong long-context / RAG experiment code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from niah import bm25_scores, count_tokens, haystack, long_context_prompt, rag_prompt, read_answer


@pitfall(replaces="long_context_prompt", why="keeps the first sentences that fit instead of the last ones")
def keeps_prefix(sentences: list[str], question: str, budget: int) -> str:
    tail = "\nQuestion: " + question
    used = count_tokens(tail)
    if used > budget:
        raise ValueError("budget")
    end = 0
    while end < len(sentences) and used + count_tokens(sentences[end]) <= budget:
        used += count_tokens(sentences[end])
        end += 1
    return " ".join(sentences[:end]) + tail


@pitfall(replaces="long_context_prompt", why="fills the budget with sentences and forgets the question's own tokens")
def question_not_counted(sentences: list[str], question: str, budget: int) -> str:
    tail = "\nQuestion: " + question
    if count_tokens(tail) > budget:
        raise ValueError("budget")
    used, start = 0, len(sentences)
    while start > 0 and used + count_tokens(sentences[start - 1]) <= budget:
        start -= 1
        used += count_tokens(sentences[start])
    return " ".join(sentences[start:]) + tail


@pitfall(replaces="long_context_prompt", why="stops while the prompt is strictly below the budget: one sentence short at the boundary")
def strict_budget(sentences: list[str], question: str, budget: int) -> str:
    tail = "\nQuestion: " + question
    used = count_tokens(tail)
    if used > budget:
        raise ValueError("budget")
    start = len(sentences)
    while start > 0 and used + count_tokens(sentences[start - 1]) < budget:
        start -= 1
        used += count_tokens(sentences[start])
    return " ".join(sentences[start:]) + tail


@pitfall(replaces="rag_prompt", why="puts the retrieved chunks in score order, not document order")
def score_order(sentences: list[str], question: str, chunk_size: int, k: int) -> str:
    if chunk_size < 1 or k < 1:
        raise ValueError("sizes")
    chunks = [" ".join(sentences[i:i + chunk_size]) for i in range(0, len(sentences), chunk_size)]
    best = np.argsort(-bm25_scores(chunks, question), kind="stable")[:k]
    return " ".join(chunks[j] for j in best) + "\nQuestion: " + question


@pitfall(replaces="rag_prompt", why="reverses an ascending sort: among equal scores the later chunk wins")
def later_ties(sentences: list[str], question: str, chunk_size: int, k: int) -> str:
    if chunk_size < 1 or k < 1:
        raise ValueError("sizes")
    chunks = [" ".join(sentences[i:i + chunk_size]) for i in range(0, len(sentences), chunk_size)]
    best = np.argsort(bm25_scores(chunks, question), kind="stable")[::-1][:k]
    return " ".join(chunks[j] for j in sorted(best)) + "\nQuestion: " + question


@pitfall(replaces="rag_prompt", why="drops the short last chunk (only whole chunks of chunk_size sentences)")
def whole_chunks_only(sentences: list[str], question: str, chunk_size: int, k: int) -> str:
    if chunk_size < 1 or k < 1:
        raise ValueError("sizes")
    chunks = [" ".join(sentences[i:i + chunk_size]) for i in range(0, len(sentences) - chunk_size + 1, chunk_size)]
    if not chunks:
        return "\nQuestion: " + question
    best = np.argsort(-bm25_scores(chunks, question), kind="stable")[:k]
    return " ".join(chunks[j] for j in sorted(best)) + "\nQuestion: " + question


@pitfall(replaces="niah_sweep", why="uses the same seed for every depth: one haystack, the needle moved around")
def same_seed(n: int, depths: list[float], budget: int, chunk_size: int, k: int, seed: int = 0) -> dict:
    if not depths or any(not 0 <= d <= 1 for d in depths):
        raise ValueError("depths")
    rows = {"long": [], "rag": []}
    for d in depths:
        sentences, question, code = haystack(n, round(d * (n - 1)), seed)
        for name, prompt in (("long", long_context_prompt(sentences, question, budget)),
                             ("rag", rag_prompt(sentences, question, chunk_size, k))):
            rows[name].append((read_answer(prompt) == code, count_tokens(prompt)))
    return {f"{name}_{what}": float(np.mean([r[j] for r in v])) for name, v in rows.items()
            for j, what in ((0, "accuracy"), (1, "tokens"))}


@pitfall(replaces="niah_sweep", why="counts only the context's tokens, not the question's")
def context_tokens_only(n: int, depths: list[float], budget: int, chunk_size: int, k: int, seed: int = 0) -> dict:
    if not depths or any(not 0 <= d <= 1 for d in depths):
        raise ValueError("depths")
    rows = {"long": [], "rag": []}
    for i, d in enumerate(depths):
        sentences, question, code = haystack(n, round(d * (n - 1)), seed + i)
        for name, prompt in (("long", long_context_prompt(sentences, question, budget)),
                             ("rag", rag_prompt(sentences, question, chunk_size, k))):
            rows[name].append((read_answer(prompt) == code, count_tokens(prompt.split("\nQuestion: ")[0])))
    return {f"{name}_{what}": float(np.mean([r[j] for r in v])) for name, v in rows.items()
            for j, what in ((0, "accuracy"), (1, "tokens"))}

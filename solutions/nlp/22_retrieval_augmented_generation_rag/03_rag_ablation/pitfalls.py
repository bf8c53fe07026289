"""Plausible wrong versions of the RAG ablation that the tests must reject."""
from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from rag_ablation import (
        STRATEGIES,
        build_context,
        lexical_retrieve,
        phrase_rerank,
        rag_answer,
        read_answer,
    )


@pitfall(replaces="build_context", why="drop_passages skips a passage that does not fit and keeps trying later ones")
def skip_and_continue(passages: Sequence[str], budget: int, strategy: str) -> str:
    if budget < 0 or strategy not in STRATEGIES:
        raise ValueError("bad")
    if strategy != "drop_passages":
        return build_context(passages, budget, strategy)
    kept: list[str] = []
    for p in passages:
        if len("\n".join(kept + [p])) <= budget:
            kept.append(p)
    return "\n".join(kept)


@pitfall(replaces="build_context", why="per_passage forgets the separators: share = budget // n")
def share_ignores_separators(passages: Sequence[str], budget: int, strategy: str) -> str:
    if budget < 0 or strategy not in STRATEGIES:
        raise ValueError("bad")
    if strategy != "per_passage" or not passages:
        return build_context(passages, budget, strategy)
    return "\n".join(p[: budget // len(passages)] for p in passages)[:budget]


@pitfall(replaces="build_context", why="drop_passages does not count the separators")
def no_separator_cost(passages: Sequence[str], budget: int, strategy: str) -> str:
    if budget < 0 or strategy not in STRATEGIES:
        raise ValueError("bad")
    if strategy != "drop_passages":
        return build_context(passages, budget, strategy)
    kept, used = [], 0
    for p in passages:
        if used + len(p) > budget:
            break
        kept.append(p)
        used += len(p)
    return "\n".join(kept)


@pitfall(replaces="rag_answer", why="reranks after building the context (the reranker's order never matters)")
def rerank_too_late(question: str, passages: Sequence[str], k: int, rerank: bool, budget: int, strategy: str,
                    retrieve: Callable = lexical_retrieve, reranker: Callable = phrase_rerank,
                    reader: Callable = read_answer) -> str | None:
    ids = retrieve(question, passages, k)
    context = build_context([passages[i] for i in ids], budget, strategy)
    if rerank:
        reranker(question, passages, ids)
    return reader(question, context)


@pitfall(replaces="ablate", why="keys ordered (rerank, k, strategy)")
def wrong_order(passages: Sequence[str], questions: Sequence[str], answers: Sequence[str], ks: Sequence[int],
                budget: int) -> dict[tuple[int, bool, str], float]:
    table = {}
    for rerank, k, strategy in itertools.product((False, True), ks, STRATEGIES):
        table[(k, rerank, strategy)] = float(np.mean([rag_answer(q, passages, k, rerank, budget, strategy) == a
                                                      for q, a in zip(questions, answers, strict=True)]))
    return table

"""Plausible wrong PR curves and cost counters that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pr_latency import CallCounter, retrieve_then_rerank


@pitfall(replaces="pr_curve", why="one point per item instead of per distinct score (ties split)")
def per_item(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    labels, scores = np.asarray(labels), np.asarray(scores, dtype=np.float64)
    if labels.sum() == 0:
        raise ValueError("no positives")
    order = np.argsort(-scores, kind="stable")
    tps = np.cumsum(labels[order])
    fps = np.arange(1, len(order) + 1) - tps
    return (np.r_[(tps / (tps + fps))[::-1], 1.0], np.r_[(tps / tps[-1])[::-1], 0.0], scores[order][::-1])


@pitfall(replaces="pr_curve", why="no final (precision 1, recall 0) point")
def no_endpoint(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p, r, t = _sol(labels, scores)
    return p[:-1], r[:-1], t


def _sol(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    labels, scores = np.asarray(labels), np.asarray(scores, dtype=np.float64)
    if labels.sum() == 0:
        raise ValueError("no positives")
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order].astype(np.float64)
    last = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]
    tps = np.cumsum(y)[last]
    fps = (last + 1) - tps
    return np.r_[(tps / (tps + fps))[::-1], 1.0], np.r_[(tps / tps[-1])[::-1], 0.0], s[last][::-1]


@pitfall(replaces="average_precision", why="trapezoidal area under the curve instead of the step sum")
def trapezoid(labels: np.ndarray, scores: np.ndarray) -> float:
    p, r, _ = _sol(labels, scores)
    return float(-np.sum(np.diff(r) * (p[:-1] + p[1:]) / 2))


@pitfall(replaces="rerank_cost", why="overhead as rerank / retrieval (forgets that retrieval still happens)")
def ratio_only(n_queries: int, k: int, query_cost: float, pair_cost: float) -> dict[str, float]:
    if k < 0 or n_queries < 1:
        raise ValueError("sizes")
    r, rr = n_queries * query_cost, n_queries * k * pair_cost
    return {"retrieval": r, "rerank": rr, "overhead": rr / r}


@pitfall(replaces="measure_rerank_cost", why="counts calls instead of scored rows")
def counts_calls(encode_query: Callable, passage_vectors: np.ndarray, score_pairs: Callable, queries: np.ndarray,
                 passages: np.ndarray, k: int) -> dict[str, int]:
    enc, pairs = CallCounter(encode_query), CallCounter(score_pairs)
    retrieve_then_rerank(enc, passage_vectors, pairs, queries, passages, k)
    return {"query_encodings": enc.calls, "pairs_scored": pairs.calls, "calls": enc.calls + pairs.calls}

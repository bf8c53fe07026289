"""Reference solution for nlp-24-2."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def pr_curve(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    labels, scores = np.asarray(labels), np.asarray(scores, dtype=np.float64)
    if labels.sum() == 0:
        raise ValueError("no positive labels")
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order].astype(np.float64)
    last = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]     # last index of each distinct score
    tps = np.cumsum(y)[last]
    fps = (last + 1) - tps
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], s[last][::-1]


def average_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    precision, recall, _ = pr_curve(labels, scores)
    return float(-np.sum(np.diff(recall) * precision[:-1]))


class CallCounter:
    """Given: wraps a scoring function and counts calls and scored items (rows of the first argument)."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn, self.calls, self.items = fn, 0, 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        self.items += len(args[0])
        return self.fn(*args)


def rerank_cost(n_queries: int, k: int, query_cost: float, pair_cost: float) -> dict[str, float]:
    if k < 0 or n_queries < 1:
        raise ValueError(f"need n_queries >= 1 and k >= 0, got {n_queries=}, {k=}")
    retrieval = n_queries * query_cost
    rerank = n_queries * k * pair_cost
    return {"retrieval": retrieval, "rerank": rerank, "overhead": (retrieval + rerank) / retrieval}


def retrieve_then_rerank(encode_query: Callable, passage_vectors: np.ndarray, score_pairs: Callable,
                         queries: np.ndarray, passages: np.ndarray, k: int) -> np.ndarray:
    """Given: bi-encoder top-k by inner product (one batched encode_query call), then the candidates reordered
    by score_pairs(query rows, passage rows) (one batched call over all n * k pairs; skipped when k = 0)."""
    q = encode_query(queries)
    cand = np.argsort(-(q @ passage_vectors.T), axis=1, kind="stable")[:, :k]
    if k == 0:
        return cand
    s = np.asarray(score_pairs(np.repeat(queries, k, axis=0), passages[cand.reshape(-1)])).reshape(len(queries), k)
    return np.take_along_axis(cand, np.argsort(-s, axis=1, kind="stable"), 1)


def measure_rerank_cost(encode_query: Callable, passage_vectors: np.ndarray, score_pairs: Callable,
                        queries: np.ndarray, passages: np.ndarray, k: int) -> dict[str, int]:
    enc, pairs = CallCounter(encode_query), CallCounter(score_pairs)
    retrieve_then_rerank(enc, passage_vectors, pairs, queries, passages, k)
    return {"query_encodings": enc.items, "pairs_scored": pairs.items, "calls": enc.calls + pairs.calls}


def plot_pr_curves(curves: dict[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    fig, ax = plt.subplots(figsize=(5, 4))
    for name, (precision, recall) in curves.items():
        ax.step(recall, precision, where="post", label=name)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.legend()
    return fig

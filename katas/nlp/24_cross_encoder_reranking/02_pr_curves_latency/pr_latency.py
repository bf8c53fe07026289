"""nlp-24-2: precision-recall curves and the latency overhead of reranking. Edit this file;
`grader check nlp-24-2` tests it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_pr_curves)
import numpy as np
from matplotlib.figure import Figure


def pr_curve(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision-recall curve exactly as sklearn.metrics.precision_recall_curve (drop_intermediate=False):
    thresholds = the distinct scores in increasing order; precision[i], recall[i] of predicting positive every
    item with score >= thresholds[i]; then a final point precision 1, recall 0. Inputs not modified.

    Shapes:
        labels (n,) in {0, 1}, scores (n,)  ->  precision (t + 1,), recall (t + 1,), thresholds (t,)

    Raises:
        ValueError: if no label is positive.
    """
    raise NotImplementedError("pr_curve: sort by score, cumulative true/false positives at each distinct score")


def average_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    """AP = sum_n (R_n - R_{n-1}) P_n over the points of pr_curve (sklearn's average_precision_score)."""
    raise NotImplementedError("average_precision: step-wise area under the PR curve")


class CallCounter:
    """Given: wraps a scoring function and counts calls and scored items (rows of the first argument)."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn, self.calls, self.items = fn, 0, 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        self.items += len(args[0])
        return self.fn(*args)


def rerank_cost(n_queries: int, k: int, query_cost: float, pair_cost: float) -> dict[str, float]:
    """Cost model of retrieve-then-rerank: "retrieval" = n_queries * query_cost (one bi-encoder encoding per
    query; the index search is folded into it), "rerank" = n_queries * k * pair_cost (one cross-encoder pass per
    candidate), "overhead" = (retrieval + rerank) / retrieval.

    Raises:
        ValueError: if n_queries < 1 or k < 0.
    """
    raise NotImplementedError("rerank_cost: linear in queries, and in k for the reranker")


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
    """Run the given retrieve_then_rerank with both models wrapped in CallCounter and report
    {"query_encodings": rows encoded, "pairs_scored": pairs scored, "calls": calls of both models together}."""
    raise NotImplementedError("measure_rerank_cost: wrap, run, read the counters")


def plot_pr_curves(curves: dict[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    """One step line per curve (name -> (precision, recall)), labelled with its name, recall on x
    (label "recall"), precision on y (label "precision"), with a legend."""
    raise NotImplementedError("plot_pr_curves: ax.step(recall, precision, where='post') per curve")

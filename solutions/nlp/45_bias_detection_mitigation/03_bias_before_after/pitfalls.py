"""Plausible wrong bias evaluations that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="direct_bias", why="no absolute value: words biased in opposite directions cancel out")
def signed(W: np.ndarray, g: np.ndarray, c: float = 1.0) -> float:
    g = np.asarray(g, dtype=np.float64)
    if len(W) == 0 or not np.any(g) or c < 0:
        raise ValueError("bad")
    W = np.asarray(W, dtype=np.float64)
    cos = W @ g / (np.linalg.norm(W, axis=1) * np.linalg.norm(g))
    return float(np.mean(np.sign(cos) * np.abs(cos) ** c))


@pitfall(replaces="direct_bias", why="projection length w . g_hat instead of the cosine: long vectors count more")
def projection_not_cosine(W: np.ndarray, g: np.ndarray, c: float = 1.0) -> float:
    g = np.asarray(g, dtype=np.float64)
    if len(W) == 0 or not np.any(g) or c < 0:
        raise ValueError("bad")
    return float(np.mean(np.abs(np.asarray(W, dtype=np.float64) @ (g / np.linalg.norm(g))) ** c))


@pitfall(replaces="neighbourhood_retention", why="counts each word as its own nearest neighbour")
def includes_self(before: np.ndarray, after: np.ndarray, k: int) -> float:
    n = len(before)
    if len(after) != n or not 1 <= k <= n - 1:
        raise ValueError("bad")

    def nbrs(E: np.ndarray) -> list[set[int]]:
        U = E / np.linalg.norm(E, axis=1, keepdims=True)
        return [set(row[:k].tolist()) for row in np.argsort(-(U @ U.T), axis=1, kind="stable")]

    return float(np.mean([len(a & b) / k for a, b in zip(nbrs(before), nbrs(after), strict=True)]))


@pitfall(replaces="neighbourhood_retention", why="Jaccard of the two neighbour sets instead of the fraction of the k kept")
def jaccard(before: np.ndarray, after: np.ndarray, k: int) -> float:
    n = len(before)
    if len(after) != n or not 1 <= k <= n - 1:
        raise ValueError("bad")

    def nbrs(E: np.ndarray) -> list[set[int]]:
        U = E / np.linalg.norm(E, axis=1, keepdims=True)
        sims = U @ U.T
        np.fill_diagonal(sims, -np.inf)
        return [set(row[:k].tolist()) for row in np.argsort(-sims, axis=1, kind="stable")]

    return float(np.mean([len(a & b) / len(a | b) for a, b in zip(nbrs(before), nbrs(after), strict=True)]))

"""Plausible wrong WEAT implementations that the tests must reject."""
from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from weat import association


@pitfall(replaces="association", why="dot products instead of cosines: long vectors dominate")
def dot_products(W: np.ndarray, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    if len(A) == 0 or len(B) == 0:
        raise ValueError("empty")
    W, A, B = (np.asarray(M, dtype=np.float64) for M in (W, A, B))
    return (W @ A.T).mean(axis=1) - (W @ B.T).mean(axis=1)


@pitfall(replaces="association", why="cosine to the mean vector of A (and of B) instead of the mean of the cosines")
def cosine_to_centroid(W: np.ndarray, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    if len(A) == 0 or len(B) == 0:
        raise ValueError("empty")

    def cos(M: np.ndarray, v: np.ndarray) -> np.ndarray:
        return M @ v / (np.linalg.norm(M, axis=1) * np.linalg.norm(v))

    W = np.asarray(W, dtype=np.float64)
    return cos(W, np.mean(A, axis=0)) - cos(W, np.mean(B, axis=0))


@pitfall(replaces="weat_effect_size", why="population standard deviation (ddof=0) in the denominator")
def population_std(X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray) -> float:
    if len(X) == 0 or len(Y) == 0:
        raise ValueError("empty")
    sx, sy = association(X, A, B), association(Y, A, B)
    return float((sx.mean() - sy.mean()) / np.concatenate([sx, sy]).std())


@pitfall(replaces="weat_effect_size", why="pooled within-group std (Cohen's d) instead of the std over X u Y")
def cohens_d(X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray) -> float:
    if len(X) == 0 or len(Y) == 0:
        raise ValueError("empty")
    sx, sy = association(X, A, B), association(Y, A, B)
    pooled = np.sqrt((sx.var(ddof=1) * (len(sx) - 1) + sy.var(ddof=1) * (len(sy) - 1)) / (len(sx) + len(sy) - 2))
    return float((sx.mean() - sy.mean()) / pooled)


@pitfall(replaces="weat_p_value", why="counts partitions with S >= S(X, Y): the observed one always counts")
def counts_ties(X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray,
                n_permutations: int | None = None, seed: int = 0) -> float:
    if len(X) != len(Y) or len(X) == 0 or (n_permutations is not None and n_permutations < 1):
        raise ValueError("sizes")
    n = len(X)
    s = association(np.concatenate([X, Y]), A, B)
    if n_permutations is None:
        parts = np.array(list(combinations(range(2 * n), n)))
    else:
        rng = np.random.default_rng(seed)
        parts = np.array([np.sort(rng.permutation(2 * n)[:n]) for _ in range(n_permutations)])
    return float(np.mean(s[parts].sum(axis=1) >= s[:n].sum()))


@pitfall(replaces="weat_p_value", why="two-sided: compares |S(X_i, Y_i)| with |S(X, Y)|")
def two_sided(X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray,
              n_permutations: int | None = None, seed: int = 0) -> float:
    if len(X) != len(Y) or len(X) == 0 or (n_permutations is not None and n_permutations < 1):
        raise ValueError("sizes")
    n = len(X)
    s = association(np.concatenate([X, Y]), A, B)
    total = s.sum()
    if n_permutations is None:
        parts = np.array(list(combinations(range(2 * n), n)))
    else:
        rng = np.random.default_rng(seed)
        parts = np.array([np.sort(rng.permutation(2 * n)[:n]) for _ in range(n_permutations)])
    stats = 2 * s[parts].sum(axis=1) - total
    return float(np.mean(np.abs(stats) > abs(2 * s[:n].sum() - total)))


@pitfall(replaces="weat_p_value", why="Monte Carlo permutations from the global np.random, not the seeded generator")
def global_rng(X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray,
               n_permutations: int | None = None, seed: int = 0) -> float:
    if len(X) != len(Y) or len(X) == 0 or (n_permutations is not None and n_permutations < 1):
        raise ValueError("sizes")
    n = len(X)
    s = association(np.concatenate([X, Y]), A, B)
    if n_permutations is None:
        parts = np.array(list(combinations(range(2 * n), n)))
    else:
        parts = np.array([np.sort(np.random.permutation(2 * n)[:n]) for _ in range(n_permutations)])
    return float(np.mean(s[parts].sum(axis=1) > s[:n].sum()))

"""Plausible wrong debiasing implementations that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="bias_direction", why="no centring: the top singular vector of the raw pair vectors is their common direction, not the difference")
def uncentred(pairs: np.ndarray) -> np.ndarray:
    pairs = np.asarray(pairs, dtype=np.float64)
    if len(pairs) == 0:
        raise ValueError("no pairs")
    _, _, vt = np.linalg.svd(pairs.reshape(-1, pairs.shape[-1]), full_matrices=False)
    g = vt[0]
    return g if g @ (pairs[:, 0] - pairs[:, 1]).sum(axis=0) >= 0 else -g


@pitfall(replaces="bias_direction", why="the normalised mean difference of the pairs instead of their principal component")
def mean_difference(pairs: np.ndarray) -> np.ndarray:
    pairs = np.asarray(pairs, dtype=np.float64)
    if len(pairs) == 0:
        raise ValueError("no pairs")
    g = (pairs[:, 0] - pairs[:, 1]).mean(axis=0)
    return g / np.linalg.norm(g)


@pitfall(replaces="bias_direction", why="returns the singular vector with whatever sign the SVD gives")
def unsigned(pairs: np.ndarray) -> np.ndarray:
    pairs = np.asarray(pairs, dtype=np.float64)
    if len(pairs) == 0:
        raise ValueError("no pairs")
    centred = pairs - pairs.mean(axis=1, keepdims=True)
    return np.linalg.svd(centred.reshape(-1, pairs.shape[-1]), full_matrices=False)[2][0]


@pitfall(replaces="neutralize", why="projects on g without normalising it: wrong unless |g| = 1")
def unnormalised_g(W: np.ndarray, g: np.ndarray) -> np.ndarray:
    g = np.asarray(g, dtype=np.float64)
    if not np.any(g):
        raise ValueError("zero g")
    W = np.asarray(W, dtype=np.float64)
    return W - np.outer(W @ g, g)


@pitfall(replaces="neutralize", why="subtracts the projection in place: the caller's embeddings are changed")
def in_place(W: np.ndarray, g: np.ndarray) -> np.ndarray:
    g = np.asarray(g, dtype=np.float64)
    if not np.any(g):
        raise ValueError("zero g")
    g_hat = g / np.linalg.norm(g)
    W -= np.outer(W @ g_hat, g_hat)
    return W


@pitfall(replaces="equalize", why="neutralizes both words and stops: they coincide and lose unit length")
def neutralize_only(u: np.ndarray, v: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g_hat = np.asarray(g, dtype=np.float64) / np.linalg.norm(g)
    if u @ g_hat == v @ g_hat:
        raise ValueError("same component")
    m = (np.asarray(u, dtype=np.float64) + v) / 2
    nu = m - (m @ g_hat) * g_hat
    return nu.copy(), nu.copy()


@pitfall(replaces="equalize", why="keeps each word's own orthogonal part: the pair is not equidistant from neutral words")
def own_orthogonal(u: np.ndarray, v: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g_hat = np.asarray(g, dtype=np.float64) / np.linalg.norm(g)
    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    if u @ g_hat == v @ g_hat:
        raise ValueError("same component")
    m_b = ((u + v) / 2 @ g_hat) * g_hat
    out = []
    for w in (u, v):
        nu = w - (w @ g_hat) * g_hat
        d = (w @ g_hat) * g_hat - m_b
        out.append(nu + np.sqrt(max(1 - nu @ nu, 0.0)) * d / np.linalg.norm(d))
    return out[0], out[1]


@pitfall(replaces="counterfactual_augment", why="swaps one way only (a -> b): the copy has no a and twice the b")
def one_way(sentences: list[list[str]], pairs: list[tuple[str, str]]) -> list[list[str]]:
    seen: set[str] = set()
    for a, b in pairs:
        if a in seen or b in seen or a == b:
            raise ValueError("ambiguous")
        seen |= {a, b}
    swap = dict(pairs)
    return [list(s) for s in sentences] + [[swap.get(w, w) for w in s] for s in sentences]


@pitfall(replaces="counterfactual_augment", why="returns only the swapped copies: the original corpus is lost")
def copies_only(sentences: list[list[str]], pairs: list[tuple[str, str]]) -> list[list[str]]:
    swap: dict[str, str] = {}
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            if x in swap:
                raise ValueError("ambiguous")
            swap[x] = y
    return [[swap.get(w, w) for w in s] for s in sentences]

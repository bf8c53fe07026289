"""Reference solution for arch-04-5."""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp


def wasserstein_1d(u_values: np.ndarray, v_values: np.ndarray, u_weights: np.ndarray | None = None,
                   v_weights: np.ndarray | None = None, p: float = 1.0) -> float:
    if p < 1:
        raise ValueError(f"p must be >= 1, got {p}")
    dists = []
    for values, weights in ((u_values, u_weights), (v_values, v_weights)):
        values = np.asarray(values)
        weights = np.ones(len(values)) if weights is None else np.asarray(weights)
        if weights.shape != values.shape or np.any(weights < 0) or weights.sum() <= 0:   # empty: sum 0
            raise ValueError("need non-empty values with matching non-negative weights of positive total")
        order = np.argsort(values, kind="stable")
        cdf = np.cumsum(weights[order])
        dists.append((values[order], cdf / cdf[-1]))   # ends at exactly 1.0
    (us, uc), (vs, vc) = dists
    levels = np.unique(np.concatenate([uc, vc]))
    widths = np.diff(levels, prepend=0.0)
    qu = us[np.searchsorted(uc, levels, side="left")]
    qv = vs[np.searchsorted(vc, levels, side="left")]
    return float(np.sum(widths * np.abs(qu - qv) ** p) ** (1 / p))


def sinkhorn(a: np.ndarray, b: np.ndarray, cost: np.ndarray, epsilon: float, max_iter: int = 1000,
             tol: float = 1e-9) -> tuple[np.ndarray, int]:
    a, b, cost = np.asarray(a), np.asarray(b), np.asarray(cost)
    if cost.shape != (len(a), len(b)):
        raise ValueError(f"cost must be ({len(a)}, {len(b)}), got {cost.shape}")
    if np.any(a <= 0) or np.any(b <= 0) or not np.isclose(a.sum(), b.sum(), rtol=1e-9, atol=0):
        raise ValueError("a and b must be positive with equal total mass")
    if epsilon <= 0 or max_iter < 1:
        raise ValueError("epsilon and max_iter must be positive")
    f, g = np.zeros(len(a)), np.zeros(len(b))
    it = 0
    while it < max_iter:
        it += 1
        f = epsilon * np.log(a) - epsilon * logsumexp((g[None, :] - cost) / epsilon, axis=1)
        g = epsilon * np.log(b) - epsilon * logsumexp((f[:, None] - cost) / epsilon, axis=0)
        plan = np.exp((f[:, None] + g[None, :] - cost) / epsilon)
        if np.abs(plan.sum(axis=1) - a).sum() <= tol:
            break
    return plan, it

"""Plausible wrong Wasserstein and Sinkhorn code that the tests must reject."""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from grader.pitfalls import pitfall


def _check_side(values: np.ndarray, weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(values, dtype=np.float64)
    weights = np.ones(len(values)) if weights is None else np.asarray(weights, dtype=np.float64)
    if len(values) == 0 or weights.shape != values.shape or np.any(weights < 0) or weights.sum() <= 0:
        raise ValueError("bad side")
    return values, weights


@pitfall(replaces="wasserstein_1d", why="compares the sorted samples pairwise, ignoring weights and unequal sizes")
def sorted_pairing(u_values: np.ndarray, v_values: np.ndarray, u_weights: np.ndarray | None = None,
                   v_weights: np.ndarray | None = None, p: float = 1.0) -> float:
    if p < 1:
        raise ValueError("p")
    u, _ = _check_side(u_values, u_weights)
    v, _ = _check_side(v_values, v_weights)
    n = min(len(u), len(v))
    return float(np.mean(np.abs(np.sort(u)[:n] - np.sort(v)[:n]) ** p) ** (1 / p))


@pitfall(replaces="wasserstein_1d", why="integrates |F_u - F_v| over x for every p (that is W_1 only)")
def cdf_difference_for_every_p(u_values: np.ndarray, v_values: np.ndarray, u_weights: np.ndarray | None = None,
                               v_weights: np.ndarray | None = None, p: float = 1.0) -> float:
    if p < 1:
        raise ValueError("p")
    u, uw = _check_side(u_values, u_weights)
    v, vw = _check_side(v_values, v_weights)
    xs = np.sort(np.concatenate([u, v]))
    fu = np.array([uw[u <= x].sum() for x in xs[:-1]]) / uw.sum()
    fv = np.array([vw[v <= x].sum() for x in xs[:-1]]) / vw.sum()
    return float(np.sum(np.abs(fu - fv) * np.diff(xs)))


@pitfall(replaces="wasserstein_1d", why="forgets the 1/p root: returns W_p^p")
def no_root(u_values: np.ndarray, v_values: np.ndarray, u_weights: np.ndarray | None = None,
            v_weights: np.ndarray | None = None, p: float = 1.0) -> float:
    if p < 1:
        raise ValueError("p")
    out = []
    for values, weights in ((u_values, u_weights), (v_values, v_weights)):
        values, weights = _check_side(values, weights)
        order = np.argsort(values, kind="stable")
        out.append((values[order], np.cumsum(weights[order]) / weights.sum()))
    (us, uc), (vs, vc) = out
    levels = np.unique(np.concatenate([uc, vc]))
    qu = us[np.minimum(np.searchsorted(uc, levels), len(us) - 1)]
    qv = vs[np.minimum(np.searchsorted(vc, levels), len(vs) - 1)]
    return float(np.sum(np.diff(levels, prepend=0.0) * np.abs(qu - qv) ** p))


def _validate(a: np.ndarray, b: np.ndarray, cost: np.ndarray, epsilon: float, max_iter: int) -> None:
    if np.shape(cost) != (len(a), len(b)) or np.any(np.asarray(a) <= 0) or np.any(np.asarray(b) <= 0):
        raise ValueError("bad inputs")
    if not np.isclose(np.sum(a), np.sum(b), rtol=1e-9, atol=0) or epsilon <= 0 or max_iter < 1:
        raise ValueError("bad inputs")


@pitfall(replaces="sinkhorn", why="scaling form with K = exp(-C / eps): underflows to 0/0 for small eps")
def kernel_space(a: np.ndarray, b: np.ndarray, cost: np.ndarray, epsilon: float, max_iter: int = 1000,
                 tol: float = 1e-9) -> tuple[np.ndarray, int]:
    _validate(a, b, cost, epsilon, max_iter)
    k = np.exp(-np.asarray(cost) / epsilon)
    v = np.ones(len(b))
    with np.errstate(divide="ignore", invalid="ignore"):
        it = 0
        while it < max_iter:
            it += 1
            u = a / (k @ v)
            v = b / (k.T @ u)
            plan = u[:, None] * k * v[None, :]
            if np.abs(plan.sum(axis=1) - a).sum() <= tol:
                break
    return plan, it


@pitfall(replaces="sinkhorn", why="drops eps from the logsumexp: logsumexp(g - C) instead of logsumexp((g - C) / eps)")
def eps_outside(a: np.ndarray, b: np.ndarray, cost: np.ndarray, epsilon: float, max_iter: int = 1000,
                tol: float = 1e-9) -> tuple[np.ndarray, int]:
    _validate(a, b, cost, epsilon, max_iter)
    f, g = np.zeros(len(a)), np.zeros(len(b))
    it = 0
    while it < max_iter:
        it += 1
        f = epsilon * np.log(a) - epsilon * logsumexp(g[None, :] - cost, axis=1)
        g = epsilon * np.log(b) - epsilon * logsumexp(f[:, None] - cost, axis=0)
        plan = np.exp((f[:, None] + g[None, :] - cost) / epsilon)
        if np.abs(plan.sum(axis=1) - a).sum() <= tol:
            break
    return plan, it


@pitfall(replaces="sinkhorn", why="updates g before f: the plan's rows, not its columns, come out exact")
def columns_first(a: np.ndarray, b: np.ndarray, cost: np.ndarray, epsilon: float, max_iter: int = 1000,
                  tol: float = 1e-9) -> tuple[np.ndarray, int]:
    _validate(a, b, cost, epsilon, max_iter)
    f, g = np.zeros(len(a)), np.zeros(len(b))
    it = 0
    while it < max_iter:
        it += 1
        g = epsilon * np.log(b) - epsilon * logsumexp((f[:, None] - cost) / epsilon, axis=0)
        f = epsilon * np.log(a) - epsilon * logsumexp((g[None, :] - cost) / epsilon, axis=1)
        plan = np.exp((f[:, None] + g[None, :] - cost) / epsilon)
        if np.abs(plan.sum(axis=0) - b).sum() <= tol:
            break
    return plan, it


@pitfall(replaces="sinkhorn", why="checks convergence before the update: runs one iteration too many")
def one_extra_iteration(a: np.ndarray, b: np.ndarray, cost: np.ndarray, epsilon: float, max_iter: int = 1000,
                        tol: float = 1e-9) -> tuple[np.ndarray, int]:
    _validate(a, b, cost, epsilon, max_iter)
    f, g = np.zeros(len(a)), np.zeros(len(b))
    done = False
    it = 0
    while it < max_iter:
        it += 1
        f = epsilon * np.log(a) - epsilon * logsumexp((g[None, :] - cost) / epsilon, axis=1)
        g = epsilon * np.log(b) - epsilon * logsumexp((f[:, None] - cost) / epsilon, axis=0)
        plan = np.exp((f[:, None] + g[None, :] - cost) / epsilon)
        if done:
            break
        done = np.abs(plan.sum(axis=1) - a).sum() <= tol
    return plan, it

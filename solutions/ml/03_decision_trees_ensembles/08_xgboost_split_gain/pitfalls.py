"""Plausible wrong XGBoost split maths that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from xgb_split import SplitInfo, leaf_weight, split_gain


@pitfall(replaces="logistic_grad_hess", why="gradient sign flipped: y - p (the negative gradient)")
def flipped_gradient(y: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = 1.0 / (1.0 + np.exp(-np.asarray(raw, dtype=np.float64)))
    return np.asarray(y, dtype=np.float64) - p, p * (1.0 - p)


@pitfall(replaces="logistic_grad_hess", why="Hessian of the squared error (1 everywhere) instead of p (1 - p)")
def unit_hessian(y: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = 1.0 / (1.0 + np.exp(-np.asarray(raw, dtype=np.float64)))
    return p - np.asarray(y, dtype=np.float64), np.ones_like(p)


@pitfall(replaces="leaf_weight", why="forgets the minus sign: G / (H + lambda)")
def positive_weight(G: np.ndarray | float, H: np.ndarray | float, reg_lambda: float) -> np.ndarray | float:
    return np.asarray(G, dtype=np.float64) / (np.asarray(H, dtype=np.float64) + reg_lambda)


@pitfall(replaces="leaf_objective", why="drops the 1/2: -G^2 / (H + lambda)")
def no_half(G: np.ndarray | float, H: np.ndarray | float, reg_lambda: float) -> np.ndarray | float:
    G = np.asarray(G, dtype=np.float64)
    return -G * G / (np.asarray(H, dtype=np.float64) + reg_lambda)


@pitfall(replaces="split_gain", why="forgets lambda in the parent's term: (G_L + G_R)^2 / (H_L + H_R)")
def parent_without_lambda(G_L: np.ndarray | float, H_L: np.ndarray | float, G_R: np.ndarray | float,
                          H_R: np.ndarray | float, reg_lambda: float, gamma: float = 0.0) -> np.ndarray | float:
    G_L, H_L, G_R, H_R = (np.asarray(v, dtype=np.float64) for v in (G_L, H_L, G_R, H_R))
    return 0.5 * (G_L ** 2 / (H_L + reg_lambda) + G_R ** 2 / (H_R + reg_lambda)
                  - (G_L + G_R) ** 2 / (H_L + H_R)) - gamma


@pitfall(replaces="split_gain", why="never subtracts gamma")
def no_gamma(G_L: np.ndarray | float, H_L: np.ndarray | float, G_R: np.ndarray | float, H_R: np.ndarray | float,
             reg_lambda: float, gamma: float = 0.0) -> np.ndarray | float:
    G_L, H_L, G_R, H_R = (np.asarray(v, dtype=np.float64) for v in (G_L, H_L, G_R, H_R))
    return 0.5 * (G_L ** 2 / (H_L + reg_lambda) + G_R ** 2 / (H_R + reg_lambda)
                  - (G_L + G_R) ** 2 / (H_L + H_R + reg_lambda))


@pitfall(replaces="best_split", why="min_child_weight compared with the number of rows instead of the Hessian sum")
def child_weight_in_rows(X: np.ndarray, g: np.ndarray, h: np.ndarray, reg_lambda: float = 1.0, gamma: float = 0.0,
                         min_child_weight: float = 1.0) -> SplitInfo | None:
    X, g, h = np.asarray(X, dtype=np.float64), np.asarray(g, dtype=np.float64), np.asarray(h, dtype=np.float64)
    n = len(g)
    best = None
    for j in range(X.shape[1]):
        o = np.argsort(X[:, j], kind="stable")
        xs = X[o, j]
        GL, HL = np.cumsum(g[o])[:-1], np.cumsum(h[o])[:-1]
        nl = np.arange(1, n)
        valid = (xs[1:] > xs[:-1]) & (nl >= min_child_weight) & (n - nl >= min_child_weight)
        if not valid.any():
            continue
        gains = np.where(valid, split_gain(GL, HL, g.sum() - GL, h.sum() - HL, reg_lambda, gamma), -np.inf)
        k = int(np.argmax(gains))
        if gains[k] > 0 and (best is None or gains[k] > best.gain):
            best = SplitInfo(j, float(xs[k] / 2 + xs[k + 1] / 2), float(gains[k]),
                             float(leaf_weight(GL[k], HL[k], reg_lambda)),
                             float(leaf_weight(g.sum() - GL[k], h.sum() - HL[k], reg_lambda)))
    return best


@pitfall(replaces="best_split", why="tries every sorted position, also between equal values (splits a tie apart)")
def splits_ties(X: np.ndarray, g: np.ndarray, h: np.ndarray, reg_lambda: float = 1.0, gamma: float = 0.0,
                min_child_weight: float = 1.0) -> SplitInfo | None:
    X, g, h = np.asarray(X, dtype=np.float64), np.asarray(g, dtype=np.float64), np.asarray(h, dtype=np.float64)
    best = None
    for j in range(X.shape[1]):
        o = np.argsort(X[:, j], kind="stable")
        xs = X[o, j]
        GL, HL = np.cumsum(g[o])[:-1], np.cumsum(h[o])[:-1]
        valid = (HL >= min_child_weight) & (h.sum() - HL >= min_child_weight)
        if not valid.any():
            continue
        gains = np.where(valid, split_gain(GL, HL, g.sum() - GL, h.sum() - HL, reg_lambda, gamma), -np.inf)
        k = int(np.argmax(gains))
        if gains[k] > 0 and (best is None or gains[k] > best.gain):
            best = SplitInfo(j, float(xs[k] / 2 + xs[k + 1] / 2), float(gains[k]),
                             float(leaf_weight(GL[k], HL[k], reg_lambda)),
                             float(leaf_weight(g.sum() - GL[k], h.sum() - HL[k], reg_lambda)))
    return best


def _xgb_search(X: np.ndarray, g: np.ndarray, h: np.ndarray, reg_lambda: float, gamma: float,
                min_child_weight: float, *, ties_last: bool = False, zero_ok: bool = False) -> SplitInfo | None:
    X, g, h = np.asarray(X, dtype=np.float64), np.asarray(g, dtype=np.float64), np.asarray(h, dtype=np.float64)
    G, H = g.sum(), h.sum()
    best = None
    for j in range(X.shape[1]):
        order = np.argsort(X[:, j], kind="stable")
        xs = X[order, j]
        GL, HL = np.cumsum(g[order])[:-1], np.cumsum(h[order])[:-1]
        GR, HR = G - GL, H - HL
        valid = (xs[1:] > xs[:-1]) & (HL >= min_child_weight) & (HR >= min_child_weight)
        gains = split_gain(GL, HL, GR, HR, reg_lambda, gamma)
        for k in np.flatnonzero(valid):
            better = (gains[k] >= 0 if zero_ok else gains[k] > 0) and (
                best is None or (gains[k] >= best.gain if ties_last else gains[k] > best.gain))
            if better:
                best = SplitInfo(j, float(xs[k] / 2 + xs[k + 1] / 2), float(gains[k]),
                                 float(leaf_weight(GL[k], HL[k], reg_lambda)), float(leaf_weight(GR[k], HR[k], reg_lambda)))
    return best


@pitfall(replaces="best_split", why="keeps a later split of equal gain (>=): ties go to the last feature and threshold")
def xgb_ties_to_last(X: np.ndarray, g: np.ndarray, h: np.ndarray, reg_lambda: float = 1.0, gamma: float = 0.0,
                     min_child_weight: float = 1.0) -> SplitInfo | None:
    return _xgb_search(X, g, h, reg_lambda, gamma, min_child_weight, ties_last=True)


@pitfall(replaces="best_split", why="accepts a split whose gain is exactly 0 (>= 0 instead of > 0)")
def xgb_zero_gain_split(X: np.ndarray, g: np.ndarray, h: np.ndarray, reg_lambda: float = 1.0, gamma: float = 0.0,
                        min_child_weight: float = 1.0) -> SplitInfo | None:
    return _xgb_search(X, g, h, reg_lambda, gamma, min_child_weight, zero_ok=True)

"""Plausible wrong versions of L2 logistic regression and its boundary that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from l2_logistic import ProbabilisticClassifier, _sigmoid


@pitfall(replaces="objective", why="penalizes the intercept too: ½(‖w‖² + b²)")
def penalized_intercept(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[float, np.ndarray, float]:
    z = X @ w + b
    r = _sigmoid(z) - y
    value = C * float(np.sum(np.logaddexp(0.0, z) - y * z)) + 0.5 * float(w @ w + b * b)
    return value, C * (X.T @ r) + w, C * float(r.sum()) + b


@pitfall(replaces="objective", why="C multiplies the penalty (a regularization strength) instead of the loss")
def c_on_the_penalty(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[float, np.ndarray, float]:
    z = X @ w + b
    r = _sigmoid(z) - y
    value = float(np.sum(np.logaddexp(0.0, z) - y * z)) + 0.5 * C * float(w @ w)
    return value, X.T @ r + C * w, float(r.sum())


@pitfall(replaces="objective", why="averages the log-loss over samples: the same as using C/n")
def mean_loss(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[float, np.ndarray, float]:
    n = len(y)
    z = X @ w + b
    r = _sigmoid(z) - y
    value = C * float(np.mean(np.logaddexp(0.0, z) - y * z)) + 0.5 * float(w @ w)
    return value, C * (X.T @ r) / n + w, C * float(r.mean())


@pitfall(replaces="decision_boundary", why="drops the minus sign: y = (b + w₀x)/w₁")
def boundary_sign_flipped(coef: np.ndarray, intercept: np.ndarray, xlim: tuple[float, float],
                          ylim: tuple[float, float], num: int = 100) -> np.ndarray:
    (w0, w1), b = np.asarray(coef, dtype=np.float64).reshape(2), float(np.asarray(intercept).reshape(-1)[0])
    if w0 == 0 and w1 == 0:
        raise ValueError("no boundary")
    if abs(w1) >= abs(w0):
        xs = np.linspace(xlim[0], xlim[1], num)
        return np.column_stack([xs, (b + w0 * xs) / w1])
    ys = np.linspace(ylim[0], ylim[1], num)
    return np.column_stack([(b + w1 * ys) / w0, ys])


@pitfall(replaces="decision_boundary", why="always solves for y: divides by w₁ ≈ 0 for a near-vertical boundary")
def always_solve_for_y(coef: np.ndarray, intercept: np.ndarray, xlim: tuple[float, float],
                       ylim: tuple[float, float], num: int = 100) -> np.ndarray:
    (w0, w1), b = np.asarray(coef, dtype=np.float64).reshape(2), float(np.asarray(intercept).reshape(-1)[0])
    if w0 == 0 and w1 == 0:
        raise ValueError("no boundary")
    xs = np.linspace(xlim[0], xlim[1], num)
    with np.errstate(all="ignore"):
        return np.column_stack([xs, -(b + w0 * xs) / w1])


@pitfall(replaces="probability_grid", why="np.meshgrid(..., indexing='ij'): the grid comes out transposed")
def grid_ij_indexing(model: ProbabilisticClassifier, xlim: tuple[float, float], ylim: tuple[float, float],
                     nx: int = 60, ny: int = 50) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xx, yy = np.meshgrid(np.linspace(xlim[0], xlim[1], nx), np.linspace(ylim[0], ylim[1], ny), indexing="ij")
    P = np.asarray(model.predict_proba(np.column_stack([xx.ravel(), yy.ravel()])))[:, 1].reshape(nx, ny)
    return xx, yy, P


@pitfall(replaces="probability_grid", why="returns P(y=0), the first predict_proba column")
def grid_wrong_column(model: ProbabilisticClassifier, xlim: tuple[float, float], ylim: tuple[float, float],
                      nx: int = 60, ny: int = 50) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xx, yy = np.meshgrid(np.linspace(xlim[0], xlim[1], nx), np.linspace(ylim[0], ylim[1], ny))
    P = np.asarray(model.predict_proba(np.column_stack([xx.ravel(), yy.ravel()])))[:, 0].reshape(ny, nx)
    return xx, yy, P

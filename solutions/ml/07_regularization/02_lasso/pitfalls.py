"""Plausible wrong versions of the lasso that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from lasso import Lasso, soft_threshold


@pitfall(replaces="soft_threshold", why="sign(x) * (|x| - t) without the max(., 0): small values flip sign")
def no_clip(x: np.ndarray, t: float) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return np.sign(x) * (np.abs(x) - t)


@pitfall(replaces="soft_threshold", why="hard thresholding: keeps x unshrunk when |x| > t")
def hard_threshold(x: np.ndarray, t: float) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return np.where(np.abs(x) > t, x, 0.0)


def _cd(self: Lasso, X: np.ndarray, y: np.ndarray, *, per_sample: bool = True, divide: bool = True,
        centre_x: bool = True) -> Lasso:
    if self.alpha < 0:
        raise ValueError("alpha must be >= 0")
    n, d = X.shape
    x_mean = X.mean(axis=0) if self.fit_intercept and centre_x else np.zeros(d)
    y_mean = float(y.mean()) if self.fit_intercept else 0.0
    Xc, yc = X - x_mean, y - y_mean
    scale = n if per_sample else 1.0
    col_sq = np.einsum("ij,ij->j", Xc, Xc) / scale
    w, r = np.zeros(d), yc.copy()
    self.n_iter_ = self.max_iter
    for sweep in range(1, self.max_iter + 1):
        max_step = 0.0
        for j in range(d):
            if col_sq[j] == 0.0:
                continue
            rho = Xc[:, j] @ r / scale + col_sq[j] * w[j]
            new = float(soft_threshold(rho, self.alpha)) / (col_sq[j] if divide else 1.0)
            r -= Xc[:, j] * (new - w[j])
            max_step = max(max_step, abs(new - w[j]))
            w[j] = new
        if max_step <= self.tol or not np.isfinite(max_step):
            self.n_iter_ = sweep
            break
    self.coef_ = w
    self.intercept_ = float(y_mean - x_mean @ w)
    return self


@pitfall(replaces="Lasso.fit", why="drops the 1/n: thresholds x_j^T r at alpha instead of n * alpha")
def forgets_n(self: Lasso, X: np.ndarray, y: np.ndarray) -> Lasso:
    return _cd(self, X, y, per_sample=False)


@pitfall(replaces="Lasso.fit", why="never divides by ||x_j||^2 / n (assumes standardised columns)")
def no_column_norm(self: Lasso, X: np.ndarray, y: np.ndarray) -> Lasso:
    with np.errstate(all="ignore"):
        return _cd(self, X, y, divide=False)


@pitfall(replaces="Lasso.fit", why="centres y but not X, so intercept_ = mean(y)")
def centres_y_only(self: Lasso, X: np.ndarray, y: np.ndarray) -> Lasso:
    return _cd(self, X, y, centre_x=False)


@pitfall(replaces="Lasso.fit", why="fit_intercept=False uses y itself as the residual r (no copy): coordinate descent then rewrites the caller's y")
def residual_aliases_y(self: Lasso, X: np.ndarray, y: np.ndarray) -> Lasso:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if self.alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {self.alpha}")
    n, d = X.shape
    if self.fit_intercept:
        x_mean, y_mean = X.mean(axis=0), float(y.mean())
        Xc, yc = X - x_mean, y - y_mean
    else:  # nothing to centre: use the caller's arrays as they are
        x_mean, y_mean = np.zeros(d), 0.0
        Xc, yc = X, y
    col_sq = np.einsum("ij,ij->j", Xc, Xc) / n  # ||x_j||^2 / n
    w = np.zeros(d)
    r = yc  # no copy: without an intercept this IS the caller's y, updated in place below
    self.n_iter_ = self.max_iter
    for sweep in range(1, self.max_iter + 1):
        max_step = 0.0
        for j in range(d):
            if col_sq[j] == 0.0:
                continue
            rho = Xc[:, j] @ r / n + col_sq[j] * w[j]  # x_j^T (r + x_j w_j) / n
            new = float(soft_threshold(rho, self.alpha)) / col_sq[j]
            if new != w[j]:
                r -= Xc[:, j] * (new - w[j])
                max_step = max(max_step, abs(new - w[j]))
                w[j] = new
        if max_step <= self.tol:
            self.n_iter_ = sweep
            break
    self.coef_ = w
    self.intercept_ = float(y_mean - x_mean @ w)
    return self

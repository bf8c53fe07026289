"""Plausible wrong versions of the elastic net that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from elastic_net import ElasticNet, soft_threshold


def _cd(self: ElasticNet, X: np.ndarray, y: np.ndarray, *, l2_factor: float = 1.0, swap: bool = False,
        rescale: bool = False) -> ElasticNet:
    if self.alpha < 0 or not 0.0 <= self.l1_ratio <= 1.0:
        raise ValueError("bad arguments")
    n, d = X.shape
    x_mean = X.mean(axis=0) if self.fit_intercept else np.zeros(d)
    y_mean = float(y.mean()) if self.fit_intercept else 0.0
    Xc, yc = X - x_mean, y - y_mean
    col_sq = np.einsum("ij,ij->j", Xc, Xc) / n
    ratio = 1.0 - self.l1_ratio if swap else self.l1_ratio
    l1, l2 = self.alpha * ratio, self.alpha * (1.0 - ratio) * l2_factor
    w, r = np.zeros(d), yc.copy()
    self.n_iter_ = self.max_iter
    for sweep in range(1, self.max_iter + 1):
        max_step = 0.0
        for j in range(d):
            if col_sq[j] == 0.0:
                continue
            rho = Xc[:, j] @ r / n + col_sq[j] * w[j]
            new = float(soft_threshold(rho, l1)) / (col_sq[j] + l2)
            r -= Xc[:, j] * (new - w[j])
            max_step = max(max_step, abs(new - w[j]))
            w[j] = new
        if max_step <= self.tol:
            self.n_iter_ = sweep
            break
    if rescale:  # Zou & Hastie's (1 + lambda_2) correction of the "naive" elastic net
        w = w * (1.0 + self.alpha * (1.0 - self.l1_ratio))
    self.coef_ = w
    self.intercept_ = float(y_mean - x_mean @ w)
    return self


@pitfall(replaces="ElasticNet.fit", why="L2 penalty alpha (1 - l1_ratio) ||w||^2 without the 1/2: twice the shrinkage")
def l2_without_half(self: ElasticNet, X: np.ndarray, y: np.ndarray) -> ElasticNet:
    return _cd(self, X, y, l2_factor=2.0)


@pitfall(replaces="ElasticNet.fit", why="l1_ratio weights the L2 part and 1 - l1_ratio the L1 part")
def swapped_ratio(self: ElasticNet, X: np.ndarray, y: np.ndarray) -> ElasticNet:
    return _cd(self, X, y, swap=True)


@pitfall(replaces="ElasticNet.fit", why="applies Zou & Hastie's (1 + lambda_2) rescaling, which sklearn's objective does not have")
def naive_rescaled(self: ElasticNet, X: np.ndarray, y: np.ndarray) -> ElasticNet:
    return _cd(self, X, y, rescale=True)


@pitfall(replaces="ElasticNet.fit", why="L2 term not divided by n: adds alpha (1 - l1_ratio) to ||x_j||^2, not to ||x_j||^2 / n")
def l2_on_sum_scale(self: ElasticNet, X: np.ndarray, y: np.ndarray) -> ElasticNet:
    if self.alpha < 0 or not 0.0 <= self.l1_ratio <= 1.0:
        raise ValueError("bad arguments")
    n, d = X.shape
    x_mean = X.mean(axis=0) if self.fit_intercept else np.zeros(d)
    y_mean = float(y.mean()) if self.fit_intercept else 0.0
    Xc, yc = X - x_mean, y - y_mean
    col_sq = np.einsum("ij,ij->j", Xc, Xc)
    w, r = np.zeros(d), yc.copy()
    for _ in range(self.max_iter):
        max_step = 0.0
        for j in range(d):
            if col_sq[j] == 0.0:
                continue
            rho = Xc[:, j] @ r + col_sq[j] * w[j]
            new = float(soft_threshold(rho, n * self.alpha * self.l1_ratio)) / (
                col_sq[j] + self.alpha * (1.0 - self.l1_ratio))
            r -= Xc[:, j] * (new - w[j])
            max_step = max(max_step, abs(new - w[j]))
            w[j] = new
        if max_step <= self.tol:
            break
    self.coef_ = w
    self.intercept_ = float(y_mean - x_mean @ w)
    self.n_iter_ = 0
    return self

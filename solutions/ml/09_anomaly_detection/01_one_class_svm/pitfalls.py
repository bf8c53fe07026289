"""Plausible wrong One-Class SVMs that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ocsvm import OneClassSVM, intercept_from_kkt, rbf_kernel, solve_dual


@pitfall(replaces="OneClassSVM.fit", why="the paper's scaling (alphas sum to 1, bounded by 1/(nu n)) instead of libsvm's")
def paper_scaling(self: OneClassSVM, X: np.ndarray) -> OneClassSVM:
    X = np.asarray(X, dtype=np.float64)
    if not 0 < self.nu <= 1:
        raise ValueError("bad nu")
    K = rbf_kernel(X, X, self.gamma)
    alpha = solve_dual(K, self.nu)
    self.rho_ = intercept_from_kkt(K @ alpha, alpha) / (self.nu * len(X))
    self.support_ = np.flatnonzero(alpha > 1e-8)
    self.dual_coef_ = alpha[self.support_] / (self.nu * len(X))
    self.support_vectors_ = X[self.support_]
    self.intercept_ = -self.rho_
    return self


@pitfall(replaces="intercept_from_kkt", why="rho averaged over every support vector, including those at the upper bound")
def rho_over_all_svs(grad: np.ndarray, alpha: np.ndarray, tol: float = 1e-6) -> float:
    return float(grad[alpha > tol].mean())


@pitfall(replaces="rbf_kernel", why="exp(-gamma * ||x - y||): the distance is not squared")
def unsquared_distance(A: np.ndarray, B: np.ndarray, gamma: float) -> np.ndarray:
    sq = (A * A).sum(1)[:, None] + (B * B).sum(1)[None, :] - 2 * A @ B.T
    return np.exp(-gamma * np.sqrt(np.maximum(sq, 0.0)))


@pitfall(replaces="OneClassSVM.predict", why="returns 1/0 labels instead of +1/-1")
def zero_one_labels(self: OneClassSVM, X: np.ndarray) -> np.ndarray:
    return (self.decision_function(X) > 0).astype(int)


@pitfall(replaces="OneClassSVM.fit", why="rejects nu = 1 (0 < nu < 1 instead of 0 < nu <= 1)")
def rejects_nu_one(self: OneClassSVM, X: np.ndarray) -> OneClassSVM:
    X = np.asarray(X, dtype=np.float64)
    if not 0 < self.nu < 1:
        raise ValueError(f"nu must be in (0, 1), got {self.nu}")
    K = rbf_kernel(X, X, self.gamma)
    alpha = solve_dual(K, self.nu)
    self.rho_ = intercept_from_kkt(K @ alpha, alpha)
    self.support_ = np.flatnonzero(alpha > 1e-8)
    self.dual_coef_ = alpha[self.support_]
    self.support_vectors_ = X[self.support_]
    self.intercept_ = -self.rho_
    return self

"""Reference solution for ml-09-1."""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize


def rbf_kernel(A: np.ndarray, B: np.ndarray, gamma: float) -> np.ndarray:
    sq = (A * A).sum(1)[:, None] + (B * B).sum(1)[None, :] - 2 * A @ B.T
    return np.exp(-gamma * np.maximum(sq, 0.0))


def solve_dual(K: np.ndarray, nu: float) -> np.ndarray:
    n = K.shape[0]
    total = nu * n
    res = minimize(lambda a: 0.5 * a @ K @ a, np.full(n, total / n), jac=lambda a: K @ a, method="SLSQP",
                   bounds=[(0.0, 1.0)] * n,
                   constraints=[{"type": "eq", "fun": lambda a: a.sum() - total, "jac": lambda a: np.ones(n)}],
                   options={"ftol": 1e-15, "maxiter": 2000})
    alpha = np.clip(res.x, 0.0, 1.0)
    # Polish: with the active set fixed, the optimality conditions are a linear system.
    upper, lower = alpha > 1 - 1e-6, alpha < 1e-6
    free = ~upper & ~lower
    if free.any():
        F, U = np.flatnonzero(free), np.flatnonzero(upper)
        m = len(F)
        A = np.zeros((m + 1, m + 1))
        A[:m, :m] = K[np.ix_(F, F)]
        A[:m, m] = -1.0
        A[m, :m] = 1.0
        b = np.concatenate([-K[np.ix_(F, U)].sum(1), [total - len(U)]])
        try:
            sol = np.linalg.solve(A, b)
        except np.linalg.LinAlgError:
            sol = None
        if sol is not None and np.all(sol[:m] > 0) and np.all(sol[:m] < 1):
            cand = np.zeros(n)
            cand[U] = 1.0
            cand[F] = sol[:m]
            if 0.5 * cand @ K @ cand <= 0.5 * alpha @ K @ alpha + 1e-12 * max(1.0, total):
                alpha = cand
    return alpha


def intercept_from_kkt(grad: np.ndarray, alpha: np.ndarray, tol: float = 1e-6) -> float:
    upper, lower = alpha >= 1 - tol, alpha <= tol
    free = ~upper & ~lower
    if free.any():
        return float(grad[free].mean())
    lb = grad[upper].max() if upper.any() else -np.inf
    ub = grad[lower].min() if lower.any() else np.inf
    return float((lb + ub) / 2)


class OneClassSVM:
    def __init__(self, nu: float = 0.5, gamma: float = 1.0) -> None:
        self.nu = nu
        self.gamma = gamma

    def fit(self, X: np.ndarray) -> OneClassSVM:
        X = np.asarray(X, dtype=np.float64)
        if not 0 < self.nu <= 1:
            raise ValueError(f"nu must be in (0, 1], got {self.nu}")
        K = rbf_kernel(X, X, self.gamma)
        alpha = solve_dual(K, self.nu)
        self.rho_ = intercept_from_kkt(K @ alpha, alpha)
        self.support_ = np.flatnonzero(alpha > 1e-8)
        self.dual_coef_ = alpha[self.support_]
        self.support_vectors_ = X[self.support_]
        self.intercept_ = -self.rho_
        return self

    def score_samples(self, X: np.ndarray) -> np.ndarray:
        return rbf_kernel(np.asarray(X, dtype=np.float64), self.support_vectors_, self.gamma) @ self.dual_coef_

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return self.score_samples(X) - self.rho_

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.where(self.decision_function(X) > 0, 1, -1)

"""Reference solution for ml-05-5."""
from __future__ import annotations

import numpy as np


def kernel_matrix(X: np.ndarray, Y: np.ndarray, kernel: str = "linear", gamma: float = 1.0) -> np.ndarray:
    """(n, m) Gram matrix between the rows of X and Y: "linear" x.y or "rbf" exp(-gamma ||x - y||^2) (given)."""
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    if kernel == "linear":
        return X @ Y.T
    if kernel == "rbf":
        return np.exp(-gamma * ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1))
    raise ValueError(f"unknown kernel {kernel!r}")


def clip_bounds(alpha_i: float, alpha_j: float, y_i: float, y_j: float, C: float) -> tuple[float, float]:
    if y_i != y_j:
        return max(0.0, alpha_j - alpha_i), min(C, C + alpha_j - alpha_i)
    return max(0.0, alpha_i + alpha_j - C), min(C, alpha_i + alpha_j)


def dual_objective(alpha: np.ndarray, y: np.ndarray, K: np.ndarray) -> float:
    ay = alpha * y
    return float(alpha.sum() - 0.5 * ay @ K @ ay)


def index_sets(alpha: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks (I_up, I_low) of the indices that may move up / down along y (given)."""
    up = ((alpha < C) & (y > 0)) | ((alpha > 0) & (y < 0))
    low = ((alpha < C) & (y < 0)) | ((alpha > 0) & (y > 0))
    return up, low


def select_working_pair(alpha: np.ndarray, y: np.ndarray, grad: np.ndarray, C: float) -> tuple[int, int, float]:
    score = -y * grad
    up, low = index_sets(alpha, y, C)
    i = int(np.flatnonzero(up)[np.argmax(score[up])])
    j = int(np.flatnonzero(low)[np.argmin(score[low])])
    return i, j, float(score[i] - score[j])


def compute_intercept(alpha: np.ndarray, y: np.ndarray, grad: np.ndarray, C: float) -> float:
    score = -y * grad
    free = (alpha > 0) & (alpha < C)
    if free.any():
        return float(score[free].mean())
    up, low = index_sets(alpha, y, C)
    return float((score[up].max() + score[low].min()) / 2)


class SMOSVC:
    def __init__(self, C: float = 1.0, kernel: str = "linear", gamma: float = 1.0, tol: float = 1e-8,
                 max_iter: int = 20_000) -> None:
        self.C = C
        self.kernel = kernel
        self.gamma = gamma
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, X: np.ndarray, y: np.ndarray) -> SMOSVC:
        X = np.asarray(X, dtype=np.float64)
        self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        if len(self.classes_) != 2:
            raise ValueError(f"SMOSVC is a binary classifier, got {len(self.classes_)} classes")
        s = np.where(codes == 1, 1.0, -1.0)
        C = self.C
        K = kernel_matrix(X, X, self.kernel, self.gamma)
        Q = s[:, None] * s[None, :] * K
        alpha = np.zeros(len(s))
        grad = -np.ones(len(s))  # gradient of 1/2 a^T Q a - sum(a)
        self.dual_objective_history_ = [0.0]
        self.n_iter_ = 0
        for _ in range(self.max_iter):
            i, j, gap = select_working_pair(alpha, s, grad, C)
            if gap < self.tol:
                break
            eta = max(K[i, i] + K[j, j] - 2 * K[i, j], 1e-12)
            L, H = clip_bounds(alpha[i], alpha[j], s[i], s[j], C)
            e_i, e_j = s[i] * grad[i], s[j] * grad[j]  # f(x) - y, up to the intercept (it cancels)
            a_j = min(max(alpha[j] + s[j] * (e_i - e_j) / eta, L), H)
            a_i = alpha[i] + s[i] * s[j] * (alpha[j] - a_j)
            snap = 1e-12 * C  # land exactly on the box: a leftover 1e-18 would block this pair forever
            a_i = 0.0 if a_i < snap else C if a_i > C - snap else a_i
            a_j = 0.0 if a_j < snap else C if a_j > C - snap else a_j
            grad += Q[:, i] * (a_i - alpha[i]) + Q[:, j] * (a_j - alpha[j])
            alpha[i], alpha[j] = a_i, a_j
            self.n_iter_ += 1
            self.dual_objective_history_.append(dual_objective(alpha, s, K))
        self.intercept_ = compute_intercept(alpha, s, grad, C)
        self.alpha_ = alpha
        self.support_ = np.flatnonzero(alpha > 0)
        self.support_vectors_ = X[self.support_]
        self.dual_coef_ = (alpha * s)[self.support_]
        if self.kernel == "linear":
            self.coef_ = self.dual_coef_ @ self.support_vectors_
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        K = kernel_matrix(X, self.support_vectors_, self.kernel, self.gamma)
        return K @ self.dual_coef_ + self.intercept_

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

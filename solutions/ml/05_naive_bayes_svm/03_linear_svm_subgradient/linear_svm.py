"""Reference solution for ml-05-3."""
from __future__ import annotations

import numpy as np


def svm_objective(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> float:
    margins = y * (X @ w + b)
    return float(0.5 * (w @ w + b * b) + C * np.maximum(0.0, 1.0 - margins).sum())


def svm_subgradient(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    margins = y * (X @ w + b)
    active = margins < 1.0
    g_w = w - C * (y[active] @ X[active])
    g_b = b - C * float(y[active].sum())
    return g_w, float(g_b)


class LinearSVM:
    def __init__(self, C: float = 1.0, n_iter: int = 1000) -> None:
        self.C = C
        self.n_iter = n_iter

    def fit(self, X: np.ndarray, y: np.ndarray) -> LinearSVM:
        X = np.asarray(X, dtype=np.float64)
        self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        if len(self.classes_) != 2:
            raise ValueError(f"LinearSVM is a binary classifier, got {len(self.classes_)} classes")
        s = np.where(codes == 1, 1.0, -1.0)
        w, b = np.zeros(X.shape[1]), 0.0
        best = (svm_objective(w, b, X, s, self.C), w.copy(), b)
        self.objective_history_ = [best[0]]
        for t in range(1, self.n_iter + 1):
            g_w, g_b = svm_subgradient(w, b, X, s, self.C)
            w, b = w - g_w / t, b - g_b / t
            obj = svm_objective(w, b, X, s, self.C)
            self.objective_history_.append(obj)
            if obj < best[0]:
                best = (obj, w.copy(), b)
        self.objective_, self.coef_, self.intercept_ = best
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.coef_ + self.intercept_

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

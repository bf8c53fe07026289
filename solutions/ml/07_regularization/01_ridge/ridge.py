"""Reference solution for ml-07-1."""
from __future__ import annotations

import numpy as np


def ridge_loss_and_grad(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray,
                        alpha: float) -> tuple[float, np.ndarray, float]:
    r = y - X @ w - b
    loss = float(r @ r + alpha * (w @ w))
    grad_w = -2.0 * X.T @ r + 2.0 * alpha * w
    grad_b = float(-2.0 * r.sum())
    return loss, grad_w, grad_b


class Ridge:
    """Ridge regression: min ||y - X w - b||^2 + alpha ||w||^2 (the intercept is not penalised)."""

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True, solver: str = "closed_form",
                 max_iter: int = 20000, tol: float = 1e-9) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> Ridge:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if self.alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {self.alpha}")
        if self.solver == "closed_form":
            self._fit_closed_form(X, y)
        elif self.solver == "gd":
            self._fit_gd(X, y)
        else:
            raise ValueError(f"solver must be 'closed_form' or 'gd', got {self.solver!r}")
        return self

    def _fit_closed_form(self, X: np.ndarray, y: np.ndarray) -> None:
        if self.fit_intercept:
            x_mean, y_mean = X.mean(axis=0), y.mean()
        else:
            x_mean, y_mean = np.zeros(X.shape[1]), 0.0
        Xc, yc = X - x_mean, y - y_mean
        A = Xc.T @ Xc + self.alpha * np.eye(X.shape[1])
        self.coef_ = np.linalg.solve(A, Xc.T @ yc)
        self.intercept_ = float(y_mean - x_mean @ self.coef_)

    def _fit_gd(self, X: np.ndarray, y: np.ndarray) -> None:
        Xt = np.hstack([X, np.ones((X.shape[0], 1))]) if self.fit_intercept else X
        lipschitz = 2.0 * (np.linalg.norm(Xt, 2) ** 2 + self.alpha)
        w, b = np.zeros(X.shape[1]), 0.0
        self.n_iter_ = self.max_iter
        for it in range(1, self.max_iter + 1):
            _, gw, gb = ridge_loss_and_grad(w, b, X, y, self.alpha)
            if not self.fit_intercept:
                gb = 0.0
            if max(np.abs(gw).max(initial=0.0), abs(gb)) <= self.tol:
                self.n_iter_ = it - 1
                break
            w = w - gw / lipschitz
            b = b - gb / lipschitz
        self.coef_, self.intercept_ = w, float(b)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.coef_ + self.intercept_

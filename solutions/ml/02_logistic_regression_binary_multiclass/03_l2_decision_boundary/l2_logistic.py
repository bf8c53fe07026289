"""Reference solution for ml-02-3."""
from __future__ import annotations

from typing import Protocol

import numpy as np
from matplotlib.figure import Figure


class ProbabilisticClassifier(Protocol):
    """Anything with sklearn's binary predict_proba (given)."""

    def predict_proba(self, X: np.ndarray) -> np.ndarray: ...


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def objective(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[float, np.ndarray, float]:
    X, y, w = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64), np.asarray(w, dtype=np.float64)
    z = X @ w + b
    r = _sigmoid(z) - y
    value = C * float(np.sum(np.logaddexp(0.0, z) - y * z)) + 0.5 * float(w @ w)
    return value, C * (X.T @ r) + w, C * float(r.sum())


class L2LogisticRegression:
    def __init__(self, C: float = 1.0, tol: float = 1e-8, max_iter: int = 100) -> None:
        self.C = C
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, X: np.ndarray, y: np.ndarray) -> L2LogisticRegression:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
        n, d = X.shape
        Xt = np.column_stack([X, np.ones(n)])
        penalty = np.append(np.ones(d), 0.0)  # the intercept is not penalized
        theta = np.zeros(d + 1)
        value, gw, gb = objective(theta[:d], theta[d], X, y, self.C)
        k = 0
        while k < self.max_iter:
            grad = np.append(gw, gb)
            if np.linalg.norm(grad) <= self.tol:
                break
            p = _sigmoid(Xt @ theta)
            hess = self.C * (Xt * (p * (1 - p))[:, None]).T @ Xt + np.diag(penalty)
            step = np.linalg.solve(hess, grad)
            # Backtracking (Armijo) keeps Newton from overshooting far from the optimum. Near it, F
            # changes by less than its own rounding error: the 1e-12·|F| slack accepts those full steps.
            t = 1.0
            while True:
                cand = theta - t * step
                new_value, new_gw, new_gb = objective(cand[:d], cand[d], X, y, self.C)
                if new_value <= value - 1e-4 * t * (grad @ step) + 1e-12 * abs(value) or t < 1e-10:
                    break
                t /= 2
            theta, value, gw, gb = cand, new_value, new_gw, new_gb
            k += 1
        self.coef_, self.intercept_, self.n_iter_ = theta[None, :d], theta[d:], k
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        p = _sigmoid(self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.decision_function(X) > 0).astype(int)


def decision_boundary(coef: np.ndarray, intercept: np.ndarray, xlim: tuple[float, float],
                      ylim: tuple[float, float], num: int = 100) -> np.ndarray:
    (w0, w1), b = np.asarray(coef, dtype=np.float64).reshape(2), float(np.asarray(intercept).reshape(-1)[0])
    if w0 == 0 and w1 == 0:
        raise ValueError("w = 0: the classifier has no decision boundary")
    if abs(w1) >= abs(w0):
        xs = np.linspace(xlim[0], xlim[1], num)
        return np.column_stack([xs, -(b + w0 * xs) / w1])
    ys = np.linspace(ylim[0], ylim[1], num)
    return np.column_stack([-(b + w1 * ys) / w0, ys])


def probability_grid(model: ProbabilisticClassifier, xlim: tuple[float, float], ylim: tuple[float, float],
                     nx: int = 60, ny: int = 50) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xx, yy = np.meshgrid(np.linspace(xlim[0], xlim[1], nx), np.linspace(ylim[0], ylim[1], ny))
    P = np.asarray(model.predict_proba(np.column_stack([xx.ravel(), yy.ravel()])))[:, 1].reshape(ny, nx)
    return xx, yy, P


def plot_decision_boundary(model: L2LogisticRegression, X: np.ndarray, y: np.ndarray, xlim: tuple[float, float],
                           ylim: tuple[float, float]) -> Figure:
    fig = Figure(figsize=(5, 4), layout="constrained")
    ax = fig.add_subplot()
    xx, yy, P = probability_grid(model, xlim, ylim)
    surface = ax.contourf(xx, yy, P, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
    fig.colorbar(surface, ax=ax, label="P(y = 1)")
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r", edgecolors="k", s=20)
    line = decision_boundary(model.coef_, model.intercept_, xlim, ylim)
    ax.plot(line[:, 0], line[:, 1], "k-", label="P = 1/2")
    ax.set(xlim=xlim, ylim=ylim, xlabel="feature 0", ylabel="feature 1", title=f"C = {model.C:g}")
    return fig

"""Reference solution for ml-11-4."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


class TabularPipeline:
    """Standardised numeric columns + one-hot categorical blocks, then ridge with an unpenalised intercept.

    Shapes:
        X: (n, p) float64 holding both kinds of columns (categories as numeric codes); y: (n,) float64
    """

    def __init__(self, num_cols: list[int], cat_cols: list[int], alpha: float = 1.0) -> None:
        self.num_cols = list(num_cols)
        self.cat_cols = list(cat_cols)
        self.alpha = alpha

    def _fit_preprocessing(self, X: np.ndarray) -> None:
        num = X[:, self.num_cols]
        self.mean_ = num.mean(axis=0)
        var = num.var(axis=0)
        n, eps = len(num), np.finfo(np.float64).eps
        constant = var <= n * eps * var + (n * self.mean_ * eps) ** 2
        self.scale_ = np.where(constant, 1.0, np.sqrt(var))
        self.categories_ = [np.unique(X[:, j]) for j in self.cat_cols]

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        blocks = [(X[:, self.num_cols] - self.mean_) / self.scale_]
        for j, cats in zip(self.cat_cols, self.categories_, strict=True):
            blocks.append((X[:, [j]] == cats[None, :]).astype(np.float64))
        return np.hstack(blocks)

    def fit(self, X: np.ndarray, y: np.ndarray) -> TabularPipeline:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        self._fit_preprocessing(X)
        Z = self.transform(X)
        z_mean, y_mean = Z.mean(axis=0), y.mean()
        Zc = Z - z_mean
        self.coef_ = np.linalg.solve(Zc.T @ Zc + self.alpha * np.eye(Z.shape[1]), Zc.T @ (y - y_mean))
        self.intercept_ = float(y_mean - z_mean @ self.coef_)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.transform(X) @ self.coef_ + self.intercept_

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        y = np.asarray(y, dtype=np.float64)
        resid = y - self.predict(X)
        return float(1.0 - (resid @ resid) / ((y - y.mean()) @ (y - y.mean())))


def cross_val_scores(make_pipeline: Callable[[], TabularPipeline], X: np.ndarray, y: np.ndarray,
                     folds: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, list[TabularPipeline]]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    scores, fitted = [], []
    for train, test in folds:
        pipe = make_pipeline().fit(X[train], y[train])
        scores.append(pipe.score(X[test], y[test]))
        fitted.append(pipe)
    return np.array(scores), fitted

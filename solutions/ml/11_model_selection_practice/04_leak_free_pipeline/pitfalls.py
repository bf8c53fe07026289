"""Plausible leaky or wrong pipelines that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pipeline import TabularPipeline


@pitfall(replaces="cross_val_scores", why="standardises with the mean and std of ALL rows before cross-validating (test rows leak)")
def scale_before_split(make_pipeline: Callable, X: np.ndarray, y: np.ndarray, folds: list) -> tuple:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    probe = make_pipeline()
    global_fit = TabularPipeline(probe.num_cols, probe.cat_cols, probe.alpha)
    global_fit._fit_preprocessing(X)
    scores, fitted = [], []
    for train, test in folds:
        pipe = make_pipeline()
        original = pipe._fit_preprocessing

        def leaky(Xtr: np.ndarray, pipe: TabularPipeline = pipe, original: Callable = original) -> None:
            original(Xtr)
            pipe.mean_, pipe.scale_ = global_fit.mean_, global_fit.scale_

        pipe._fit_preprocessing = leaky
        pipe.fit(X[train], y[train])
        scores.append(pipe.score(X[test], y[test]))
        fitted.append(pipe)
    return np.array(scores), fitted


@pitfall(replaces="cross_val_scores", why="fits the one-hot categories on ALL rows (scores happen to agree; the fitted encoder leaks)")
def encode_before_split(make_pipeline: Callable, X: np.ndarray, y: np.ndarray, folds: list) -> tuple:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    scores, fitted = [], []
    for train, test in folds:
        pipe = make_pipeline()
        original = pipe._fit_preprocessing

        def leaky(Xtr: np.ndarray, pipe: TabularPipeline = pipe, original: Callable = original) -> None:
            original(Xtr)
            pipe.categories_ = [np.unique(X[:, j]) for j in pipe.cat_cols]

        pipe._fit_preprocessing = leaky
        pipe.fit(X[train], y[train])
        scores.append(pipe.score(X[test], y[test]))
        fitted.append(pipe)
    return np.array(scores), fitted


@pitfall(replaces="TabularPipeline.fit", why="penalises the intercept: ridge on [1, Z] without centring")
def penalised_intercept(self: TabularPipeline, X: np.ndarray, y: np.ndarray) -> TabularPipeline:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    self._fit_preprocessing(X)
    Z = np.column_stack([np.ones(len(X)), self.transform(X)])
    w = np.linalg.solve(Z.T @ Z + self.alpha * np.eye(Z.shape[1]), Z.T @ y)
    self.intercept_, self.coef_ = float(w[0]), w[1:]
    return self


@pitfall(replaces="TabularPipeline.score", why="R^2 as the squared correlation of y and y_hat (equal only in-sample for OLS)")
def r2_as_squared_correlation(self: TabularPipeline, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(np.asarray(y, dtype=np.float64), self.predict(X))[0, 1] ** 2)

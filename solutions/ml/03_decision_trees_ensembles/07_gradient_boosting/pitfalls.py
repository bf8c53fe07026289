"""Plausible wrong gradient-boosting loops that the tests must reject."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gradient_boosting import GradientBoostingRegressor, make_tree


def _fit(self: GradientBoostingRegressor, X: np.ndarray, y: np.ndarray, *, init: str = "mean",
         target: str = "residual", shrink_fit: bool = True, score_before: bool = False) -> GradientBoostingRegressor:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    rng = np.random.RandomState(self.random_state)
    self.init_ = {"mean": float(np.mean(y)), "zero": 0.0, "shrunk": self.learning_rate * float(np.mean(y))}[init]
    F = np.full(len(y), self.init_)
    self.estimators_, scores = [], []
    for _ in range(self.n_estimators):
        if score_before:
            scores.append(float(np.mean((y - F) ** 2)))
        tree = make_tree(self.max_depth, rng).fit(X, y - F if target == "residual" else y)
        F += (self.learning_rate if shrink_fit else 1.0) * tree.predict(X)
        self.estimators_.append(tree)
        if not score_before:
            scores.append(float(np.mean((y - F) ** 2)))
    self.train_score_ = np.array(scores)
    return self


@pitfall(replaces="GradientBoostingRegressor.fit", why="starts from F_0 = 0 instead of the mean of y")
def zero_init(self: GradientBoostingRegressor, X: np.ndarray, y: np.ndarray) -> GradientBoostingRegressor:
    return _fit(self, X, y, init="zero")


@pitfall(replaces="GradientBoostingRegressor.fit", why="shrinks the initial constant too: F_0 = lr * mean(y)")
def shrunk_init(self: GradientBoostingRegressor, X: np.ndarray, y: np.ndarray) -> GradientBoostingRegressor:
    return _fit(self, X, y, init="shrunk")


@pitfall(replaces="GradientBoostingRegressor.fit", why="fits every tree to y instead of the current residuals")
def fits_targets(self: GradientBoostingRegressor, X: np.ndarray, y: np.ndarray) -> GradientBoostingRegressor:
    return _fit(self, X, y, target="y")


@pitfall(replaces="GradientBoostingRegressor.fit", why="updates the training predictions without the learning rate (but predicts with it)")
def unshrunk_residuals(self: GradientBoostingRegressor, X: np.ndarray, y: np.ndarray) -> GradientBoostingRegressor:
    return _fit(self, X, y, shrink_fit=False)


@pitfall(replaces="GradientBoostingRegressor.fit", why="records the training loss before each stage's update (off by one)")
def score_before_update(self: GradientBoostingRegressor, X: np.ndarray, y: np.ndarray) -> GradientBoostingRegressor:
    return _fit(self, X, y, score_before=True)


@pitfall(replaces="GradientBoostingRegressor.staged_predict", why="yields F_0 first and stops before the last tree")
def staged_off_by_one(self: GradientBoostingRegressor, X: np.ndarray) -> Iterator[np.ndarray]:
    F = np.full(len(X), self.init_)
    for tree in self.estimators_:
        yield F
        F = F + self.learning_rate * tree.predict(np.asarray(X, dtype=np.float64))

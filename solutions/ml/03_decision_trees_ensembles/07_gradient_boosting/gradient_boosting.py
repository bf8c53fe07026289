"""Reference solution for ml-03-7."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from sklearn.tree import DecisionTreeRegressor


def make_tree(max_depth: int | None, rng: np.random.RandomState) -> DecisionTreeRegressor:
    """The base learner, configured as sklearn's GradientBoostingRegressor configures it (given)."""
    return DecisionTreeRegressor(criterion="squared_error", max_depth=max_depth, random_state=rng)


class GradientBoostingRegressor:
    """Least-squares gradient boosting with regression trees (Friedman 2001)."""

    def __init__(self, n_estimators: int = 100, learning_rate: float = 0.1, max_depth: int | None = 3,
                 random_state: int = 0) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray) -> GradientBoostingRegressor:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
        rng = np.random.RandomState(self.random_state)
        self.init_ = float(np.mean(y))
        F = np.full(len(y), self.init_)
        self.estimators_: list[DecisionTreeRegressor] = []
        self.train_score_ = np.empty(self.n_estimators)
        for m in range(self.n_estimators):
            residual = y - F  # the negative gradient of 1/2 (y - F)^2
            tree = make_tree(self.max_depth, rng).fit(X, residual)
            F += self.learning_rate * tree.predict(X)
            self.estimators_.append(tree)
            self.train_score_[m] = float(np.mean((y - F) ** 2))
        return self

    def staged_predict(self, X: np.ndarray) -> Iterator[np.ndarray]:
        X = np.asarray(X, dtype=np.float64)
        F = np.full(len(X), self.init_)
        for tree in self.estimators_:
            F = F + self.learning_rate * tree.predict(X)
            yield F

    def predict(self, X: np.ndarray) -> np.ndarray:
        F = np.full(len(X), self.init_)
        for F in self.staged_predict(X):  # noqa: B007
            pass
        return F

"""ml-03-7: least-squares gradient boosting for regression. Edit this file; `grader check ml-03-7` tests it."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from sklearn.tree import DecisionTreeRegressor


def make_tree(max_depth: int | None, rng: np.random.RandomState) -> DecisionTreeRegressor:
    """The base learner, configured as sklearn's GradientBoostingRegressor configures it (given).

    Pass the SAME RandomState object for every stage (sklearn does): each fit draws its tree's seed
    from it, so stage m gets the same tie-breaking as sklearn's stage m.
    """
    return DecisionTreeRegressor(criterion="squared_error", max_depth=max_depth, random_state=rng)


class GradientBoostingRegressor:
    """Least-squares gradient boosting with regression trees (Friedman 2001).

    Fitted attributes:
        init_ float: the initial constant prediction F_0 (the mean of y)
        estimators_ list of n_estimators fitted DecisionTreeRegressor
        train_score_ (n_estimators,) float: training MSE mean((y - F_m)^2) after stage m
    """

    def __init__(self, n_estimators: int = 100, learning_rate: float = 0.1, max_depth: int | None = 3,
                 random_state: int = 0) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray) -> GradientBoostingRegressor:
        """F_0 = mean(y); for m = 1..n_estimators: fit a tree (make_tree(max_depth, rng) with one
        rng = np.random.RandomState(random_state) shared by all stages) to the residuals y - F_{m-1}
        and set F_m = F_{m-1} + learning_rate * tree.predict(X). Return self.

        Shapes:
            X: (n, d) float; y: (n,) float
        """
        raise NotImplementedError("fit: start from the mean, then fit trees to the residuals with shrinkage")

    def staged_predict(self, X: np.ndarray) -> Iterator[np.ndarray]:
        """Yield F_1(X), F_2(X), ..., F_{n_estimators}(X), each (m,) float."""
        raise NotImplementedError("staged_predict: init_ plus the shrunken trees, one stage at a time")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(m,) float: F_{n_estimators}(X) = init_ + learning_rate * sum of the trees' predictions."""
        raise NotImplementedError("predict: the last stage")

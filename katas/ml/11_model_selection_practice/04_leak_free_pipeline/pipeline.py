"""ml-11-4: a leak-free tabular pipeline. Edit this file; `grader check ml-11-4` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


class TabularPipeline:
    """Column transforms + ridge regression, fitted on training rows only.

    Features (in this order): the numeric columns standardised with the training mean and
    population standard deviation (1.0 for a column constant up to rounding, as sklearn's
    StandardScaler), then one indicator block per categorical column (in cat_cols order) over the
    sorted categories seen in training; a category not seen in training gives a block of zeros.
    Model: ridge regression with an UNPENALISED intercept, i.e. centre the features and y with
    their training means, solve (Zc^T Zc + alpha I) coef = Zc^T yc, intercept = mean(y) -
    mean(Z) @ coef (what sklearn's Ridge(alpha) does).

    Fitted attributes: mean_, scale_ (numeric columns), categories_ (list of sorted float arrays,
    one per categorical column), coef_ (n_features,), intercept_ (float).

    Shapes:
        X: (n, p) float64 holding both kinds of columns (categories as numeric codes); y: (n,) float64
    """

    def __init__(self, num_cols: list[int], cat_cols: list[int], alpha: float = 1.0) -> None:
        self.num_cols = list(num_cols)
        self.cat_cols = list(cat_cols)
        self.alpha = alpha

    def fit(self, X: np.ndarray, y: np.ndarray) -> TabularPipeline:
        raise NotImplementedError("TabularPipeline.fit: statistics from these rows only, then ridge")

    def transform(self, X: np.ndarray) -> np.ndarray:
        """(n, n_features) float64 features of any rows, with the fitted statistics."""
        raise NotImplementedError("TabularPipeline.transform")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) float64."""
        raise NotImplementedError("TabularPipeline.predict")

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        """R^2 = 1 - sum (y - y_hat)^2 / sum (y - mean(y))^2, with the mean of THESE y."""
        raise NotImplementedError("TabularPipeline.score")


def cross_val_scores(make_pipeline: Callable[[], TabularPipeline], X: np.ndarray, y: np.ndarray,
                     folds: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, list[TabularPipeline]]:
    """For each (train_idx, test_idx) in folds: a fresh make_pipeline(), fitted on the training rows,
    scored (R^2) on the test rows.

    Returns (scores (n_folds,) float64, the fitted pipelines in fold order).
    """
    raise NotImplementedError("cross_val_scores")

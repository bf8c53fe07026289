"""ml-11-3: scaling, one-hot encoding, polynomial features. Edit this file; `grader check ml-11-3` tests it.

Every transformer follows scikit-learn's interface: `fit(X)` learns from X and returns self;
`transform(X)` applies what was learned to any X with the same columns. Numeric inputs are float64
or integer arrays; every numeric output is a new float64 array (never X itself).
"""
from __future__ import annotations

from itertools import combinations, combinations_with_replacement  # noqa: F401

import numpy as np


class StandardScaler:
    """z = (x - mean_) / scale_, per column.

    Fitted attributes (float64, one entry per column): mean_, var_ (population variance, ddof=0),
    scale_ = sqrt(var_), except 1.0 for a column that is constant up to rounding error:
    var_ <= n * eps * var_ + (n * mean_ * eps) ** 2 with eps = np.finfo(np.float64).eps.
    with_mean=False skips the centring, with_std=False the division (in transform and inverse);
    with both off, transform and inverse_transform return a float64 copy of their input.
    """

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: np.ndarray) -> StandardScaler:
        raise NotImplementedError("StandardScaler.fit")

    def transform(self, X: np.ndarray) -> np.ndarray:
        """(n, d) -> (n, d) float64."""
        raise NotImplementedError("StandardScaler.transform")

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        """Undo transform: (n, d) -> (n, d) float64."""
        raise NotImplementedError("StandardScaler.inverse_transform")


class MinMaxScaler:
    """Map each column's training range [data_min_, data_max_] linearly onto feature_range = (lo, hi):
    z = x * scale_ + min_ with scale_ = (hi - lo) / data_range_ (data_range_ = 0 counts as 1) and
    min_ = lo - data_min_ * scale_. Fitted: data_min_, data_max_, data_range_, scale_, min_.

    Raises:
        ValueError: in fit, if lo >= hi.
    """

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)) -> None:
        self.feature_range = feature_range

    def fit(self, X: np.ndarray) -> MinMaxScaler:
        raise NotImplementedError("MinMaxScaler.fit")

    def transform(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("MinMaxScaler.transform")

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        raise NotImplementedError("MinMaxScaler.inverse_transform")


class OneHotEncoder:
    """One indicator column per category of each input column (dense output, float64).

    Fitted: categories_, a list with the SORTED unique values of each column. transform puts the
    blocks of the columns side by side, each block in the order of categories_. drop="first" leaves
    out the first category of every column. An unknown category raises ValueError when
    handle_unknown="error", and becomes a block of zeros when handle_unknown="ignore".

    Shapes:
        X: (n, k) of ints or strings;  transform returns (n, total number of kept categories)
    """

    def __init__(self, handle_unknown: str = "error", drop: str | None = None) -> None:
        self.handle_unknown = handle_unknown
        self.drop = drop

    def fit(self, X: np.ndarray) -> OneHotEncoder:
        raise NotImplementedError("OneHotEncoder.fit")

    def transform(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("OneHotEncoder.transform")


class PolynomialFeatures:
    """All monomials of the d input columns of total degree <= degree, in scikit-learn's order:
    by degree (0 first if include_bias, else 1), and within a degree in the order of
    itertools.combinations_with_replacement(range(d), k) (itertools.combinations if
    interaction_only: no feature appears twice).

    Fitted: powers_, an int array (n_output, d): row r holds the exponent of each input in output r.
    transform(X)[:, r] = prod_j X[:, j] ** powers_[r, j].
    """

    def __init__(self, degree: int = 2, interaction_only: bool = False, include_bias: bool = True) -> None:
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def fit(self, X: np.ndarray) -> PolynomialFeatures:
        raise NotImplementedError("PolynomialFeatures.fit")

    def transform(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("PolynomialFeatures.transform")

"""Reference solution for ml-11-3."""
from __future__ import annotations

from itertools import combinations, combinations_with_replacement

import numpy as np


class StandardScaler:
    """z = (x - mean_) / scale_ per column; with both options off, transform and inverse_transform
    return a float64 copy of their input (every numeric output is a new float64 array)."""

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: np.ndarray) -> StandardScaler:
        X = np.asarray(X, dtype=np.float64)
        self.mean_ = X.mean(axis=0)
        self.var_ = X.var(axis=0)
        n, eps = len(X), np.finfo(np.float64).eps
        constant = self.var_ <= n * eps * self.var_ + (n * self.mean_ * eps) ** 2  # zero up to rounding
        self.scale_ = np.where(constant, 1.0, np.sqrt(self.var_))
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if self.with_mean:
            X = X - self.mean_
        return X / self.scale_ if self.with_std else X.copy()

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        Z = np.asarray(Z, dtype=np.float64)
        if self.with_std:
            Z = Z * self.scale_
        return Z + self.mean_ if self.with_mean else Z.copy()


class MinMaxScaler:
    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)) -> None:
        self.feature_range = feature_range

    def fit(self, X: np.ndarray) -> MinMaxScaler:
        lo, hi = self.feature_range
        if lo >= hi:
            raise ValueError(f"feature_range must be increasing, got {self.feature_range}")
        X = np.asarray(X, dtype=np.float64)
        self.data_min_, self.data_max_ = X.min(axis=0), X.max(axis=0)
        self.data_range_ = self.data_max_ - self.data_min_
        self.scale_ = (hi - lo) / np.where(self.data_range_ == 0, 1.0, self.data_range_)
        self.min_ = lo - self.data_min_ * self.scale_
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) * self.scale_ + self.min_

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        return (np.asarray(Z, dtype=np.float64) - self.min_) / self.scale_


class OneHotEncoder:
    def __init__(self, handle_unknown: str = "error", drop: str | None = None) -> None:
        self.handle_unknown = handle_unknown
        self.drop = drop

    def fit(self, X: np.ndarray) -> OneHotEncoder:
        X = np.asarray(X)
        self.categories_ = [np.unique(X[:, j]) for j in range(X.shape[1])]
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X)
        blocks = []
        for j, cats in enumerate(self.categories_):
            col = X[:, j]
            pos = np.searchsorted(cats, col)
            known = (pos < len(cats)) & (cats[np.minimum(pos, len(cats) - 1)] == col)
            if not known.all() and self.handle_unknown == "error":
                raise ValueError(f"unknown categories {np.unique(col[~known]).tolist()} in column {j}")
            block = np.zeros((len(X), len(cats)))
            block[np.flatnonzero(known), pos[known]] = 1.0
            blocks.append(block[:, 1:] if self.drop == "first" else block)
        return np.hstack(blocks) if blocks else np.zeros((len(X), 0))


class PolynomialFeatures:
    def __init__(self, degree: int = 2, interaction_only: bool = False, include_bias: bool = True) -> None:
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def fit(self, X: np.ndarray) -> PolynomialFeatures:
        d = np.asarray(X).shape[1]
        comb = combinations if self.interaction_only else combinations_with_replacement
        rows = []
        for k in range(0 if self.include_bias else 1, self.degree + 1):
            for c in comb(range(d), k):
                rows.append(np.bincount(np.array(c, dtype=int), minlength=d))
        self.powers_ = np.array(rows, dtype=int).reshape(-1, d)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        return np.prod(X[:, None, :] ** self.powers_[None, :, :], axis=2)

"""Plausible wrong preprocessing transformers that the tests must reject."""
from __future__ import annotations

from itertools import combinations_with_replacement, product
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from features import MinMaxScaler, OneHotEncoder, PolynomialFeatures, StandardScaler


@pitfall(replaces="StandardScaler.fit", why="sample standard deviation (ddof=1) instead of the population one")
def std_ddof_one(self: StandardScaler, X: np.ndarray) -> StandardScaler:
    X = np.asarray(X, dtype=np.float64)
    self.mean_ = X.mean(axis=0)
    self.var_ = X.var(axis=0, ddof=1) if len(X) > 1 else np.zeros(X.shape[1])
    self.scale_ = np.where(self.var_ <= 1e-20 * (1 + self.mean_**2), 1.0, np.sqrt(self.var_))
    return self


@pitfall(replaces="StandardScaler.fit", why="tests var == 0 exactly: a constant column's variance is ~1e-31 after rounding, so it is divided by ~1e-16")
def exact_zero_test(self: StandardScaler, X: np.ndarray) -> StandardScaler:
    X = np.asarray(X, dtype=np.float64)
    self.mean_ = X.mean(axis=0)
    self.var_ = X.var(axis=0)
    self.scale_ = np.where(self.var_ == 0, 1.0, np.sqrt(self.var_))
    return self


@pitfall(replaces="MinMaxScaler.fit", why="ignores feature_range: always scales to [0, 1]")
def always_unit_range(self: MinMaxScaler, X: np.ndarray) -> MinMaxScaler:
    X = np.asarray(X, dtype=np.float64)
    self.data_min_, self.data_max_ = X.min(axis=0), X.max(axis=0)
    self.data_range_ = self.data_max_ - self.data_min_
    self.scale_ = 1.0 / np.where(self.data_range_ == 0, 1.0, self.data_range_)
    self.min_ = -self.data_min_ * self.scale_
    return self


@pitfall(replaces="OneHotEncoder.fit", why="categories in order of first appearance instead of sorted")
def categories_by_appearance(self: OneHotEncoder, X: np.ndarray) -> OneHotEncoder:
    X = np.asarray(X)
    self.categories_ = []
    for j in range(X.shape[1]):
        _, first = np.unique(X[:, j], return_index=True)
        self.categories_.append(X[np.sort(first), j])
    return self


@pitfall(replaces="OneHotEncoder.transform", why="an unknown category is encoded as the first known one instead of all zeros")
def unknown_as_first(self: OneHotEncoder, X: np.ndarray) -> np.ndarray:
    X = np.asarray(X)
    blocks = []
    for j, cats in enumerate(self.categories_):
        col = X[:, j]
        pos = np.searchsorted(cats, col)
        known = (pos < len(cats)) & (cats[np.minimum(pos, len(cats) - 1)] == col)
        if not known.all() and self.handle_unknown == "error":
            raise ValueError("unknown category")
        pos = np.where(known, pos, 0)
        block = np.zeros((len(X), len(cats)))
        block[np.arange(len(X)), pos] = 1.0
        blocks.append(block[:, 1:] if self.drop == "first" else block)
    return np.hstack(blocks)


@pitfall(replaces="PolynomialFeatures.fit", why="itertools.product: every ordered tuple, so x0*x1 and x1*x0 both appear")
def ordered_products(self: PolynomialFeatures, X: np.ndarray) -> PolynomialFeatures:
    d = np.asarray(X).shape[1]
    ordered = []
    for k in range(0 if self.include_bias else 1, self.degree + 1):
        for c in product(range(d), repeat=k):
            if self.interaction_only and len(set(c)) < k:
                continue
            ordered.append(np.bincount(np.array(c, dtype=int), minlength=d))
    self.powers_ = np.array(ordered, dtype=int).reshape(-1, d)
    return self


@pitfall(replaces="PolynomialFeatures.fit", why="interaction_only ignored: squares and cubes are kept")
def interaction_only_ignored(self: PolynomialFeatures, X: np.ndarray) -> PolynomialFeatures:
    d = np.asarray(X).shape[1]
    rows = [np.bincount(np.array(c, dtype=int), minlength=d)
            for k in range(0 if self.include_bias else 1, self.degree + 1)
            for c in combinations_with_replacement(range(d), k)]
    self.powers_ = np.array(rows, dtype=int).reshape(-1, d)
    return self


@pitfall(replaces="StandardScaler.transform", why="standardises the caller's array in place (X -= mean_; X /= scale_)")
def standardises_in_place(self: StandardScaler, X: np.ndarray) -> np.ndarray:
    if self.with_mean:
        X -= self.mean_
    if self.with_std:
        X /= self.scale_
    return X

"""Plausible wrong bagging / OOB implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from forest import RandomForest


@pitfall(replaces="draw_bootstrap", why="draws from the new np.random.default_rng(seed), not the legacy RandomState sklearn uses")
def new_generator(seed: int, n_samples: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n_samples, n_samples)


@pitfall(replaces="oob_mask", why="inverted: marks the in-bag samples as out of bag")
def in_bag_mask(bootstrap_indices: np.ndarray, n_samples: int) -> np.ndarray:
    idx = np.asarray(bootstrap_indices)
    return np.stack([np.bincount(row, minlength=n_samples) > 0 for row in idx])


_fit = RandomForest.fit


@pitfall(replaces="RandomForest.fit", why="fits every tree on all of X without the bootstrap counts as weights")
def no_bootstrap_weights(self: RandomForest, X: np.ndarray, y: np.ndarray,
                         bootstrap_indices: np.ndarray | None = None) -> RandomForest:
    _fit(self, X, y, bootstrap_indices)
    self.estimators_ = [self._make_tree(s).fit(X, y) for s in self.seeds_]
    return _recompute_oob(self, X, y)


def _recompute_oob(self: RandomForest, X: np.ndarray, y: np.ndarray, *, all_trees: bool = False,
                   missing_as_class0: bool = False) -> RandomForest:
    n = len(y)
    summed = np.zeros((n, len(self.classes_)))
    count = np.zeros(n)
    for tree, out in zip(self.estimators_, self.oob_mask_, strict=True):
        rows = np.ones(n, dtype=bool) if all_trees else out
        if rows.any():
            summed[rows] += tree.predict_proba(np.asarray(X)[rows])
            count[rows] += 1
    if missing_as_class0:
        self.oob_decision_function_ = summed / np.maximum(count, 1)[:, None]
        pred = self.classes_[np.argmax(self.oob_decision_function_, axis=1)]
        self.oob_score_ = float(np.mean(pred == y))
        return self
    with np.errstate(invalid="ignore", divide="ignore"):
        self.oob_decision_function_ = summed / count[:, None]
    has = count > 0
    pred = self.classes_[np.argmax(self.oob_decision_function_[has], axis=1)]
    self.oob_score_ = float(np.mean(pred == np.asarray(y)[has])) if has.any() else float("nan")
    return self


@pitfall(replaces="RandomForest.fit", why="OOB average over all trees, including those that trained on the row")
def oob_over_all_trees(self: RandomForest, X: np.ndarray, y: np.ndarray,
                       bootstrap_indices: np.ndarray | None = None) -> RandomForest:
    _fit(self, X, y, bootstrap_indices)
    return _recompute_oob(self, X, y, all_trees=True)


@pitfall(replaces="RandomForest.fit", why="rows that are in every bag get a zero OOB row and count as class 0")
def never_oob_counted(self: RandomForest, X: np.ndarray, y: np.ndarray,
                      bootstrap_indices: np.ndarray | None = None) -> RandomForest:
    _fit(self, X, y, bootstrap_indices)
    return _recompute_oob(self, X, y, missing_as_class0=True)


@pitfall(replaces="RandomForest.predict_proba", why="hard voting: the fraction of trees predicting each class")
def hard_votes(self: RandomForest, X: np.ndarray) -> np.ndarray:
    votes = np.zeros((len(X), len(self.classes_)))
    for tree in self.estimators_:
        votes[np.arange(len(X)), np.searchsorted(self.classes_, tree.predict(X))] += 1
    return votes / len(self.estimators_)


@pitfall(replaces="RandomForest.predict", why="argmax over the reversed classes: a tied vote goes to the last class")
def forest_tie_to_last(self: RandomForest, X: np.ndarray) -> np.ndarray:
    proba = self.predict_proba(X)
    return self.classes_[proba.shape[1] - 1 - np.argmax(proba[:, ::-1], axis=1)]

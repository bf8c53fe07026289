"""Plausible wrong multinomial naive Bayes implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from multinomial_nb import MultinomialNB


def _fit(self: MultinomialNB, X: np.ndarray, y: np.ndarray, denominator: str, prior: str) -> MultinomialNB:
    X = np.asarray(X, dtype=np.float64)
    self.classes_, y_enc = np.unique(np.asarray(y), return_inverse=True)
    C = len(self.classes_)
    Y = np.eye(C)[y_enc]
    self.class_count_ = Y.sum(axis=0)
    self.feature_count_ = Y.T @ X
    if denominator == "plus_alpha":
        self.feature_log_prob_ = np.log(self.feature_count_ + self.alpha) - np.log(
            self.feature_count_.sum(axis=1, keepdims=True) + self.alpha)
    elif denominator == "over_classes":
        smoothed = self.feature_count_ + self.alpha
        self.feature_log_prob_ = np.log(smoothed) - np.log(smoothed.sum(axis=0, keepdims=True))
    else:
        smoothed = self.feature_count_ + self.alpha
        self.feature_log_prob_ = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
    if prior == "uniform" or (self.class_prior is None and not self.fit_prior):
        self.class_log_prior_ = np.full(C, -np.log(C))
    elif self.class_prior is not None and prior != "ignore_class_prior":
        self.class_log_prior_ = np.log(np.asarray(self.class_prior, dtype=np.float64))
    else:
        self.class_log_prior_ = np.log(self.class_count_ / self.class_count_.sum())
    return self


@pitfall(replaces="MultinomialNB.fit", why="smoothing denominator N_c + alpha instead of N_c + alpha * V")
def denominator_plus_alpha(self: MultinomialNB, X: np.ndarray, y: np.ndarray) -> MultinomialNB:
    return _fit(self, X, y, "plus_alpha", "normal")


@pitfall(replaces="MultinomialNB.fit", why="normalises P(v | c) over the classes (axis 0) instead of over the vocabulary")
def normalised_over_classes(self: MultinomialNB, X: np.ndarray, y: np.ndarray) -> MultinomialNB:
    return _fit(self, X, y, "over_classes", "normal")


@pitfall(replaces="MultinomialNB.fit", why="always uniform priors: fit_prior=True is ignored")
def always_uniform_prior(self: MultinomialNB, X: np.ndarray, y: np.ndarray) -> MultinomialNB:
    return _fit(self, X, y, "normal", "uniform")


@pitfall(replaces="MultinomialNB.fit", why="ignores class_prior and uses the class frequencies")
def ignores_class_prior(self: MultinomialNB, X: np.ndarray, y: np.ndarray) -> MultinomialNB:
    return _fit(self, X, y, "normal", "ignore_class_prior")


@pitfall(replaces="MultinomialNB.predict_log_proba", why="normalises exp(jll) in linear space: long documents underflow to 0/0")
def linear_space_normalisation(self: MultinomialNB, X: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        p = np.exp(self.joint_log_likelihood(X))
        return np.log(p / p.sum(axis=1, keepdims=True))

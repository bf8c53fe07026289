"""Plausible wrong Gaussian naive Bayes implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gaussian_nb import GaussianNB


def _fit(self: GaussianNB, X: np.ndarray, y: np.ndarray, ddof: int, per_feature: bool, uniform: bool) -> GaussianNB:
    X = np.asarray(X, dtype=np.float64)
    self.classes_, y_enc = np.unique(np.asarray(y), return_inverse=True)
    C = len(self.classes_)
    feature_var = np.var(X, axis=0)
    self.epsilon_ = self.var_smoothing * (feature_var if per_feature else float(feature_var.max()))
    self.class_count_ = np.bincount(y_enc, minlength=C).astype(np.float64)
    self.theta_ = np.stack([X[y_enc == c].mean(axis=0) for c in range(C)])
    self.var_ = np.stack([X[y_enc == c].var(axis=0, ddof=ddof) if (y_enc == c).sum() > ddof
                          else np.zeros(X.shape[1]) for c in range(C)]) + self.epsilon_
    if self.priors is not None:
        self.class_prior_ = np.asarray(self.priors, dtype=np.float64)
    elif uniform:
        self.class_prior_ = np.full(C, 1.0 / C)
    else:
        self.class_prior_ = self.class_count_ / self.class_count_.sum()
    return self


@pitfall(replaces="GaussianNB.fit", why="unbiased class variances (ddof=1) instead of the maximum-likelihood ones")
def unbiased_variance(self: GaussianNB, X: np.ndarray, y: np.ndarray) -> GaussianNB:
    return _fit(self, X, y, ddof=1, per_feature=False, uniform=False)


@pitfall(replaces="GaussianNB.fit", why="smooths each feature by var_smoothing × its own variance, not the largest")
def per_feature_smoothing(self: GaussianNB, X: np.ndarray, y: np.ndarray) -> GaussianNB:
    return _fit(self, X, y, ddof=0, per_feature=True, uniform=False)


@pitfall(replaces="GaussianNB.fit", why="uniform class priors when priors=None, ignoring the class frequencies")
def uniform_priors(self: GaussianNB, X: np.ndarray, y: np.ndarray) -> GaussianNB:
    return _fit(self, X, y, ddof=0, per_feature=False, uniform=True)


@pitfall(replaces="GaussianNB.predict_log_proba", why="normalises exp(jll) in linear space: far queries underflow to 0/0")
def linear_space_normalisation(self: GaussianNB, X: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        p = np.exp(self.joint_log_likelihood(X))
        return np.log(p / p.sum(axis=1, keepdims=True))


@pitfall(replaces="GaussianNB.joint_log_likelihood", why="divides the squared deviation by the standard deviation, not the variance")
def std_in_the_exponent(self: GaussianNB, X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    log_norm = -0.5 * np.log(2 * np.pi * self.var_).sum(axis=1)
    sq = ((X[:, None, :] - self.theta_[None]) ** 2 / np.sqrt(self.var_)[None]).sum(axis=2)
    return np.log(self.class_prior_) + log_norm - 0.5 * sq

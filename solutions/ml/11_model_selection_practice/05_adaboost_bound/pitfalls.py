"""Plausible wrong AdaBoost implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from sklearn.tree import DecisionTreeClassifier

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from adaboost import AdaBoostSAMME, make_stump


def _fit(self: AdaBoostSAMME, X: np.ndarray, y: np.ndarray, *, multiclass_term: bool = True, half: bool = False,
         unweighted_error: bool = False, renormalise: bool = True, stop_on_perfect: bool = True) -> AdaBoostSAMME:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    self.classes_ = np.unique(y)
    K = len(self.classes_)
    rs = np.random.RandomState(self.random_state)
    w = np.full(len(y), 1.0 / len(y))
    self.estimators_ = []
    self.estimator_weights_ = np.zeros(self.n_estimators)
    self.estimator_errors_ = np.ones(self.n_estimators)
    for t in range(self.n_estimators):
        stump = make_stump(rs).fit(X, y, sample_weight=w)
        miss = stump.predict(X) != y
        err = float(np.mean(miss)) if unweighted_error else float(np.sum(w * miss))
        if err <= 0 and stop_on_perfect:
            self.estimators_.append(stump)
            self.estimator_weights_[t], self.estimator_errors_[t] = 1.0, 0.0
            break
        if err >= 1.0 - 1.0 / K:
            if not self.estimators_:
                raise ValueError("no better than chance")
            break
        with np.errstate(divide="ignore"):
            alpha = np.log((1.0 - err) / err) + (np.log(K - 1.0) if multiclass_term else 0.0)
        alpha = alpha / 2 if half else alpha
        self.estimators_.append(stump)
        self.estimator_weights_[t], self.estimator_errors_[t] = alpha, err
        w = w * np.exp(alpha * miss)
        if renormalise:
            w /= w.sum()
    return self


@pitfall(replaces="AdaBoostSAMME.fit", why="alpha without the log(K - 1) term: binary AdaBoost's weight used for K > 2")
def no_multiclass_term(self: AdaBoostSAMME, X: np.ndarray, y: np.ndarray) -> AdaBoostSAMME:
    return _fit(self, X, y, multiclass_term=False)


@pitfall(replaces="AdaBoostSAMME.fit", why="alpha = 1/2 log((1 - err) / err): the binary AdaBoost convention, half of SAMME's")
def half_alpha(self: AdaBoostSAMME, X: np.ndarray, y: np.ndarray) -> AdaBoostSAMME:
    return _fit(self, X, y, half=True)


@pitfall(replaces="AdaBoostSAMME.fit", why="error counted unweighted (fraction of misclassified points)")
def unweighted_error(self: AdaBoostSAMME, X: np.ndarray, y: np.ndarray) -> AdaBoostSAMME:
    return _fit(self, X, y, unweighted_error=True)


@pitfall(replaces="AdaBoostSAMME.fit", why="weights never renormalised, and the error is sum(w * miss) without dividing by sum(w)")
def no_renormalisation(self: AdaBoostSAMME, X: np.ndarray, y: np.ndarray) -> AdaBoostSAMME:
    return _fit(self, X, y, renormalise=False)


@pitfall(replaces="AdaBoostSAMME.fit", why="keeps boosting after a perfect stump (its weight is infinite)")
def no_stop_on_perfect(self: AdaBoostSAMME, X: np.ndarray, y: np.ndarray) -> AdaBoostSAMME:
    return _fit(self, X, y, stop_on_perfect=False)


@pitfall(replaces="AdaBoostSAMME.staged_predict", why="unweighted majority vote of the stumps")
def majority_vote(self: AdaBoostSAMME, X: np.ndarray) -> list[np.ndarray]:
    votes = np.zeros((len(X), len(self.classes_)))
    out = []
    for stump in self.estimators_:
        votes += stump.predict(np.asarray(X, dtype=np.float64))[:, None] == self.classes_[None, :]
        out.append(self.classes_[np.argmax(votes, axis=1)])
    return out


@pitfall(replaces="error_bound", why="prod 2 eps (1 - eps): the square root is missing")
def bound_without_sqrt(errors: np.ndarray) -> np.ndarray:
    e = np.asarray(errors, dtype=np.float64)
    return np.cumprod(2.0 * e * (1.0 - e))


@pitfall(replaces="error_bound", why="prod sqrt(eps (1 - eps)): the factor 2 is missing")
def bound_without_two(errors: np.ndarray) -> np.ndarray:
    e = np.asarray(errors, dtype=np.float64)
    return np.cumprod(np.sqrt(e * (1.0 - e)))


@pitfall(replaces="AdaBoostSAMME.fit", why="discards a stump only when err > 1 - 1/K: a chance-level first stump (err exactly 1 - 1/K) is kept instead of raising")
def chance_level_kept(self: AdaBoostSAMME, X: np.ndarray, y: np.ndarray) -> AdaBoostSAMME:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    self.classes_ = np.unique(y)
    K = len(self.classes_)
    n = len(y)
    rs = np.random.RandomState(self.random_state)
    w = np.full(n, 1.0 / n)
    eps = np.finfo(np.float64).eps
    self.estimators_: list[DecisionTreeClassifier] = []
    self.estimator_weights_ = np.zeros(self.n_estimators)
    self.estimator_errors_ = np.ones(self.n_estimators)
    for t in range(self.n_estimators):
        w = np.clip(w, eps, None)
        stump = make_stump(rs).fit(X, y, sample_weight=w)
        incorrect = stump.predict(X) != y
        err = float(np.average(incorrect, weights=w))
        if err <= 0:
            self.estimators_.append(stump)
            self.estimator_weights_[t], self.estimator_errors_[t] = 1.0, 0.0
            break
        if err > 1.0 - 1.0 / K:
            if not self.estimators_:
                raise ValueError("the first stump is no better than chance")
            break
        alpha = np.log((1.0 - err) / err) + np.log(K - 1.0)
        self.estimators_.append(stump)
        self.estimator_weights_[t], self.estimator_errors_[t] = alpha, err
        if t < self.n_estimators - 1:
            w = w * np.exp(alpha * incorrect)
            w /= w.sum()
    return self

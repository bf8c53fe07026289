"""Plausible wrong SAMME implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from adaboost import AdaBoostSAMME, estimator_seeds, make_stump, samme_alpha, samme_reweight


@pitfall(replaces="samme_alpha", why="binary AdaBoost's weight: forgets the + log(K - 1) term")
def no_log_k_minus_1(error: float, n_classes: int, learning_rate: float = 1.0) -> float:
    return float(learning_rate * np.log((1.0 - error) / error))


@pitfall(replaces="samme_alpha", why="the real-AdaBoost half: 0.5 * log((1 - e) / e) (+ log(K - 1))")
def half_alpha(error: float, n_classes: int, learning_rate: float = 1.0) -> float:
    return float(learning_rate * (0.5 * np.log((1.0 - error) / error) + np.log(n_classes - 1.0)))


@pitfall(replaces="samme_alpha", why="ignores the learning rate")
def no_learning_rate(error: float, n_classes: int, learning_rate: float = 1.0) -> float:
    return float(np.log((1.0 - error) / error) + np.log(n_classes - 1.0))


@pitfall(replaces="samme_reweight", why="also shrinks the correct rows by exp(-alpha)")
def symmetric_reweight(sample_weight: np.ndarray, incorrect: np.ndarray, alpha: float) -> np.ndarray:
    sign = np.where(np.asarray(incorrect), 1.0, -1.0)
    w = np.asarray(sample_weight, dtype=np.float64) * np.exp(alpha * sign)
    return w / w.sum()


@pitfall(replaces="samme_reweight", why="forgets to renormalise the weights to sum 1")
def not_normalised(sample_weight: np.ndarray, incorrect: np.ndarray, alpha: float) -> np.ndarray:
    return np.asarray(sample_weight, dtype=np.float64) * np.exp(alpha * np.asarray(incorrect, dtype=np.float64))


_fit = AdaBoostSAMME.fit


@pitfall(replaces="AdaBoostSAMME.fit", why="unweighted error: the plain misclassification rate of each stump")
def unweighted_error(self: AdaBoostSAMME, X: np.ndarray, y: np.ndarray,
                     sample_weight: np.ndarray | None = None) -> AdaBoostSAMME:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    n = len(y)
    self.classes_ = np.unique(y)
    K = len(self.classes_)
    w = np.full(n, 1.0 / n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    w = w / w.sum()
    self.estimators_, weights, errors = [], [], []
    for seed in estimator_seeds(self.random_state, self.n_estimators):
        stump = make_stump(seed).fit(X, y, sample_weight=w)
        incorrect = stump.predict(X) != y
        error = float(np.mean(incorrect))
        if error <= 0 or error >= 1.0 - 1.0 / K:
            break
        alpha = samme_alpha(error, K, self.learning_rate)
        self.estimators_.append(stump)
        weights.append(alpha)
        errors.append(error)
        w = samme_reweight(w, incorrect, alpha)
    self.estimator_weights_, self.estimator_errors_ = np.array(weights), np.array(errors)
    return self


@pitfall(replaces="AdaBoostSAMME.decision_function", why="plain alpha-weighted vote counts, not normalised and not in SAMME's coding")
def raw_votes(self: AdaBoostSAMME, X: np.ndarray) -> np.ndarray:
    total = np.zeros((len(X), len(self.classes_)))
    for stump, alpha in zip(self.estimators_, self.estimator_weights_, strict=True):
        total += alpha * (stump.predict(np.asarray(X))[:, None] == self.classes_[None, :])
    return total[:, 1] - total[:, 0] if len(self.classes_) == 2 else total


@pitfall(replaces="samme_reweight", why="boosts the misclassified rows in place (sample_weight[incorrect] *= e^alpha): "
         "the caller's weights change")
def reweight_in_place(sample_weight: np.ndarray, incorrect: np.ndarray, alpha: float) -> np.ndarray:
    sample_weight[np.asarray(incorrect, dtype=bool)] *= np.exp(alpha)
    sample_weight /= sample_weight.sum()
    return sample_weight


@pitfall(replaces="AdaBoostSAMME.fit", why="drops a stump only when error > 1 - 1/K: a chance-level first stump "
         "(error exactly 1 - 1/K) is kept with alpha 0 instead of raising")
def chance_level_kept(self: AdaBoostSAMME, X: np.ndarray, y: np.ndarray,
                      sample_weight: np.ndarray | None = None) -> AdaBoostSAMME:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    n = len(y)
    self.classes_ = np.unique(y)
    K = len(self.classes_)
    w = np.full(n, 1.0 / n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    w = w / w.sum()
    self.estimators_, weights, errors = [], [], []
    for seed in estimator_seeds(self.random_state, self.n_estimators):
        stump = make_stump(seed).fit(X, y, sample_weight=w)
        incorrect = stump.predict(X) != y
        error = float(np.average(incorrect, weights=w))
        if error <= 0:
            self.estimators_.append(stump)
            weights.append(1.0)
            errors.append(0.0)
            break
        if error > 1.0 - 1.0 / K:
            if not self.estimators_:
                raise ValueError("the first stump is worse than chance")
            break
        alpha = samme_alpha(error, K, self.learning_rate)
        self.estimators_.append(stump)
        weights.append(alpha)
        errors.append(error)
        w = samme_reweight(w, incorrect, alpha)
    self.estimator_weights_ = np.array(weights)
    self.estimator_errors_ = np.array(errors)
    return self

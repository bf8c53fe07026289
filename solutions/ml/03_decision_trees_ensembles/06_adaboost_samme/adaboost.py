"""Reference solution for ml-03-6."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from sklearn.tree import DecisionTreeClassifier


def estimator_seeds(random_state: int, n_estimators: int) -> np.ndarray:
    """The per-round seeds sklearn's ensembles draw: RandomState(random_state).randint(2**31 - 1) each (given)."""
    rng = np.random.RandomState(random_state)
    return np.array([rng.randint(np.iinfo(np.int32).max) for _ in range(n_estimators)], dtype=np.int64)


def make_stump(seed: int) -> DecisionTreeClassifier:
    """The weak learner: a depth-1 tree, as AdaBoostClassifier builds it by default (given)."""
    return DecisionTreeClassifier(max_depth=1, random_state=int(seed))


def samme_alpha(error: float, n_classes: int, learning_rate: float = 1.0) -> float:
    return float(learning_rate * (np.log((1.0 - error) / error) + np.log(n_classes - 1.0)))


def samme_reweight(sample_weight: np.ndarray, incorrect: np.ndarray, alpha: float) -> np.ndarray:
    w = np.asarray(sample_weight, dtype=np.float64) * np.exp(alpha * np.asarray(incorrect, dtype=np.float64))
    return w / w.sum()


class AdaBoostSAMME:
    """Multi-class AdaBoost (SAMME) with decision stumps, as sklearn's AdaBoostClassifier."""

    def __init__(self, n_estimators: int = 50, learning_rate: float = 1.0, random_state: int = 0) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> AdaBoostSAMME:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        n = len(y)
        self.classes_ = np.unique(y)
        K = len(self.classes_)
        w = np.full(n, 1.0 / n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        w = w / w.sum()
        self.estimators_: list[DecisionTreeClassifier] = []
        weights: list[float] = []
        errors: list[float] = []
        for seed in estimator_seeds(self.random_state, self.n_estimators):
            stump = make_stump(seed).fit(X, y, sample_weight=w)
            incorrect = stump.predict(X) != y
            error = float(np.average(incorrect, weights=w))
            if error <= 0:
                self.estimators_.append(stump)
                weights.append(1.0)
                errors.append(0.0)
                break
            if error >= 1.0 - 1.0 / K:
                if not self.estimators_:
                    raise ValueError("the first stump is no better than chance")
                break
            alpha = samme_alpha(error, K, self.learning_rate)
            self.estimators_.append(stump)
            weights.append(alpha)
            errors.append(error)
            w = samme_reweight(w, incorrect, alpha)
        self.estimator_weights_ = np.array(weights)
        self.estimator_errors_ = np.array(errors)
        return self

    def _staged_scores(self, X: np.ndarray) -> Iterator[np.ndarray]:
        K = len(self.classes_)
        total = np.zeros((len(X), K))
        norm = 0.0
        for stump, alpha in zip(self.estimators_, self.estimator_weights_, strict=True):
            hit = stump.predict(X)[:, None] == self.classes_[None, :]
            total += np.where(hit, alpha, -alpha / (K - 1))
            norm += alpha
            scores = total / norm
            yield scores[:, 1] - scores[:, 0] if K == 2 else scores

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        for scores in self._staged_scores(np.asarray(X, dtype=np.float64)):  # noqa: B007
            pass
        return scores

    def _label(self, scores: np.ndarray) -> np.ndarray:
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self._label(self.decision_function(X))

    def staged_predict(self, X: np.ndarray) -> Iterator[np.ndarray]:
        for scores in self._staged_scores(np.asarray(X, dtype=np.float64)):
            yield self._label(scores)

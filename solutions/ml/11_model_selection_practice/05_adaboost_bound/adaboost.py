"""Reference solution for ml-11-5."""
from __future__ import annotations

import numpy as np
from sklearn.tree import DecisionTreeClassifier


def make_stump(rs: np.random.RandomState) -> DecisionTreeClassifier:
    """A depth-1 tree whose seed is drawn from rs exactly as sklearn's AdaBoost draws it (given)."""
    return DecisionTreeClassifier(max_depth=1, random_state=rs.randint(np.iinfo(np.int32).max))


def error_bound(errors: np.ndarray) -> np.ndarray:
    e = np.asarray(errors, dtype=np.float64)
    return np.cumprod(2.0 * np.sqrt(e * (1.0 - e)))


class AdaBoostSAMME:
    def __init__(self, n_estimators: int = 50, random_state: int = 0) -> None:
        self.n_estimators = n_estimators
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray) -> AdaBoostSAMME:
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
            if err >= 1.0 - 1.0 / K:
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

    def _votes(self, X: np.ndarray) -> list[np.ndarray]:
        X = np.asarray(X, dtype=np.float64)
        votes = np.zeros((len(X), len(self.classes_)))
        out = []
        for stump, alpha in zip(self.estimators_, self.estimator_weights_, strict=False):
            votes += alpha * (stump.predict(X)[:, None] == self.classes_[None, :])
            out.append(votes.copy())
        return out

    def staged_predict(self, X: np.ndarray) -> list[np.ndarray]:
        return [self.classes_[np.argmax(v, axis=1)] for v in self._votes(X)]

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.staged_predict(X)[-1]

    def training_errors(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        y = np.asarray(y)
        return np.array([np.mean(p != y) for p in self.staged_predict(X)])

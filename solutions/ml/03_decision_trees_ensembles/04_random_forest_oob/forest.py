"""Reference solution for ml-03-4."""
from __future__ import annotations

import numpy as np
from sklearn.tree import DecisionTreeClassifier


def estimator_seeds(random_state: int, n_estimators: int) -> np.ndarray:
    """The per-tree seeds sklearn's forests draw: RandomState(random_state).randint(2**31 - 1) per tree (given)."""
    rng = np.random.RandomState(random_state)
    return np.array([rng.randint(np.iinfo(np.int32).max) for _ in range(n_estimators)], dtype=np.int64)


def draw_bootstrap(seed: int, n_samples: int) -> np.ndarray:
    return np.random.RandomState(seed).randint(0, n_samples, n_samples)


def oob_mask(bootstrap_indices: np.ndarray, n_samples: int) -> np.ndarray:
    idx = np.asarray(bootstrap_indices)
    counts = np.zeros((idx.shape[0], n_samples), dtype=np.int64)
    for t in range(idx.shape[0]):
        counts[t] = np.bincount(idx[t], minlength=n_samples)
    return counts == 0


class RandomForest:
    """Bagged decision trees with per-split feature subsampling, scored out of bag."""

    def __init__(self, n_estimators: int = 10, max_features: str | int | None = "sqrt", max_depth: int | None = None,
                 random_state: int = 0) -> None:
        self.n_estimators = n_estimators
        self.max_features = max_features
        self.max_depth = max_depth
        self.random_state = random_state

    def _make_tree(self, seed: int) -> DecisionTreeClassifier:
        """The base learner, configured as sklearn's RandomForestClassifier configures it (given)."""
        return DecisionTreeClassifier(max_features=self.max_features, max_depth=self.max_depth,
                                      random_state=int(seed))

    def fit(self, X: np.ndarray, y: np.ndarray, bootstrap_indices: np.ndarray | None = None) -> RandomForest:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        n = len(y)
        self.classes_ = np.unique(y)
        self.seeds_ = estimator_seeds(self.random_state, self.n_estimators)
        if bootstrap_indices is None:
            bootstrap_indices = np.stack([draw_bootstrap(s, n) for s in self.seeds_])
        self.bootstrap_indices_ = np.asarray(bootstrap_indices)
        self.estimators_ = []
        for seed, idx in zip(self.seeds_, self.bootstrap_indices_, strict=True):
            counts = np.bincount(idx, minlength=n).astype(np.float64)
            self.estimators_.append(self._make_tree(seed).fit(X, y, sample_weight=counts))
        self.oob_mask_ = oob_mask(self.bootstrap_indices_, n)
        summed = np.zeros((n, len(self.classes_)))
        for tree, out in zip(self.estimators_, self.oob_mask_, strict=True):
            if out.any():
                summed[out] += tree.predict_proba(X[out])
        n_oob = self.oob_mask_.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.oob_decision_function_ = summed / n_oob[:, None]
        self.oob_decision_function_[n_oob == 0] = np.nan
        has = n_oob > 0
        pred = self.classes_[np.argmax(self.oob_decision_function_[has], axis=1)]
        self.oob_score_ = float(np.mean(pred == y[has])) if has.any() else float("nan")
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        total = np.zeros((len(X), len(self.classes_)))
        for tree in self.estimators_:
            total += tree.predict_proba(X)
        return total / len(self.estimators_)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

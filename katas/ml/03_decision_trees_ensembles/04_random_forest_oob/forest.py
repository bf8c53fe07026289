"""ml-03-4: bagging and a random forest with out-of-bag estimates. Edit this file; `grader check ml-03-4` tests it."""
from __future__ import annotations

import numpy as np
from sklearn.tree import DecisionTreeClassifier


def estimator_seeds(random_state: int, n_estimators: int) -> np.ndarray:
    """The per-tree seeds sklearn's forests draw: RandomState(random_state).randint(2**31 - 1) per tree (given)."""
    rng = np.random.RandomState(random_state)
    return np.array([rng.randint(np.iinfo(np.int32).max) for _ in range(n_estimators)], dtype=np.int64)


def draw_bootstrap(seed: int, n_samples: int) -> np.ndarray:
    """One bootstrap sample, drawn the way sklearn's forests draw it for a tree with this seed:
    n_samples indices uniformly from 0..n_samples-1 with replacement, from
    np.random.RandomState(seed) (the legacy generator: its `randint(low, high, size)`).

    Shapes:
        returns: (n_samples,) int
    """
    raise NotImplementedError("draw_bootstrap: n_samples draws with replacement from RandomState(seed)")


def oob_mask(bootstrap_indices: np.ndarray, n_samples: int) -> np.ndarray:
    """Which samples each tree never saw.

    Shapes:
        bootstrap_indices: (n_estimators, n_drawn) int, row t = the indices tree t was trained on
        returns: (n_estimators, n_samples) bool, True where sample i is out of tree t's bag
    """
    raise NotImplementedError("oob_mask: True where a sample index never occurs in the tree's bootstrap")


class RandomForest:
    """Bagged decision trees with per-split feature subsampling, scored out of bag.

    max_features=None gives plain bagging of trees; "sqrt" (or an int) a random forest.

    Fitted attributes:
        classes_ (K,) sorted labels
        seeds_ (n_estimators,) int: estimator_seeds(random_state, n_estimators)
        bootstrap_indices_ (n_estimators, n) int: the supplied indices, or draw_bootstrap(seeds_[t], n)
        estimators_ list of fitted DecisionTreeClassifier, tree t = self._make_tree(seeds_[t]) fitted on
            all of X, y with sample_weight = how often each row occurs in bootstrap_indices_[t]
        oob_mask_ (n_estimators, n) bool: oob_mask(bootstrap_indices_, n)
        oob_decision_function_ (n, K) float: for row i, the mean predict_proba of the trees whose
            bag misses i; a row of NaN if every tree saw i
        oob_score_ float: accuracy of classes_[argmax oob_decision_function_] over the rows that
            have an OOB prediction (NaN if none has)
    """

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
        """Fit n_estimators trees on bootstrap samples and compute the OOB estimates; return self.

        Shapes:
            X: (n, d) float; y: (n,) labels
            bootstrap_indices: (n_estimators, n) int or None (then drawn with draw_bootstrap)
        """
        raise NotImplementedError("fit: one tree per bootstrap (as sample weights), then the OOB average")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(m, K): the mean of the trees' predict_proba (soft voting)."""
        raise NotImplementedError("predict_proba: average the trees' probabilities")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(m,) labels: classes_[argmax predict_proba] (the first class on a tie)."""
        raise NotImplementedError("predict: argmax of predict_proba")

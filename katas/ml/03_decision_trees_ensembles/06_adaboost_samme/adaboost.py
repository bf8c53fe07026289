"""ml-03-6: multi-class AdaBoost (SAMME). Edit this file; `grader check ml-03-6` tests it."""
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
    """The SAMME weight of a weak learner with weighted error `error` (0 < error < 1 - 1/K):

        alpha = learning_rate * (log((1 - error) / error) + log(K - 1))
    """
    raise NotImplementedError("samme_alpha: log-odds of being right, plus log(K - 1)")


def samme_reweight(sample_weight: np.ndarray, incorrect: np.ndarray, alpha: float) -> np.ndarray:
    """Next round's sample weights: misclassified rows multiplied by exp(alpha), the rest unchanged,
    then normalised to sum 1.

    Shapes:
        sample_weight: (n,) float, sums to 1; incorrect: (n,) bool
        returns: (n,) float64, sums to 1
    """
    raise NotImplementedError("samme_reweight: up-weight the mistakes, renormalise")


class AdaBoostSAMME:
    """Multi-class AdaBoost (SAMME) with decision stumps, as sklearn's AdaBoostClassifier runs it.

    Fitted attributes (m = number of rounds kept, m <= n_estimators):
        classes_ (K,) sorted labels
        estimators_ list of m fitted stumps
        estimator_weights_ (m,) float: alpha of each kept round
        estimator_errors_ (m,) float: weighted training error of each kept round's stump
    """

    def __init__(self, n_estimators: int = 50, learning_rate: float = 1.0, random_state: int = 0) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> AdaBoostSAMME:
        """Boost and return self.

        Start from sample_weight normalised to sum 1 (uniform if None). Round t (seed =
        estimator_seeds(random_state, n_estimators)[t]): fit make_stump(seed) with the current
        weights; its error is the weighted fraction of misclassified training rows.
          - error == 0: keep the stump with weight 1.0 and error 0.0, and stop;
          - error >= 1 - 1/K: drop it and stop (ValueError if it was the first round);
          - else keep it with alpha = samme_alpha(error, K, learning_rate) and reweight.
        """
        raise NotImplementedError("fit: stump, weighted error, alpha, reweight; repeat")

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """sklearn's SAMME scores: each stump votes alpha for the class it predicts and
        -alpha / (K - 1) for every other class; the sum is divided by sum(alpha).

        Shapes:
            returns: (n, K) for K > 2; for K == 2 the (n,) difference score[:, 1] - score[:, 0]
        """
        raise NotImplementedError("decision_function: alpha-weighted votes in the symmetric SAMME coding")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) labels: classes_[argmax] of decision_function (K == 2: classes_[1] where it is > 0)."""
        raise NotImplementedError("predict: the class with the largest score")

    def staged_predict(self, X: np.ndarray) -> Iterator[np.ndarray]:
        """Yield predict's answer using only the first 1, 2, ..., m kept rounds."""
        raise NotImplementedError("staged_predict: predictions after each round")

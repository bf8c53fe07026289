"""ml-11-5: AdaBoost (SAMME) and its training-error bound. Edit this file; `grader check ml-11-5` tests it."""
from __future__ import annotations

import numpy as np
from sklearn.tree import DecisionTreeClassifier


def make_stump(rs: np.random.RandomState) -> DecisionTreeClassifier:
    """A depth-1 tree whose seed is drawn from rs exactly as sklearn's AdaBoost draws it (given).

    Call it once per round, in order, with the same rs, and fit it with
    `.fit(X, y, sample_weight=w)`: then round t uses the same tree seed as sklearn's round t.
    """
    return DecisionTreeClassifier(max_depth=1, random_state=rs.randint(np.iinfo(np.int32).max))


def error_bound(errors: np.ndarray) -> np.ndarray:
    """Freund & Schapire's bound on the training error after each round:
    bound[t] = prod_{s <= t} 2 * sqrt(errors[s] * (1 - errors[s])).

    Shapes:
        errors: (T,);  returns: (T,) float64
    """
    raise NotImplementedError("error_bound")


class AdaBoostSAMME:
    """Discrete multi-class AdaBoost (SAMME) with decision stumps, as sklearn's AdaBoostClassifier
    (learning_rate=1). With K classes, n samples, weights w starting at 1/n, for t = 0 .. n_estimators-1:

        stump_t = make_stump(rs).fit(X, y, sample_weight=w)    rs = np.random.RandomState(random_state)
        err_t   = sum(w * miss) / sum(w)                       miss = stump_t.predict(X) != y
        if err_t == 0:             keep the stump with weight 1.0 and error 0.0, and stop
        if err_t >= 1 - 1/K:       discard the stump and stop (ValueError if it is the first)
        alpha_t = log((1 - err_t) / err_t) + log(K - 1)
        w       = w * exp(alpha_t * miss), then w /= sum(w)

    Prediction after t rounds: the class with the largest sum of alpha_s over the stumps s <= t that
    vote for it (ties: the first class in classes_).

    Fitted attributes: classes_ (sorted labels), estimators_ (the kept stumps), estimator_weights_
    (n_estimators,) float64 (0.0 for rounds that never ran), estimator_errors_ (n_estimators,)
    float64 (1.0 for rounds that never ran).
    """

    def __init__(self, n_estimators: int = 50, random_state: int = 0) -> None:
        self.n_estimators = n_estimators
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray) -> AdaBoostSAMME:
        raise NotImplementedError("AdaBoostSAMME.fit: reweight, fit a stump, weigh it, repeat")

    def staged_predict(self, X: np.ndarray) -> list[np.ndarray]:
        """Predictions of the ensemble after each round: a list with one (n,) array per kept stump."""
        raise NotImplementedError("AdaBoostSAMME.staged_predict")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) predictions of the whole ensemble."""
        raise NotImplementedError("AdaBoostSAMME.predict")

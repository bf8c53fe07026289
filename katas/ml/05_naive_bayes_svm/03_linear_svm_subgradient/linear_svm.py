"""ml-05-3: linear SVM by primal hinge-loss sub-gradient descent. Edit this file; `grader check ml-05-3` tests it."""
from __future__ import annotations

import numpy as np


def svm_objective(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> float:
    """The primal objective LinearSVC(loss="hinge") minimises (liblinear regularises the intercept too):

        J(w, b) = 1/2 (||w||^2 + b^2) + C * sum_i max(0, 1 - y_i (w . x_i + b))

    Shapes:
        w: (d,) float64; b: float
        X: (n, d) float64; y: (n,) float64 in {-1, +1}
    """
    raise NotImplementedError("svm_objective: regulariser plus C times the summed hinge losses")


def svm_subgradient(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    """A subgradient of J at (w, b): the gradient wherever J is differentiable.

    Points with margin y_i (w . x_i + b) < 1 contribute -C y_i x_i (and -C y_i for b); points with
    margin >= 1 contribute nothing (at exactly 1 this picks the subgradient 0 of the hinge).

    Shapes:
        returns: (g_w (d,) float64, g_b float)
    """
    raise NotImplementedError("svm_subgradient: regulariser gradient plus the active hinge terms")


class LinearSVM:
    """Binary linear SVM trained by full-batch subgradient descent on svm_objective.

    Hyperparameters (stored unchanged by __init__): C, n_iter.

    fit(X, y):
        - classes_ = the two sorted labels; classes_[1] is the positive class (+1), classes_[0] is -1
        - start from w = 0, b = 0; for t = 1..n_iter: (g_w, g_b) = svm_subgradient(...),
          w -= g_w / t, b -= g_b / t   (step 1/t: J is 1-strongly convex, as in Pegasos)
        - keep the iterate with the lowest objective (the start included): subgradient steps do not
          decrease J monotonically
    Fitted attributes:
        classes_ (2,), coef_ (d,) float64, intercept_ float, objective_ float (J at coef_, intercept_),
        objective_history_: list of n_iter + 1 objective values (start, then after every step)
    """

    def __init__(self, C: float = 1.0, n_iter: int = 1000) -> None:
        self.C = C
        self.n_iter = n_iter

    def fit(self, X: np.ndarray, y: np.ndarray) -> LinearSVM:
        """Run subgradient descent; returns self.

        Shapes:
            X: (n, d) float64; y: (n,) two distinct labels of any dtype

        Raises:
            ValueError: if y does not hold exactly two classes.
        """
        raise NotImplementedError("fit: map labels to -1/+1, then n_iter subgradient steps with step 1/t")

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """(n,) signed scores X @ coef_ + intercept_ (positive means classes_[1])."""
        raise NotImplementedError("decision_function: the linear score")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) classes_[1] where the score is > 0, else classes_[0]."""
        raise NotImplementedError("predict: threshold the score at 0")

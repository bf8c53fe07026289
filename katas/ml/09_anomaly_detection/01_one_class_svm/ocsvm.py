"""ml-09-1: One-Class SVM. Edit this file; `grader check ml-09-1` tests it."""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize  # noqa: F401  (one way to solve the dual QP)


def rbf_kernel(A: np.ndarray, B: np.ndarray, gamma: float) -> np.ndarray:
    """K[i, j] = exp(-gamma * ||A[i] - B[j]||^2).

    Shapes:
        A: (n, d), B: (m, d) float64
        returns: (n, m) float64
    """
    raise NotImplementedError("rbf_kernel")


class OneClassSVM:
    """Schölkopf's nu One-Class SVM with an RBF kernel, in libsvm's (= scikit-learn's) scaling.

    fit solves the dual QP
        minimise    1/2 alpha^T K alpha
        subject to  0 <= alpha_i <= 1,   sum_i alpha_i = nu * n
    and sets rho from the KKT conditions: the mean of (K alpha)_i over the free support vectors
    (0 < alpha_i < 1). Then
        score_samples(x)     = sum_i alpha_i k(x_i, x)
        decision_function(x) = score_samples(x) - rho      (> 0 inside, < 0 outside)
        predict(x)           = +1 where decision_function(x) > 0, else -1

    Fitted attributes:
        support_: (n_SV,) int indices of the training points with alpha_i > 0 (use a small
            threshold such as 1e-8 for "> 0")
        dual_coef_: (n_SV,) float64 their alphas;  support_vectors_: (n_SV, d) those points
        rho_: float;  intercept_: float, equal to -rho_

    Raises:
        ValueError: in fit, unless 0 < nu <= 1.
    """

    def __init__(self, nu: float = 0.5, gamma: float = 1.0) -> None:
        self.nu = nu
        self.gamma = gamma

    def fit(self, X: np.ndarray) -> OneClassSVM:
        """Solve the dual on X of shape (n, d); return self."""
        raise NotImplementedError("OneClassSVM.fit: kernel matrix, dual QP, rho")

    def score_samples(self, X: np.ndarray) -> np.ndarray:
        """(m,) sum_i alpha_i k(x_i, x) for each row x of X of shape (m, d)."""
        raise NotImplementedError("OneClassSVM.score_samples")

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """(m,) score_samples(X) - rho."""
        raise NotImplementedError("OneClassSVM.decision_function")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(m,) int: +1 where decision_function > 0, -1 elsewhere."""
        raise NotImplementedError("OneClassSVM.predict")

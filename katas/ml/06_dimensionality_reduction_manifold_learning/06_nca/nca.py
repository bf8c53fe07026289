"""ml-06-6: Neighbourhood components analysis. Edit this file; `grader check ml-06-6` tests it."""
from __future__ import annotations

import numpy as np


def nca_objective_and_gradient(A: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """NCA's objective f(A) = sum_i p_i, the expected number of points that a stochastic
    nearest-neighbour rule in the space z = A x classifies correctly, and its gradient df/dA.

    p_ij = exp(-|A x_i - A x_j|^2) / sum_{k != i} exp(-|A x_i - A x_k|^2) for j != i, p_ii = 0,
    p_i = sum_{j : y_j = y_i} p_ij.

    Shapes:
        A: (k, d) float64, the linear transformation
        X: (n, d) float64
        y: (n,) integer class labels
        returns: (f as a Python float, gradient (k, d) float64)
    """
    raise NotImplementedError("nca_objective_and_gradient: leave-one-out softmax over -squared distances")


class NCA:
    """Neighbourhood components analysis (Goldberger et al. 2004), maximising f with L-BFGS-B.

    Fitted attributes (set by `fit`):
        components_: (k, d) float64, the learned transformation A
        objective_: float, f(components_)
    """

    def __init__(self, init: np.ndarray, max_iter: int = 50, tol: float = 1e-5) -> None:
        self.init = init
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> NCA:
        """Maximise f from A = init by minimising -f with
        scipy.optimize.minimize(method="L-BFGS-B", jac=True, x0=init.ravel(), tol=tol,
        options={"maxiter": max_iter}) (the optimiser and settings sklearn uses). Returns self.

        Shapes:
            X: (n, d) float64
            y: (n,) integer labels
            returns: self

        Raises:
            ValueError: unless init has shape (k, d) with 1 <= k <= d.
        """
        raise NotImplementedError("NCA.fit: minimise -f with L-BFGS-B from init")

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Shapes:
            X: (m, d) float64
            returns: (m, k) float64, X @ components_.T
        """
        raise NotImplementedError("NCA.transform: apply the learned linear map")

"""ml-05-4: the kernel trick; linear, polynomial and RBF kernels; Gram matrices are PSD.
Edit this file; `grader check ml-05-4` tests it."""
from __future__ import annotations

import numpy as np


def linear_kernel(X: np.ndarray, Y: np.ndarray | None = None) -> np.ndarray:
    """K[i, j] = x_i . y_j (Y defaults to X), as sklearn.metrics.pairwise.linear_kernel.

    Shapes:
        X: (n, d), Y: (m, d) or None
        returns: (n, m) float64 ((n, n) when Y is None)
    """
    raise NotImplementedError("linear_kernel: all dot products")


def polynomial_kernel(X: np.ndarray, Y: np.ndarray | None = None, degree: int = 3, gamma: float | None = None,
                      coef0: float = 1.0) -> np.ndarray:
    """K[i, j] = (gamma * x_i . y_j + coef0) ** degree; gamma=None means 1 / n_features (sklearn's default).

    Shapes: as linear_kernel.
    """
    raise NotImplementedError("polynomial_kernel: (gamma <x, y> + coef0)^degree")


def rbf_kernel(X: np.ndarray, Y: np.ndarray | None = None, gamma: float | None = None) -> np.ndarray:
    """K[i, j] = exp(-gamma * ||x_i - y_j||^2); gamma=None means 1 / n_features (sklearn's default).

    Shapes: as linear_kernel.
    """
    raise NotImplementedError("rbf_kernel: exp(-gamma * squared distance)")


def is_psd(K: np.ndarray, tol: float = 1e-10) -> bool:
    """Is K a symmetric positive semi-definite matrix, up to floating-point rounding?

    True iff K is square, symmetric (max |K - K^T| <= tol * max(1, max |K|)) and its smallest
    eigenvalue is >= -tol * max(1, largest |eigenvalue|). The tolerance matters: the Gram matrix of a
    data set with a repeated point is exactly singular, and an eigensolver returns its zero
    eigenvalue as something like -3e-17.

    Shapes:
        K: (n, n)
    """
    raise NotImplementedError("is_psd: symmetry check, then the smallest eigenvalue with a tolerance")


def poly2_feature_map(X: np.ndarray, gamma: float = 1.0, coef0: float = 1.0) -> np.ndarray:
    """An explicit feature map phi with phi(x) . phi(y) = (gamma * x . y + coef0) ** 2 (coef0 >= 0).

    Use exactly D = (d + 1)(d + 2) / 2 features: one constant, d linear, d squares and
    d(d - 1)/2 cross products x_i x_j (i < j), each with the coefficient that makes the dot product
    come out right. Any order of the features is fine.

    Shapes:
        X: (n, d)
        returns: (n, (d + 1)(d + 2) / 2) float64
    """
    raise NotImplementedError("poly2_feature_map: expand (gamma x.y + c)^2 into a dot product")

"""found-01-8: operator norms, the spectral norm, PSD Gram matrices. Edit this file; `grader check found-01-8` tests it."""
from __future__ import annotations

import numpy as np


def spectral_norm(A: np.ndarray, *, tol: float = 1e-12, max_iter: int = 10000,
                  seed: int = 0) -> tuple[float, np.ndarray, bool]:
    """‖A‖₂ = the largest singular value, by power iteration on AᵀA.

    Start from v = np.random.default_rng(seed).standard_normal(n), normalised. Each step computes
    w = AᵀA v and μ = vᵀw; stop (converged) when ‖w − μv‖ <= tol·μ, otherwise v = w / ‖w‖. At most
    max_iter steps. Return (‖A v‖, v, converged) for the final unit vector v: since ‖Av‖ <= ‖A‖₂ for
    every unit v, the estimate never exceeds the true norm. A is left unchanged.

    Shapes:
        A: (m, n)
        returns: (float, (n,) float64 unit vector, bool)

    Raises:
        ValueError: if A is not 2-D or max_iter < 1.
    """
    raise NotImplementedError("spectral_norm: power iteration on AᵀA, sigma = ‖Av‖")


def induced_norm(A: np.ndarray, p: float) -> tuple[float, np.ndarray]:
    """The operator norm ‖A‖_p = max ‖Ax‖_p / ‖x‖_p for p in {1, 2, np.inf}, and an x attaining it.

    p = 1: the largest column sum of |A|, attained by the unit vector e_j of that column (the first
    such column on ties). p = inf: the largest row sum of |A|, attained by x = the signs of that row
    (+1 where the entry is 0; the first such row on ties). p = 2: spectral_norm(A) with its defaults,
    attained by its v. Always ‖x‖_p = 1 and ‖A x‖_p = the returned norm. A is left unchanged.

    Shapes:
        A: (m, n)
        returns: (float, (n,) float64)

    Raises:
        ValueError: if A is not 2-D or p is not 1, 2 or np.inf.
    """
    raise NotImplementedError("induced_norm: column sums (p=1), row sums (p=inf), spectral_norm (p=2)")


def gram_matrix(X: np.ndarray, kernel: str = "linear", gamma: float | None = None) -> np.ndarray:
    """The Gram matrix G[i, j] = k(x_i, x_j) of the rows of X.

    kernel="linear": k(x, y) = x·y. kernel="rbf": k(x, y) = exp(−gamma ‖x − y‖²) with gamma=None
    meaning 1 / n_features (scikit-learn's default); the diagonal is exactly 1 (‖x − x‖² = 0) and
    squared distances are never negative. X is left unchanged.

    Shapes:
        X: (n_samples, n_features)
        returns: (n_samples, n_samples) float64

    Raises:
        ValueError: if X is not 2-D or kernel is not "linear" or "rbf".
    """
    raise NotImplementedError("gram_matrix: XXᵀ, or exp(-gamma * squared distances)")


def is_psd(G: np.ndarray, tol: float = 1e-10) -> bool:
    """Whether G is symmetric positive semidefinite, up to rounding.

    G counts as symmetric when max|G − Gᵀ| <= tol · max|G|, and then as PSD when the smallest
    eigenvalue of (G + Gᵀ)/2 is >= −tol · max|λ| (so an all-zero G is PSD). G is left unchanged.

    Shapes:
        G: (n, n)
        returns: bool

    Raises:
        ValueError: if G is not square.
    """
    raise NotImplementedError("is_psd: symmetric, and the smallest eigenvalue is not (really) negative")

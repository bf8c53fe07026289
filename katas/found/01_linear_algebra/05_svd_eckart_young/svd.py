"""found-01-5: SVD via the eigendecomposition of AᵀA, and Eckart–Young. Edit this file; `grader check found-01-5` tests it."""
from __future__ import annotations

import numpy as np


def svd_via_eigh(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The thin SVD A = U diag(s) Vt, built from np.linalg.eigh(AᵀA) (not from np.linalg.svd).

    For m >= n: the eigenvectors of AᵀA are the right singular vectors V and its eigenvalues are s².
    Sort them in decreasing order. Eigenvalues <= n·eps·λ_max (eps of float64; rounding noise,
    negative ones included) are set to 0. Then u_i = A v_i / s_i for s_i > 0, and the columns of U
    for s_i = 0 are completed to an orthonormal set. For m < n, use the SVD of Aᵀ and swap the roles.
    A is left unchanged.

    Returns U with orthonormal columns, s >= 0 in decreasing order (exact zeros for the rank
    deficiency), Vt with orthonormal rows.

    Shapes:
        A: (m, n), any float dtype; k = min(m, n)
        returns: U (m, k), s (k,), Vt (k, n), all float64

    Raises:
        ValueError: if A is not 2-D.
    """
    raise NotImplementedError("svd_via_eigh: eigh(A.T @ A), sort, s = sqrt, U = A V / s")


def low_rank_approx(A: np.ndarray, k: int) -> np.ndarray:
    """The best rank-k approximation A_k = U[:, :k] diag(s[:k]) Vt[:k] (Eckart–Young), via svd_via_eigh.

    Shapes:
        A: (m, n); 0 <= k <= min(m, n)
        returns: (m, n) float64

    Raises:
        ValueError: if A is not 2-D or k is not in [0, min(m, n)].
    """
    raise NotImplementedError("low_rank_approx: keep the k largest singular triplets")


def eckart_young_errors(s: np.ndarray, k: int) -> tuple[float, float]:
    """The errors of the best rank-k approximation, from the singular values alone.

    ‖A − A_k‖_F = sqrt(s[k]² + s[k+1]² + ...) and ‖A − A_k‖_2 = s[k] (0.0 when k = len(s)).

    Shapes:
        s: (r,) singular values in decreasing order; 0 <= k <= r
        returns: (frobenius, spectral), two floats

    Raises:
        ValueError: if k is not in [0, len(s)].
    """
    raise NotImplementedError("eckart_young_errors: the norms of the tail s[k:]")

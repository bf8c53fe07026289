"""found-01-3: LU and Householder QR. Edit this file; `grader check found-01-3` tests it."""
from __future__ import annotations

import numpy as np


def lu(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LU with partial pivoting: A = P @ L @ U, scipy.linalg.lu's convention.

    Eliminate on a float64 copy of A (A is left unchanged). At column j the pivot is the row i >= j
    with the largest |U[i, j]|, the first such row on ties. Swapping rows j and i swaps them in U,
    in the multipliers already stored in L (columns < j) and in the permutation. When the pivot is
    0 (the column is zero from row j down) there is nothing to eliminate: go on to the next column.

    Returns P, a permutation matrix; L, unit lower-triangular with every |L[i, j]| <= 1; U, upper
    triangular with exact zeros below the diagonal. Works for singular A too.

    Shapes:
        A: (n, n), any float dtype
        returns: P, L, U, each (n, n) float64

    Raises:
        ValueError: if A is not a square 2-D array.
    """
    raise NotImplementedError("lu: pivot, store the multipliers in L, eliminate below the pivot")


def householder_qr(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The reduced QR decomposition A = Q @ R by Householder reflections.

    For column k, reflect x = R[k:, k] onto a multiple of e1 with H = I - 2 v vᵀ, v ∝ x + sign(x0)‖x‖e1
    (this sign never subtracts nearly equal numbers; either sign is fine when x0 = 0). Skip a column with x = 0.
    Build Q by applying the reflections to the first n columns of the m×m identity. Finally flip
    the signs of matching rows of R and columns of Q so that diag(R) >= 0: for a full-rank A this
    makes the decomposition unique. A is left unchanged.

    Q has orthonormal columns (QᵀQ = I to rounding, even when A is ill-conditioned: that is what
    Householder buys over Gram–Schmidt); R is upper triangular with exact zeros below the diagonal.

    Shapes:
        A: (m, n) with m >= n, any float dtype
        returns: Q (m, n) float64, R (n, n) float64

    Raises:
        ValueError: if A is not 2-D or m < n.
    """
    raise NotImplementedError("householder_qr: reflect each column onto e1, accumulate Q, normalise signs")

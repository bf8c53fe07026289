"""found-01-2: Gaussian elimination with partial pivoting. Edit this file; `grader check found-01-2` tests it."""
from __future__ import annotations

import numpy as np

PIVOT_RTOL = 1e-12  # a pivot with |p| <= PIVOT_RTOL * max|A| means "singular"


def solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x with A x = b, by Gaussian elimination with partial pivoting and back substitution.

    Work on float64 copies of A and b (the inputs are left unchanged). At column j, swap up the row
    (at or below j) whose |entry| in column j is largest, in the matrix and the right-hand side
    alike; eliminate below it; then solve the triangular system from the bottom row up.

    A is singular when the best pivot of some column has |pivot| <= PIVOT_RTOL * max|A| (max over
    all entries of the original A; an all-zero A is singular): raise np.linalg.LinAlgError then.

    Shapes:
        A: (n, n), n >= 1, any float dtype
        b: (n,) or (n, k)
        returns: the shape of b, float64

    Raises:
        ValueError: if A is not a square 2-D array, or b is not (n,) or (n, k).
        np.linalg.LinAlgError: if A is singular in the sense above.
    """
    raise NotImplementedError("solve: eliminate with partial pivoting, then back-substitute")


def inverse(A: np.ndarray) -> np.ndarray:
    """The inverse of A, by solving A X = I with the same elimination (A is left unchanged).

    Shapes:
        A: (n, n), n >= 1
        returns: (n, n), float64

    Raises:
        ValueError: if A is not a square 2-D array.
        np.linalg.LinAlgError: if A is singular (same rule as `solve`).
    """
    raise NotImplementedError("inverse: solve A X = I for the n columns of the identity")

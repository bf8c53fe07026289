"""found-02-4: condition numbers and error amplification. Edit this file; `grader check found-02-4` tests it."""
from __future__ import annotations

import numpy as np


def condition_number(A: np.ndarray, p: float | str = 2) -> float:
    """κ_p(A) = ‖A‖_p ‖A⁻¹‖_p, as numpy.linalg.cond(A, p).

    p = 2: s_max / s_min from the singular values (inf when s_min == 0). p in {1, np.inf, "fro"}:
    the product of the two matrix norms, with A⁻¹ from np.linalg.inv (inf when inv raises
    LinAlgError). A is left unchanged.

    Shapes:
        A: (n, n)
        returns: a float (possibly inf)

    Raises:
        ValueError: if A is not square, or p is not 1, 2, np.inf or "fro".
    """
    raise NotImplementedError("condition_number: ‖A‖ ‖A^-1‖, or s_max / s_min for p = 2")


def error_amplification(A: np.ndarray, b: np.ndarray, delta_b: np.ndarray) -> float:
    """How much solving A x = b magnifies a relative perturbation of b, in the 2-norm.

    With x = A⁻¹b and δx = A⁻¹δb (by linearity; solve for it directly rather than subtracting two
    solutions), return (‖δx‖ / ‖x‖) / (‖δb‖ / ‖b‖). It never exceeds κ₂(A). A, b, delta_b are left unchanged.

    Shapes:
        A: (n, n) nonsingular; b, delta_b: (n,), nonzero
        returns: a float
    """
    raise NotImplementedError("error_amplification: relative change of x over relative change of b")


def worst_case_pair(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors (b, delta_b) whose error_amplification equals κ₂(A).

    With A = U diag(s) Vᵀ: b = the left singular vector of the largest singular value, delta_b = the
    left singular vector of the smallest one. (Their signs are free.) A is left unchanged.

    Shapes:
        A: (n, n) nonsingular
        returns: two (n,) float64 unit vectors
    """
    raise NotImplementedError("worst_case_pair: b along u_1, delta_b along u_n")

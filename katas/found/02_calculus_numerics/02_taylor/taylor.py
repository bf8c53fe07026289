"""found-02-2: Taylor polynomials and their remainder bound. Edit this file; `grader check found-02-2` tests it."""
from __future__ import annotations

import numpy as np


def taylor_polynomial(derivs: np.ndarray, a: float, x: np.ndarray) -> np.ndarray:
    """The n-th order Taylor polynomial of f about a, evaluated at x.

    T_n(x) = Σ_{k=0..n} derivs[k] · (x − a)^k / k!, where derivs[k] = f^(k)(a) and n = len(derivs) − 1.

    Shapes:
        derivs: (n + 1,); x: any shape (or a float)
        returns: x's shape, float64

    Raises:
        ValueError: if derivs is empty or not 1-D.
    """
    raise NotImplementedError("taylor_polynomial: sum derivs[k] (x - a)^k / k!")


def remainder_bound(M: float, a: float, x: np.ndarray, n: int) -> np.ndarray:
    """Lagrange's bound on |f(x) − T_n(x)|, given M >= |f^(n+1)| between a and x.

    Computed as M · |x − a|^(n+1) / (n+1)! (with math.factorial).

    Shapes:
        x: any shape (or a float)
        returns: x's shape, float64

    Raises:
        ValueError: if n < 0 or M < 0.
    """
    raise NotImplementedError("remainder_bound: M |x - a|^(n+1) / (n+1)!")


def terms_needed(M: float, r: float, tol: float, max_n: int = 100) -> int:
    """The smallest order n >= 0 whose remainder bound M · r^(n+1) / (n+1)! is <= tol.

    r is the largest |x − a| of interest and M bounds every derivative used. The bound is computed
    exactly as in remainder_bound, and a bound equal to tol is good enough.

    Raises:
        ValueError: if M < 0, r < 0 or tol <= 0, or no n <= max_n reaches tol.
    """
    raise NotImplementedError("terms_needed: the first n whose bound is <= tol")

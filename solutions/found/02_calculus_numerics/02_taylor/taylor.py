"""Reference solution for found-02-2."""
from __future__ import annotations

import math

import numpy as np


def taylor_polynomial(derivs: np.ndarray, a: float, x: np.ndarray) -> np.ndarray:
    derivs = np.asarray(derivs)
    if derivs.ndim != 1 or len(derivs) == 0:
        raise ValueError("derivs must be a non-empty 1-D array f(a), f'(a), ..., f^(n)(a)")
    dx = np.asarray(x) - a
    total = np.zeros(dx.shape)
    for k in range(len(derivs) - 1, -1, -1):  # Horner: c0 + dx (c1 + dx (c2 + ...))
        total = total * dx + derivs[k] / math.factorial(k)
    return total


def remainder_bound(M: float, a: float, x: np.ndarray, n: int) -> np.ndarray:
    if n < 0 or M < 0:
        raise ValueError(f"need n >= 0 and M >= 0, got n={n}, M={M}")
    r = np.abs(np.asarray(x) - a)
    return M * r ** (n + 1) / math.factorial(n + 1)


def terms_needed(M: float, r: float, tol: float, max_n: int = 100) -> int:
    if M < 0 or r < 0 or tol <= 0:
        raise ValueError(f"need M >= 0, r >= 0, tol > 0, got {M}, {r}, {tol}")
    for n in range(max_n + 1):
        if M * r ** (n + 1) / math.factorial(n + 1) <= tol:
            return n
    raise ValueError(f"no n <= {max_n} reaches tol={tol}")

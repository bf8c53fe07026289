"""found-04-3: Newton's method and BFGS. Edit this file; `grader check found-04-3` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

Fn = Callable[[np.ndarray], float]
Grad = Callable[[np.ndarray], np.ndarray]


def backtrack(f: Fn, x: np.ndarray, fx: float, g: np.ndarray, p: np.ndarray) -> float:
    """The first t in 1, 1/2, 1/4, ... (at most 60 tries) with f(x + t p) <= f(x) + 1e-4 t gᵀp; 0.0 if none."""
    slope, t = float(g @ p), 1.0
    for _ in range(60):
        if f(x + t * p) <= fx + 1e-4 * t * slope:
            return t
        t *= 0.5
    return 0.0


def newton(f: Fn, grad: Grad, hess: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, tol: float = 1e-10,
           max_iter: int = 100) -> tuple[np.ndarray, int, bool]:
    """Damped Newton's method.

    For k = 0, 1, ..., max_iter − 1: g = grad(x); if ‖g‖ <= tol return (x, k, True). Otherwise solve
    hess(x) p = −g (np.linalg.solve, no inverse); if p is not a descent direction (gᵀp >= 0) use
    p = −g; x <- x + backtrack(f, x, f(x), g, p) · p. After max_iter steps return
    (x, max_iter, ‖grad(x)‖ <= tol). x0 is left unchanged.
    """
    raise NotImplementedError("newton: solve H p = -g, backtrack, repeat until the gradient is small")


def bfgs(f: Fn, grad: Grad, x0: np.ndarray, tol: float = 1e-8, max_iter: int = 1000) -> tuple[np.ndarray, int, bool]:
    """BFGS with an inverse-Hessian approximation H (H = I at first) and backtracking.

    For k = 0, 1, ..., max_iter − 1: if ‖g‖ <= tol return (x, k, True); p = −H g; s = backtrack(...)·p;
    y = grad(x + s) − g; if sᵀy > 1e-12 update H <- (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with
    ρ = 1/(sᵀy) (otherwise keep H); x <- x + s. After max_iter steps return
    (x, max_iter, ‖grad(x)‖ <= tol). x0 is left unchanged.
    """
    raise NotImplementedError("bfgs: quasi-Newton direction, line search, rank-two update of H")

"""found-04-1: gradient descent on quadratics and Armijo backtracking. Edit this file; `grader check found-04-1` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def gd_quadratic(A: np.ndarray, b: np.ndarray, x0: np.ndarray, lr: float, n_steps: int) -> np.ndarray:
    """Gradient descent with a fixed step on f(x) = ½ xᵀAx − bᵀx (gradient Ax − b).

    x_{k+1} = x_k − lr · (A x_k − b). Returns every iterate, x0 first. x0 is left unchanged.

    Shapes:
        A: (n, n) symmetric positive definite; b, x0: (n,)
        returns: (n_steps + 1, n) float64

    Raises:
        ValueError: if lr <= 0 or n_steps < 0.
    """
    raise NotImplementedError("gd_quadratic: x <- x - lr (A x - b), keep every iterate")


def optimal_rate(A: np.ndarray) -> tuple[float, float]:
    """The best fixed step for gradient descent on the quadratic, and the rate it achieves.

    With λ_min, λ_max the extreme eigenvalues and κ = λ_max / λ_min: step 2 / (λ_min + λ_max), which
    makes the error shrink by at least (κ − 1)/(κ + 1) per step in the Euclidean norm.

    Returns:
        (step, rate) floats

    Raises:
        ValueError: if A is not positive definite (λ_min <= 0).
    """
    raise NotImplementedError("optimal_rate: 2 / (λmin + λmax) and (κ - 1) / (κ + 1)")


def armijo_step(f: Callable[[np.ndarray], float], g: np.ndarray, x: np.ndarray, t0: float = 1.0,
                beta: float = 0.5, c: float = 1e-4, max_halvings: int = 60) -> float:
    """Backtracking line search along −g: the first t in t0, t0·β, t0·β², ... with
    f(x − t g) <= f(x) − c · t · ‖g‖² (Armijo's sufficient-decrease condition).

    Raises:
        ValueError: if t0 <= 0, beta or c is not in (0, 1), or max_halvings tries all fail.
    """
    raise NotImplementedError("armijo_step: shrink t by beta until the sufficient-decrease test passes")


def gd_armijo(f: Callable[[np.ndarray], float], grad: Callable[[np.ndarray], np.ndarray], x0: np.ndarray,
              n_steps: int, t0: float = 1.0, beta: float = 0.5, c: float = 1e-4) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent whose step comes from armijo_step(f, grad(x), x, t0, beta, c) at every iterate.

    Stops early, before n_steps, if the gradient is exactly zero. x0 is left unchanged.

    Returns:
        (iterates (k + 1, n) with x0 first, accepted steps (k,)), k <= n_steps
    """
    raise NotImplementedError("gd_armijo: a line search at every step")

"""found-02-1: matrix calculus and gradient checking. Edit this file; `grader check found-02-1` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def grad_quadratic_form(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    """∇ₓ (xᵀ A x) for a square A that need not be symmetric.

    Shapes:
        A: (n, n) float64; x: (n,) float64
        returns: (n,) float64
    """
    raise NotImplementedError("grad_quadratic_form: differentiate x^T A x (A is not symmetric in general)")


def grad_least_squares(A: np.ndarray, x: np.ndarray, b: np.ndarray) -> np.ndarray:
    """∇ₓ ‖A x − b‖² (the squared Euclidean norm, no 1/2 in front).

    Shapes:
        A: (m, n); x: (n,); b: (m,); all float64
        returns: (n,) float64
    """
    raise NotImplementedError("grad_least_squares: the chain rule through r = Ax - b")


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer labels, and its gradient w.r.t. the logits.

    loss = −(1/N) Σ_i log softmax(logits[i])[y[i]]. Compute it stably (subtract each row's max
    before exponentiating): logits as large as ±1000 must give finite results. logits is left unchanged.

    Shapes:
        logits: (N, C) float64; y: (N,) integers in [0, C)
        returns: (loss as a float, gradient (N, C) float64)
    """
    raise NotImplementedError("softmax_cross_entropy: stable log-softmax; the gradient is (p - onehot) / N")


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """The gradient of a scalar function by central differences, one coordinate at a time.

    grad[i] = (f(x + h e_i) − f(x − h e_i)) / (2h) for every index i of x (any shape). f is called
    with float64 arrays of x's shape; x itself is left unchanged.

    Shapes:
        x: any shape
        returns: x's shape, float64
    """
    raise NotImplementedError("numerical_gradient: central differences (f(x+h) - f(x-h)) / 2h per coordinate")

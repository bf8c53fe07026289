"""dl-08-7: the implicit bias of gradient descent on under-determined least squares. Edit this file;
`grader check dl-08-7` tests it.

X (n, d) with n < d: infinitely many w interpolate y exactly. All arrays float64; no input is modified.
"""
from __future__ import annotations

import numpy as np


def min_norm_solution(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The interpolating w of smallest Euclidean norm, w* = X⁺ y (for X of full row rank: Xᵀ (X Xᵀ)⁻¹ y).

    Shapes:
        X: (n, d); y: (n,) -> (d,)
    """
    raise NotImplementedError("min_norm_solution: the pseudo-inverse applied to y")


def null_space_projection(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The component of w in the null space of X (the directions X cannot see): w − X⁺ X w.

    Shapes:
        -> (d,)
    """
    raise NotImplementedError("null_space_projection: remove the row-space part of w")


def gradient_descent(X: np.ndarray, y: np.ndarray, lr: float, steps: int,
                     w0: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Full-batch gradient descent on L(w) = ‖X w − y‖² / (2n), w ← w − lr · Xᵀ(X w − y)/n, from w0
    (None: the zero vector). Returns the final w and the loss before every step and after the last
    (steps + 1 values). w is a new array (never w0 itself, also for steps = 0); w0 is not modified.

    Shapes:
        X: (n, d), y: (n,), w0: (d,) or None, all float64 -> w: (d,), losses: (steps + 1,)
    """
    raise NotImplementedError("gradient_descent: the plain iteration, recording the loss")

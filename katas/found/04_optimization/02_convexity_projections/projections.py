"""found-04-2: convexity checks and projected gradient descent. Edit this file; `grader check found-04-2` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def project_simplex(v: np.ndarray) -> np.ndarray:
    """The Euclidean projection of v onto the probability simplex {x : x >= 0, Σx = 1}.

    The answer is x = max(v − τ, 0) for the τ that makes it sum to 1 (sort v in decreasing order u,
    find the largest ρ with u_ρ − (Σ_{i<=ρ} u_i − 1)/ρ > 0, τ = (Σ_{i<=ρ} u_i − 1)/ρ). v is left unchanged.

    Shapes:
        v: (n,), n >= 1
        returns: (n,) float64

    Raises:
        ValueError: if v is not a non-empty 1-D array.
    """
    raise NotImplementedError("project_simplex: subtract the threshold tau and clip at 0")


def project_ball(v: np.ndarray, radius: float = 1.0, center: np.ndarray | None = None) -> np.ndarray:
    """The Euclidean projection of v onto the ball ‖x − center‖ <= radius (center=None: the origin).

    A point inside is returned unchanged (as a new array); a point outside moves along the ray
    to the center until it is on the sphere. v is left unchanged.

    Raises:
        ValueError: if radius <= 0.
    """
    raise NotImplementedError("project_ball: keep it if inside, otherwise rescale towards the center")


def numerical_hessian(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """The Hessian of f at x by central differences, exactly symmetric:

    H[i, j] = (f(x + h e_i + h e_j) − f(x + h e_i − h e_j) − f(x − h e_i + h e_j) + f(x − h e_i − h e_j)) / (4h²),
    computed for i <= j and mirrored. A convex f has a PSD Hessian everywhere. x is left unchanged.

    Shapes:
        x: (n,)
        returns: (n, n) float64
    """
    raise NotImplementedError("numerical_hessian: four-point central differences")


def projected_gradient_descent(grad: Callable[[np.ndarray], np.ndarray], project: Callable[[np.ndarray], np.ndarray],
                               x0: np.ndarray, lr: float, n_steps: int) -> np.ndarray:
    """Projected gradient descent: x_0 = project(x0), x_{k+1} = project(x_k − lr · grad(x_k)).

    Returns:
        every iterate, (n_steps + 1, n) float64

    Raises:
        ValueError: if lr <= 0 or n_steps < 0.
    """
    raise NotImplementedError("projected_gradient_descent: a gradient step, then project back")

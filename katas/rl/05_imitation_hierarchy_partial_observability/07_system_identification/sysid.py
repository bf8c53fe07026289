"""rl-05-7: system identification, least-squares fit of pendulum dynamics from rollouts. Edit this file; `grader check rl-05-7` tests it."""
from __future__ import annotations

import numpy as np


def obs_to_state(obs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pendulum-v1 observations (cos theta, sin theta, theta_dot) -> (theta in (-pi, pi], theta_dot),
    as new float64 arrays. obs is not modified.

    Shapes:
        obs: (N, 3); returns: (N,), (N,)
    """
    raise NotImplementedError("obs_to_state: atan2(sin, cos)")


def design_matrix(obs: np.ndarray, actions: np.ndarray, next_obs: np.ndarray, dt: float,
                  max_speed: float = 8.0) -> tuple[np.ndarray, np.ndarray]:
    """The linear regression problem of the pendulum's angular acceleration:

        y = (theta_dot' - theta_dot) / dt = a * sin(theta) + b * u

    one row [sin(theta), u] per transition, keeping only transitions whose next angular velocity
    was not clipped by the simulator (|theta_dot'| < max_speed). Inputs are not modified.

    Shapes:
        obs, next_obs: (N, 3); actions: (N, 1) torques in [-2, 2]
        returns: X (K, 2) float64, y (K,) float64, K = number of unclipped transitions
    """
    raise NotImplementedError("design_matrix: finite-difference the angular velocity, drop clipped samples")


def fit_pendulum(obs: np.ndarray, actions: np.ndarray, next_obs: np.ndarray, dt: float = 0.05,
                 length: float = 1.0) -> dict[str, float]:
    """Least-squares estimates of the pendulum's parameters from transitions.

    (a, b) by np.linalg.lstsq on design_matrix; with a = 3 g / (2 l) and b = 3 / (m l^2) and the
    known length l, return {"a": a, "b": b, "g": 2 l a / 3, "m": 3 / (b l^2)}. Inputs are not modified.

    Raises:
        ValueError: fewer than two unclipped transitions.
    """
    raise NotImplementedError("fit_pendulum: least squares, then solve for g and m")

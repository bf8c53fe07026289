"""rl-05-8: domain randomization, policy robustness across randomized dynamics. Edit this file; `grader check rl-05-8` tests it."""
from __future__ import annotations

import numpy as np


def pendulum_step(th: np.ndarray, thdot: np.ndarray, u: np.ndarray, g: float | np.ndarray, m: float | np.ndarray,
                  length: float | np.ndarray, dt: float = 0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One step of gymnasium's Pendulum-v1 dynamics, vectorised (all arguments broadcast):

        u         = clip(u, -2, 2)
        reward    = -(wrap(th)^2 + 0.1 thdot^2 + 0.001 u^2),   wrap into [-pi, pi)
        thdot'    = clip(thdot + (3 g / (2 l) sin(th) + 3 / (m l^2) u) dt, -8, 8)
        th'       = th + thdot' dt

    Returns (th', thdot', reward) as new arrays.
    """
    raise NotImplementedError("pendulum_step: the Pendulum-v1 update, batched")


def linear_policy(gains: np.ndarray, th: np.ndarray, thdot: np.ndarray) -> np.ndarray:
    """u = clip(-gains[..., 0] * wrap(th) - gains[..., 1] * thdot, -2, 2) (broadcasting)."""
    raise NotImplementedError("linear_policy: PD control on the wrapped angle")


def policy_returns(gains: np.ndarray, masses: np.ndarray, starts: np.ndarray, steps: int = 100,
                   g: float = 10.0, length: float = 1.0) -> np.ndarray:
    """Undiscounted returns of every linear policy on every pendulum mass from every start state,
    simulated with pendulum_step for `steps` steps, in float64 whatever the float dtype of the
    inputs (float32 masses or starts are used at their exact values). Inputs are not modified.

    Shapes:
        gains: (C, 2); masses: (M,); starts: (S, 2) rows (theta, theta_dot)
        returns: (C, M, S) float64
    """
    raise NotImplementedError("policy_returns: simulate all (candidate, mass, start) triples at once")


def train_gains(candidates: np.ndarray, masses: np.ndarray, starts: np.ndarray, steps: int = 100) -> np.ndarray:
    """Training by search: the candidate gains with the best mean return over all masses and starts
    (the first on ties), returned as a new array (a copy of that row, not a view of candidates).
    With one mass this is nominal training; with masses drawn from a range it is domain randomization.

    Raises:
        ValueError: no candidates, masses or starts.

    Shapes:
        candidates: (C, 2); returns: (2,)
    """
    raise NotImplementedError("train_gains: argmax of the mean return")

"""Reference solution for rl-05-8."""
from __future__ import annotations

import numpy as np


def pendulum_step(th: np.ndarray, thdot: np.ndarray, u: np.ndarray, g: float | np.ndarray, m: float | np.ndarray,
                  length: float | np.ndarray, dt: float = 0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    u = np.clip(u, -2.0, 2.0)
    wrapped = ((th + np.pi) % (2 * np.pi)) - np.pi
    reward = -(wrapped**2 + 0.1 * thdot**2 + 0.001 * u**2)
    new_thdot = np.clip(thdot + (3 * g / (2 * length) * np.sin(th) + 3.0 / (m * length**2) * u) * dt, -8.0, 8.0)
    return th + new_thdot * dt, new_thdot, reward


def linear_policy(gains: np.ndarray, th: np.ndarray, thdot: np.ndarray) -> np.ndarray:
    wrapped = ((th + np.pi) % (2 * np.pi)) - np.pi
    return np.clip(-gains[..., 0] * wrapped - gains[..., 1] * thdot, -2.0, 2.0)


def policy_returns(gains: np.ndarray, masses: np.ndarray, starts: np.ndarray, steps: int = 100,
                   g: float = 10.0, length: float = 1.0) -> np.ndarray:
    """Returns (C, M, S) of every gain on every mass from every start, simulated in float64 whatever
    the float dtype of the inputs. Inputs are not modified."""
    C, M, S = len(gains), len(masses), len(starts)
    th = np.broadcast_to(starts[:, 0], (C, M, S)).astype(np.float64)
    thdot = np.broadcast_to(starts[:, 1], (C, M, S)).astype(np.float64)
    k = gains[:, None, None, :]
    m = np.asarray(masses, dtype=np.float64)[None, :, None]
    total = np.zeros((C, M, S))
    for _ in range(steps):
        u = linear_policy(k, th, thdot)
        th, thdot, r = pendulum_step(th, thdot, u, g, m, length)
        total += r
    return total


def train_gains(candidates: np.ndarray, masses: np.ndarray, starts: np.ndarray, steps: int = 100) -> np.ndarray:
    """The candidate with the best mean return (first on ties), as a new array (a copy of that row)."""
    if len(masses) < 1 or len(starts) < 1 or len(candidates) < 1:
        raise ValueError("need at least one candidate, mass and start state")
    scores = policy_returns(candidates, masses, starts, steps).mean(axis=(1, 2))
    return candidates[int(np.argmax(scores))].copy()

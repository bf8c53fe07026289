"""Plausible wrong domain-randomization pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from domain_randomization import policy_returns


@pitfall(replaces="pendulum_step", why="integrates the angle with the OLD angular velocity (explicit Euler, not semi-implicit)")
def explicit_euler(th: np.ndarray, thdot: np.ndarray, u: np.ndarray, g: float | np.ndarray, m: float | np.ndarray,
                   length: float | np.ndarray, dt: float = 0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    u = np.clip(u, -2.0, 2.0)
    wrapped = ((th + np.pi) % (2 * np.pi)) - np.pi
    reward = -(wrapped**2 + 0.1 * thdot**2 + 0.001 * u**2)
    new_thdot = np.clip(thdot + (3 * g / (2 * length) * np.sin(th) + 3.0 / (m * length**2) * u) * dt, -8.0, 8.0)
    return th + thdot * dt, new_thdot, reward


@pitfall(replaces="pendulum_step", why="cost on the raw angle, not the angle wrapped to (-pi, pi]")
def unwrapped_cost(th: np.ndarray, thdot: np.ndarray, u: np.ndarray, g: float | np.ndarray, m: float | np.ndarray,
                   length: float | np.ndarray, dt: float = 0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    u = np.clip(u, -2.0, 2.0)
    reward = -(th**2 + 0.1 * thdot**2 + 0.001 * u**2)
    new_thdot = np.clip(thdot + (3 * g / (2 * length) * np.sin(th) + 3.0 / (m * length**2) * u) * dt, -8.0, 8.0)
    return th + new_thdot * dt, new_thdot, reward


@pitfall(replaces="pendulum_step", why="forgets to clip the torque to [-2, 2]")
def unclipped_torque(th: np.ndarray, thdot: np.ndarray, u: np.ndarray, g: float | np.ndarray, m: float | np.ndarray,
                     length: float | np.ndarray, dt: float = 0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    wrapped = ((th + np.pi) % (2 * np.pi)) - np.pi
    reward = -(wrapped**2 + 0.1 * thdot**2 + 0.001 * u**2)
    new_thdot = np.clip(thdot + (3 * g / (2 * length) * np.sin(th) + 3.0 / (m * length**2) * u) * dt, -8.0, 8.0)
    return th + new_thdot * dt, new_thdot, reward


@pitfall(replaces="train_gains", why="scores candidates by their best single (mass, start) return instead of the mean")
def best_of_best(candidates: np.ndarray, masses: np.ndarray, starts: np.ndarray, steps: int = 100) -> np.ndarray:
    if len(masses) < 1 or len(starts) < 1 or len(candidates) < 1:
        raise ValueError("empty")
    scores = policy_returns(candidates, masses, starts, steps).max(axis=(1, 2))
    return candidates[int(np.argmax(scores))].copy()


@pitfall(replaces="train_gains", why="trains on the first mass only (ignores the randomization)")
def first_mass_only(candidates: np.ndarray, masses: np.ndarray, starts: np.ndarray, steps: int = 100) -> np.ndarray:
    if len(masses) < 1 or len(starts) < 1 or len(candidates) < 1:
        raise ValueError("empty")
    scores = policy_returns(candidates, masses[:1], starts, steps).mean(axis=(1, 2))
    return candidates[int(np.argmax(scores))].copy()

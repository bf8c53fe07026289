"""Plausible wrong system-identification steps that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from sysid import design_matrix, obs_to_state


@pitfall(replaces="obs_to_state", why="theta = arccos(cos theta): loses the sign of the angle")
def arccos_angle(obs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    obs = np.asarray(obs, dtype=np.float64)
    return np.arccos(np.clip(obs[:, 0], -1, 1)), obs[:, 2].copy()


@pitfall(replaces="design_matrix", why="keeps the transitions where the speed was clipped at max_speed")
def keeps_clipped(obs: np.ndarray, actions: np.ndarray, next_obs: np.ndarray, dt: float,
                  max_speed: float = 8.0) -> tuple[np.ndarray, np.ndarray]:
    th, thdot = obs_to_state(obs)
    _, nthdot = obs_to_state(next_obs)
    u = np.asarray(actions, dtype=np.float64).reshape(len(th))
    return np.stack([np.sin(th), u], axis=1), (nthdot - thdot) / dt


@pitfall(replaces="design_matrix", why="forgets to divide the change of angular velocity by dt")
def no_dt(obs: np.ndarray, actions: np.ndarray, next_obs: np.ndarray, dt: float,
          max_speed: float = 8.0) -> tuple[np.ndarray, np.ndarray]:
    th, thdot = obs_to_state(obs)
    _, nthdot = obs_to_state(next_obs)
    u = np.asarray(actions, dtype=np.float64).reshape(len(th))
    keep = np.abs(nthdot) < max_speed
    return np.stack([np.sin(th), u], axis=1)[keep], (nthdot - thdot)[keep]


@pitfall(replaces="design_matrix", why="regresses on sin of the NEXT angle")
def next_angle(obs: np.ndarray, actions: np.ndarray, next_obs: np.ndarray, dt: float,
               max_speed: float = 8.0) -> tuple[np.ndarray, np.ndarray]:
    _, thdot = obs_to_state(obs)
    nth, nthdot = obs_to_state(next_obs)
    u = np.asarray(actions, dtype=np.float64).reshape(len(nth))
    keep = np.abs(nthdot) < max_speed
    return np.stack([np.sin(nth), u], axis=1)[keep], ((nthdot - thdot) / dt)[keep]


@pitfall(replaces="fit_pendulum", why="mass from b = 3 / (m l) (forgets that the inertia is m l^2)")
def wrong_inertia(obs: np.ndarray, actions: np.ndarray, next_obs: np.ndarray, dt: float = 0.05,
                  length: float = 1.0) -> dict[str, float]:
    X, y = design_matrix(obs, actions, next_obs, dt)
    if len(y) < 2:
        raise ValueError("few")
    (a, b), *_ = np.linalg.lstsq(X, y, rcond=None)
    return {"a": float(a), "b": float(b), "g": float(2 * length * a / 3), "m": float(3 / (b * length))}

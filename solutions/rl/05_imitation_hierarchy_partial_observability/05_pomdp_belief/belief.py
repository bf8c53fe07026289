"""Reference solution for rl-05-5."""
from __future__ import annotations

import numpy as np


def _check(b: np.ndarray, T: np.ndarray, Z: np.ndarray) -> None:
    S, A, S2 = T.shape
    if S != S2 or Z.shape[:2] != (A, S) or b.shape != (S,):
        raise ValueError("expected b (S,), T (S, A, S), Z (A, S, n_obs)")


def observation_probability(b: np.ndarray, a: int, o: int, T: np.ndarray, Z: np.ndarray) -> float:
    _check(b, T, Z)
    return float((b @ T[:, a, :]) @ Z[a, :, o])


def belief_update(b: np.ndarray, a: int, o: int, T: np.ndarray, Z: np.ndarray) -> np.ndarray:
    _check(b, T, Z)
    unnorm = (b @ T[:, a, :]) * Z[a, :, o]
    z = unnorm.sum()
    if z <= 0:
        raise ValueError(f"observation {o} has probability 0 after action {a} from this belief")
    return unnorm / z


def bayes_filter(b0: np.ndarray, actions: np.ndarray, observations: np.ndarray, T: np.ndarray,
                 Z: np.ndarray) -> np.ndarray:
    if len(actions) != len(observations):
        raise ValueError("actions and observations must have the same length")
    beliefs = [np.asarray(b0, dtype=np.float64)]
    for a, o in zip(actions, observations, strict=True):
        beliefs.append(belief_update(beliefs[-1], int(a), int(o), T, Z))
    return np.array(beliefs)

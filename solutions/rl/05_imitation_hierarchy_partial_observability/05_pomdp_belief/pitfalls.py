"""Plausible wrong belief updates that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from belief import _check


@pitfall(replaces="belief_update", why="weights by the observation likelihood of the OLD state, then predicts")
def correct_then_predict(b: np.ndarray, a: int, o: int, T: np.ndarray, Z: np.ndarray) -> np.ndarray:
    _check(b, T, Z)
    post = b * Z[a, :, o]
    if post.sum() <= 0:
        raise ValueError("impossible")
    return (post / post.sum()) @ T[:, a, :]


@pitfall(replaces="belief_update", why="predicts with the transposed transition matrix")
def transposed(b: np.ndarray, a: int, o: int, T: np.ndarray, Z: np.ndarray) -> np.ndarray:
    _check(b, T, Z)
    unnorm = (T[:, a, :] @ b) * Z[a, :, o]
    if unnorm.sum() <= 0:
        raise ValueError("impossible")
    return unnorm / unnorm.sum()


@pitfall(replaces="belief_update", why="ignores the observation (prediction step only)")
def no_correction(b: np.ndarray, a: int, o: int, T: np.ndarray, Z: np.ndarray) -> np.ndarray:
    _check(b, T, Z)
    if (b @ T[:, a, :]) @ Z[a, :, o] <= 0:
        raise ValueError("impossible")
    return b @ T[:, a, :]


@pitfall(replaces="observation_probability", why="P(o | b) from the current belief, without the transition")
def no_prediction(b: np.ndarray, a: int, o: int, T: np.ndarray, Z: np.ndarray) -> float:
    _check(b, T, Z)
    return float(b @ Z[a, :, o])

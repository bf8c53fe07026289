"""Plausible wrong SCM simulators that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from scm import intervene, topological_order


@pitfall(replaces="intervene", why="cuts the edges OUT of the intervened node (columns) instead of into it")
def cuts_outgoing(weights: np.ndarray, do: dict[int, float]) -> np.ndarray:
    if any(not 0 <= k < weights.shape[0] for k in do):
        raise ValueError("node")
    cut = weights.copy()
    cut[:, list(do)] = 0.0
    return cut


@pitfall(replaces="intervene", why="zeroes the rows in place: the caller's weights change")
def in_place(weights: np.ndarray, do: dict[int, float]) -> np.ndarray:
    if any(not 0 <= k < weights.shape[0] for k in do):
        raise ValueError("node")
    weights[list(do), :] = 0.0
    return weights.copy()


@pitfall(replaces="sample_scm", why="fills the nodes in index order, not topological order")
def index_order(weights: np.ndarray, noise_std: np.ndarray, n: int, rng: np.random.Generator,
                do: dict[int, float] | None = None) -> np.ndarray:
    do = {} if do is None else do
    w = intervene(weights, do)
    topological_order(weights)
    noise = rng.standard_normal((n, weights.shape[0])) * noise_std
    x = np.zeros((n, weights.shape[0]))
    for i in range(weights.shape[0]):
        x[:, i] = do[i] if i in do else x @ w[i] + noise[:, i]
    return x


@pitfall(replaces="sample_scm", why="adds the node's own noise to the intervention value (do(X = v) sets X to exactly v)")
def adds_noise_to_intervened(weights: np.ndarray, noise_std: np.ndarray, n: int, rng: np.random.Generator,
                             do: dict[int, float] | None = None) -> np.ndarray:
    do = {} if do is None else do
    w = intervene(weights, do)
    order = topological_order(weights)
    noise = rng.standard_normal((n, weights.shape[0])) * noise_std
    x = np.zeros((n, weights.shape[0]))
    for i in order:
        x[:, i] = do[i] + noise[:, i] if i in do else x @ w[i] + noise[:, i]
    return x


@pitfall(replaces="interventional_moments", why="keeps the intervened nodes' noise variance")
def keeps_noise_variance(weights: np.ndarray, noise_std: np.ndarray,
                         do: dict[int, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    do = {} if do is None else do
    topological_order(weights)
    w = intervene(weights, do)
    c = np.zeros(weights.shape[0])
    for k, v in do.items():
        c[k] = v
    inv = np.linalg.inv(np.eye(weights.shape[0]) - w)
    return inv @ c, inv @ np.diag(np.asarray(noise_std, dtype=np.float64) ** 2) @ inv.T


@pitfall(replaces="interventional_moments", why="uses the original weights: the intervention never cuts the incoming edges")
def unmutilated(weights: np.ndarray, noise_std: np.ndarray,
                do: dict[int, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    do = {} if do is None else do
    topological_order(weights)
    intervene(weights, do)
    n = weights.shape[0]
    c, var = np.zeros(n), np.asarray(noise_std, dtype=np.float64) ** 2
    for k, v in do.items():
        c[k], var[k] = v, 0.0
    inv = np.linalg.inv(np.eye(n) - weights)
    return inv @ c, inv @ np.diag(var) @ inv.T

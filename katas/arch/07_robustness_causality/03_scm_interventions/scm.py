"""arch-07-3: structural causal models and do-interventions. Edit this file; `grader check arch-07-3` tests it."""
from __future__ import annotations

import numpy as np


def topological_order(weights: np.ndarray) -> list[int]:
    """Kahn's algorithm on the graph j -> i for every weights[i, j] != 0 (smallest ready index first)."""
    n = weights.shape[0]
    parents = [set(np.flatnonzero(weights[i])) for i in range(n)]
    order: list[int] = []
    while len(order) < n:
        ready = [i for i in range(n) if i not in order and parents[i] <= set(order)]
        if not ready:
            raise ValueError("the weights do not describe a DAG")
        order.append(ready[0])
    return order


def intervene(weights: np.ndarray, do: dict[int, float]) -> np.ndarray:
    """The mutilated graph of do(X_k = v): a copy of weights with every edge INTO an intervened node removed.

    Shapes:
        weights: (N, N), weights[i, j] = effect of X_j on X_i     returns: (N, N), a new array

    Raises:
        ValueError: if do names a node outside 0 .. N-1.
    """
    raise NotImplementedError("intervene")


def sample_scm(weights: np.ndarray, noise_std: np.ndarray, n: int, rng: np.random.Generator,
               do: dict[int, float] | None = None) -> np.ndarray:
    """Draw n samples of the linear-Gaussian SCM X_i = sum_j weights[i, j] X_j + U_i, U_i ~ N(0, noise_std_i^2).

    Draw all the noise first as rng.standard_normal((n, N)) * noise_std, then fill the nodes in
    topological_order(weights); an intervened node is set to its value (its noise is unused).

    Shapes:
        noise_std: (N,)     returns: (n, N)

    Raises:
        ValueError: if weights is not a DAG, or as intervene.
    """
    raise NotImplementedError("sample_scm")


def interventional_moments(weights: np.ndarray, noise_std: np.ndarray,
                           do: dict[int, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact mean and covariance of X under do(...): with W the mutilated weights, c the intervention
    values (0 elsewhere) and D the noise variances (0 for intervened nodes),
        mean = (I - W)^{-1} c,     cov = (I - W)^{-1} D (I - W)^{-T}.

    Shapes:
        returns: mean (N,), cov (N, N)

    Raises:
        ValueError: if weights is not a DAG, or as intervene.
    """
    raise NotImplementedError("interventional_moments")

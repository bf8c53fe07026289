"""rl-02-1: a replay buffer. Edit this file; `grader check rl-02-1` tests it."""
from __future__ import annotations

import numpy as np


class ReplayBuffer:
    """A fixed-capacity ring buffer of transitions with uniform random sampling.

    `add` stores a copy of one transition; once `capacity` transitions are stored, each new one
    overwrites the oldest. `len(buffer)` is the number stored (at most capacity).
    `sample(batch_size, replace=False)` returns a dict of NEW arrays (not views of the storage),
    whose rows are transitions drawn uniformly at random from those stored: without replacement
    (no transition twice in a batch) by default, with replacement if `replace=True` (then
    batch_size may exceed len). All randomness comes from np.random.default_rng(seed).

    Raises:
        ValueError: capacity < 1 (constructor); batch_size < 1, an empty buffer, or
            batch_size > len(buffer) without replacement (sample).

    Shapes (B = batch_size, D = obs_dim):
        obs, next_obs: (B, D) float32
        actions: (B,) int64
        rewards: (B,) float32
        terminated: (B,) bool
    """

    def __init__(self, capacity: int, obs_dim: int, seed: int) -> None:
        raise NotImplementedError("ReplayBuffer: preallocate arrays, a write position and a size")

    def add(self, obs: np.ndarray, action: int, reward: float, next_obs: np.ndarray, terminated: bool) -> None:
        raise NotImplementedError("ReplayBuffer.add: write at the current position, then advance it modulo capacity")

    def __len__(self) -> int:
        raise NotImplementedError("ReplayBuffer.__len__")

    def sample(self, batch_size: int, replace: bool = False) -> dict[str, np.ndarray]:
        raise NotImplementedError("ReplayBuffer.sample: draw indices among the stored ones, gather the rows")

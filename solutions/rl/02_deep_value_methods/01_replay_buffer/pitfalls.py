"""Plausible wrong replay buffers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from replay_buffer import ReplayBuffer


@pitfall(replaces="ReplayBuffer.add", why="stops storing when full instead of overwriting the oldest transition")
def drops_when_full(self: ReplayBuffer, obs: np.ndarray, action: int, reward: float, next_obs: np.ndarray,
                    terminated: bool) -> None:
    if self.size == self.capacity:
        return
    i = self.size
    self.obs[i], self.actions[i], self.rewards[i] = obs, action, reward
    self.next_obs[i], self.terminated[i] = next_obs, terminated
    self.size += 1


@pitfall(replaces="ReplayBuffer.add", why="wraps around to the wrong slot: overwrites the newest instead of the oldest")
def overwrites_newest(self: ReplayBuffer, obs: np.ndarray, action: int, reward: float, next_obs: np.ndarray,
                      terminated: bool) -> None:
    i = min(self.size, self.capacity - 1)
    self.obs[i], self.actions[i], self.rewards[i] = obs, action, reward
    self.next_obs[i], self.terminated[i] = next_obs, terminated
    self.size = min(self.size + 1, self.capacity)


@pitfall(replaces="ReplayBuffer.sample", why="draws indices from the whole capacity, including empty slots")
def samples_empty_slots(self: ReplayBuffer, batch_size: int, replace: bool = False) -> dict[str, np.ndarray]:
    if batch_size < 1 or self.size == 0 or (not replace and batch_size > self.size):
        raise ValueError("bad batch")
    idx = self.rng.choice(self.capacity, size=batch_size, replace=replace or batch_size > self.capacity)
    return {"obs": self.obs[idx], "actions": self.actions[idx], "rewards": self.rewards[idx],
            "next_obs": self.next_obs[idx], "terminated": self.terminated[idx]}


@pitfall(replaces="ReplayBuffer.sample", why="always samples with replacement: duplicates inside a batch")
def always_with_replacement(self: ReplayBuffer, batch_size: int, replace: bool = False) -> dict[str, np.ndarray]:
    if batch_size < 1 or self.size == 0 or (not replace and batch_size > self.size):
        raise ValueError("bad batch")
    idx = self.rng.integers(self.size, size=batch_size)
    return {"obs": self.obs[idx], "actions": self.actions[idx], "rewards": self.rewards[idx],
            "next_obs": self.next_obs[idx], "terminated": self.terminated[idx]}


@pitfall(replaces="ReplayBuffer.sample", why="returns a contiguous slice (a view) from a random start, not independent draws")
def contiguous_slice(self: ReplayBuffer, batch_size: int, replace: bool = False) -> dict[str, np.ndarray]:
    if batch_size < 1 or self.size == 0 or (not replace and batch_size > self.size):
        raise ValueError("bad batch")
    if batch_size > self.size:
        idx = self.rng.integers(self.size, size=batch_size)
        return {"obs": self.obs[idx], "actions": self.actions[idx], "rewards": self.rewards[idx],
                "next_obs": self.next_obs[idx], "terminated": self.terminated[idx]}
    start = int(self.rng.integers(self.size - batch_size + 1))
    sl = slice(start, start + batch_size)
    return {"obs": self.obs[sl], "actions": self.actions[sl], "rewards": self.rewards[sl],
            "next_obs": self.next_obs[sl], "terminated": self.terminated[sl]}


@pitfall(replaces="ReplayBuffer.sample", why="uses the global numpy RNG, ignoring the seed")
def global_rng(self: ReplayBuffer, batch_size: int, replace: bool = False) -> dict[str, np.ndarray]:
    if batch_size < 1 or self.size == 0 or (not replace and batch_size > self.size):
        raise ValueError("bad batch")
    idx = np.random.choice(self.size, size=batch_size, replace=replace)
    return {"obs": self.obs[idx], "actions": self.actions[idx], "rewards": self.rewards[idx],
            "next_obs": self.next_obs[idx], "terminated": self.terminated[idx]}


@pitfall(replaces="ReplayBuffer.__len__", why="reports the capacity instead of the number stored")
def len_is_capacity(self: ReplayBuffer) -> int:
    return self.capacity

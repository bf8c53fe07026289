"""Reference solution for rl-02-5."""
from __future__ import annotations

import numpy as np


class SumTree:
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self.size = 1
        while self.size < capacity:
            self.size *= 2
        self.tree = np.zeros(2 * self.size)

    def update(self, index: int, priority: float) -> None:
        if not 0 <= index < self.capacity:
            raise ValueError(f"index {index} outside [0, {self.capacity})")
        if priority < 0 or not np.isfinite(priority):
            raise ValueError(f"priority must be finite and >= 0, got {priority}")
        i = index + self.size
        self.tree[i] = priority
        i //= 2
        while i >= 1:
            self.tree[i] = self.tree[2 * i] + self.tree[2 * i + 1]
            i //= 2

    def priority(self, index: int) -> float:
        if not 0 <= index < self.capacity:
            raise ValueError(f"index {index} outside [0, {self.capacity})")
        return float(self.tree[index + self.size])

    def total(self) -> float:
        return float(self.tree[1])

    def find(self, prefix: float) -> int:
        if not 0.0 <= prefix < self.total():
            raise ValueError(f"prefix must be in [0, total={self.total()}), got {prefix}")
        i = 1
        while i < self.size:
            left = self.tree[2 * i]
            if prefix < left:
                i = 2 * i
            else:
                prefix -= left
                i = 2 * i + 1
        return min(i - self.size, self.capacity - 1)


def stratified_sample(tree: SumTree, batch_size: int, rng: np.random.Generator) -> np.ndarray:
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if tree.total() <= 0:
        raise ValueError("cannot sample from a tree with zero total priority")
    seg = tree.total() / batch_size
    u = (np.arange(batch_size) + rng.random(batch_size)) * seg
    u = np.minimum(u, np.nextafter(tree.total(), 0.0))
    return np.array([tree.find(float(x)) for x in u], dtype=np.int64)


def importance_weights(tree: SumTree, indices: np.ndarray, n_stored: int, beta: float) -> np.ndarray:
    if not 0.0 <= beta <= 1.0:
        raise ValueError(f"beta must be in [0, 1], got {beta}")
    probs = np.array([tree.priority(int(i)) for i in indices]) / tree.total()
    w = (n_stored * probs) ** (-beta)
    return w / w.max()

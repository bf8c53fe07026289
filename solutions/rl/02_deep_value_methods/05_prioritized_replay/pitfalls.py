"""Plausible wrong sum trees and prioritized sampling that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from sum_tree import SumTree


@pitfall(replaces="SumTree.update", why="adds the new priority along the path instead of replacing the old one")
def adds_instead_of_sets(self: SumTree, index: int, priority: float) -> None:
    if not 0 <= index < self.capacity or priority < 0 or not np.isfinite(priority):
        raise ValueError("bad update")
    i = index + self.size
    while i >= 1:
        self.tree[i] += priority
        i //= 2


@pitfall(replaces="SumTree.find", why="goes left when prefix == left sum (<=): lands on the leaf before the boundary")
def boundary_goes_left(self: SumTree, prefix: float) -> int:
    if not 0.0 <= prefix < self.total():
        raise ValueError("prefix")
    i = 1
    while i < self.size:
        left = self.tree[2 * i]
        if prefix <= left:
            i = 2 * i
        else:
            prefix -= left
            i = 2 * i + 1
    return min(i - self.size, self.capacity - 1)


@pitfall(replaces="SumTree.find", why="forgets to subtract the left sum when descending right")
def no_subtract(self: SumTree, prefix: float) -> int:
    if not 0.0 <= prefix < self.total():
        raise ValueError("prefix")
    i = 1
    while i < self.size:
        i = 2 * i if prefix < self.tree[2 * i] else 2 * i + 1
    return min(i - self.size, self.capacity - 1)


@pitfall(replaces="stratified_sample", why="draws every sample from the whole range instead of one per segment")
def not_stratified(tree: SumTree, batch_size: int, rng: np.random.Generator) -> np.ndarray:
    if batch_size < 1 or tree.total() <= 0:
        raise ValueError("bad")
    u = rng.random(batch_size) * tree.total()
    return np.array([tree.find(float(x)) for x in u], dtype=np.int64)


@pitfall(replaces="importance_weights", why="normalises by the sum of weights instead of their max")
def sum_normalised(tree: SumTree, indices: np.ndarray, n_stored: int, beta: float) -> np.ndarray:
    if not 0.0 <= beta <= 1.0:
        raise ValueError("beta")
    probs = np.array([tree.priority(int(i)) for i in indices]) / tree.total()
    w = (n_stored * probs) ** (-beta)
    return w / w.sum()


@pitfall(replaces="importance_weights", why="exponent +beta instead of -beta: up-weights the frequent samples")
def wrong_sign(tree: SumTree, indices: np.ndarray, n_stored: int, beta: float) -> np.ndarray:
    if not 0.0 <= beta <= 1.0:
        raise ValueError("beta")
    probs = np.array([tree.priority(int(i)) for i in indices]) / tree.total()
    w = (n_stored * probs) ** beta
    return w / w.max()

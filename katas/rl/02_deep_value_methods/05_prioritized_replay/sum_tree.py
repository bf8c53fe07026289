"""rl-02-5: prioritized replay with a sum tree. Edit this file; `grader check rl-02-5` tests it."""
from __future__ import annotations

import numpy as np


class SumTree:
    """A binary tree over `capacity` leaf priorities in which every node holds the sum of its children.

    update(index, priority): set leaf `index` to `priority` (replacing its old value) and fix the
        sums on the path to the root.
    priority(index): the current priority of a leaf (initially 0).
    total(): the sum of all priorities (the root).
    find(prefix): the first leaf i whose cumulative priority p_0 + ... + p_i exceeds `prefix`
        (strictly: a prefix exactly on a boundary belongs to the next leaf with positive priority;
        a zero-priority leaf is never found). Drawing prefix ~ U[0, total) samples leaf i with
        probability p_i / total.

    Raises:
        ValueError: capacity < 1; index outside [0, capacity); a negative or non-finite priority;
            prefix outside [0, total()).
    """

    def __init__(self, capacity: int) -> None:
        raise NotImplementedError("SumTree: an array of 2 * (capacity rounded up to a power of two) sums")

    def update(self, index: int, priority: float) -> None:
        raise NotImplementedError("SumTree.update: set the leaf, then recompute its ancestors")

    def priority(self, index: int) -> float:
        raise NotImplementedError("SumTree.priority")

    def total(self) -> float:
        raise NotImplementedError("SumTree.total")

    def find(self, prefix: float) -> int:
        raise NotImplementedError("SumTree.find: descend left if prefix < left sum, else subtract it and go right")


def stratified_sample(tree: SumTree, batch_size: int, rng: np.random.Generator) -> np.ndarray:
    """Proportional prioritized sampling, stratified: split [0, total) into batch_size equal segments
    and draw one prefix uniformly in each (draw k from segment k), mapped to a leaf with find.

    Randomness only from rng.

    Raises:
        ValueError: batch_size < 1; total priority 0.

    Shapes:
        returns: (batch_size,) int64 leaf indices
    """
    raise NotImplementedError("stratified_sample: one uniform prefix per segment, then tree.find")


def importance_weights(tree: SumTree, indices: np.ndarray, n_stored: int, beta: float) -> np.ndarray:
    """Importance-sampling weights w_i = (n_stored * P(i)) ** -beta, P(i) = p_i / total, divided by
    their max over this batch (so the largest weight is 1).

    Raises:
        ValueError: beta outside [0, 1].

    Shapes:
        indices: (B,) leaf indices with positive priority
        returns: (B,) float64
    """
    raise NotImplementedError("importance_weights: (N * P(i)) ** -beta, normalised by the max")

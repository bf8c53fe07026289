"""prod-02-8: neural architecture search, random and evolutionary. Edit this file; `grader check prod-02-8` tests it."""
from __future__ import annotations

from collections import deque  # noqa: F401
from collections.abc import Callable, Sequence

import numpy as np

# A cell is a tuple of choices, one per slot: arch[i] in range(space[i]) (e.g. slot i = the operation
# on one edge of the cell: 0 none, 1 skip, 2 conv3x3, 3 conv1x1, 4 avg-pool).
Arch = tuple[int, ...]


def sample_arch(space: Sequence[int], rng: np.random.Generator) -> Arch:
    """A uniformly random architecture: one rng.integers(0, space[i]) per slot, in slot order."""
    return tuple(int(rng.integers(0, k)) for k in space)


def mutate(arch: Arch, space: Sequence[int], rng: np.random.Generator) -> Arch:
    """Change exactly one slot to a different valid choice.

    Pick the slot uniformly among the slots with at least two choices, then the new value uniformly
    among that slot's other choices.

    Raises:
        ValueError: if no slot has two choices.
    """
    raise NotImplementedError("mutate: one slot, a different value")


def random_search(space: Sequence[int], evaluate: Callable[[Arch], float], n: int,
                  seed: int = 0) -> tuple[Arch, list[tuple[Arch, float]]]:
    """Evaluate n architectures from sample_arch(space, np.random.default_rng(seed)) (higher is better).

    Returns:
        (best architecture, history of (arch, score) in evaluation order); the first best on ties.

    Raises:
        ValueError: if n < 1, space is empty or a slot has no choice.
    """
    raise NotImplementedError("random_search: sample, evaluate, keep the best")


def regularized_evolution(space: Sequence[int], evaluate: Callable[[Arch], float], population_size: int,
                          sample_size: int, cycles: int, seed: int = 0) -> tuple[Arch, list[tuple[Arch, float]]]:
    """Aging (regularized) evolution, Real et al. 2019 (higher score is better).

    With rng = np.random.default_rng(seed): fill the population with population_size architectures
    from sample_arch, evaluating each. Then each cycle: draw sample_size distinct members uniformly,
    take the best of them as parent, evaluate child = mutate(parent), append it as the youngest and
    remove the OLDEST member (not the worst). Every evaluation goes into the history.

    Returns:
        (best architecture ever evaluated, history of population_size + cycles (arch, score) pairs in
        evaluation order); the first best on ties.

    Raises:
        ValueError: unless 1 <= sample_size <= population_size and cycles >= 0.
    """
    raise NotImplementedError("regularized_evolution: tournament, mutate, age out the oldest")

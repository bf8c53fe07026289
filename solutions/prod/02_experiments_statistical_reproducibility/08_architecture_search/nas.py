"""Reference solution for prod-02-8."""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence

import numpy as np

Arch = tuple[int, ...]


def sample_arch(space: Sequence[int], rng: np.random.Generator) -> Arch:
    return tuple(int(rng.integers(0, k)) for k in space)


def mutate(arch: Arch, space: Sequence[int], rng: np.random.Generator) -> Arch:
    slots = [i for i, k in enumerate(space) if k > 1]
    if not slots:
        raise ValueError("no slot has two choices: nothing to mutate")
    i = slots[int(rng.integers(0, len(slots)))]
    new = int(rng.integers(0, space[i] - 1))
    if new >= arch[i]:
        new += 1
    return arch[:i] + (new,) + arch[i + 1:]


def random_search(space: Sequence[int], evaluate: Callable[[Arch], float], n: int,
                  seed: int = 0) -> tuple[Arch, list[tuple[Arch, float]]]:
    if n < 1 or not space or min(space) < 1:
        raise ValueError("need n >= 1 and a non-empty space of positive choice counts")
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(n):
        arch = sample_arch(space, rng)
        history.append((arch, float(evaluate(arch))))
    return max(history, key=lambda h: h[1])[0], history


def regularized_evolution(space: Sequence[int], evaluate: Callable[[Arch], float], population_size: int,
                          sample_size: int, cycles: int, seed: int = 0) -> tuple[Arch, list[tuple[Arch, float]]]:
    if population_size < 1 or not 1 <= sample_size <= population_size or cycles < 0:
        raise ValueError("need 1 <= sample_size <= population_size and cycles >= 0")
    rng = np.random.default_rng(seed)
    population: deque[tuple[Arch, float]] = deque()
    history = []
    for _ in range(population_size):
        arch = sample_arch(space, rng)
        member = (arch, float(evaluate(arch)))
        population.append(member)
        history.append(member)
    for _ in range(cycles):
        picks = rng.choice(population_size, size=sample_size, replace=False)
        parent = max((population[i] for i in sorted(picks)), key=lambda m: m[1])
        child = mutate(parent[0], space, rng)
        member = (child, float(evaluate(child)))
        population.append(member)
        population.popleft()
        history.append(member)
    return max(history, key=lambda h: h[1])[0], history

"""Plausible wrong architecture-search code that the tests must reject."""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from nas import Arch, mutate, sample_arch


@pitfall(replaces="mutate", why="redraws the slot from all its choices: a 'mutation' can leave the architecture unchanged")
def may_not_change(arch: Arch, space: Sequence[int], rng: np.random.Generator) -> Arch:
    slots = [i for i, k in enumerate(space) if k > 1]
    if not slots:
        raise ValueError("nothing to mutate")
    i = slots[int(rng.integers(0, len(slots)))]
    return arch[:i] + (int(rng.integers(0, space[i])),) + arch[i + 1:]


@pitfall(replaces="mutate", why="picks the slot among all slots, including those with a single choice, which cannot change")
def any_slot(arch: Arch, space: Sequence[int], rng: np.random.Generator) -> Arch:
    if max(space) < 2:
        raise ValueError("nothing to mutate")
    i = int(rng.integers(0, len(space)))
    if space[i] < 2:
        return arch
    new = int(rng.integers(0, space[i] - 1))
    return arch[:i] + (new + (new >= arch[i]),) + arch[i + 1:]


def _evolve(space: Sequence[int], evaluate: Callable[[Arch], float], population_size: int, sample_size: int,
            cycles: int, seed: int, *, kill_worst: bool = False, random_parent: bool = False) -> tuple:
    if population_size < 1 or not 1 <= sample_size <= population_size or cycles < 0:
        raise ValueError("bad inputs")
    rng = np.random.default_rng(seed)
    population: deque = deque()
    history = []
    for _ in range(population_size):
        a = sample_arch(space, rng)
        population.append((a, float(evaluate(a))))
        history.append(population[-1])
    for _ in range(cycles):
        picks = rng.choice(population_size, size=sample_size, replace=False)
        group = [population[i] for i in sorted(picks)]
        parent = group[0] if random_parent else max(group, key=lambda m: m[1])
        child = mutate(parent[0], space, rng)
        population.append((child, float(evaluate(child))))
        history.append(population[-1])
        if kill_worst:
            worst = min(range(len(population)), key=lambda i: population[i][1])
            del population[worst]
        else:
            population.popleft()
    return max(history, key=lambda h: h[1])[0], history


@pitfall(replaces="regularized_evolution", why="removes the worst member instead of the oldest: plain tournament selection, no aging")
def removes_worst(space: Sequence[int], evaluate: Callable[[Arch], float], population_size: int, sample_size: int,
                  cycles: int, seed: int = 0) -> tuple:
    return _evolve(space, evaluate, population_size, sample_size, cycles, seed, kill_worst=True)


@pitfall(replaces="regularized_evolution", why="the parent is a random member of the sample, not its best: no selection pressure")
def random_parent(space: Sequence[int], evaluate: Callable[[Arch], float], population_size: int, sample_size: int,
                  cycles: int, seed: int = 0) -> tuple:
    return _evolve(space, evaluate, population_size, sample_size, cycles, seed, random_parent=True)

"""Reference solution for prod-02-5."""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import product

import numpy as np


def full_factorial(space: dict[str, Sequence[Hashable]]) -> list[dict[str, Hashable]]:
    if not space or any(len(v) == 0 for v in space.values()):
        raise ValueError("need at least one factor, each with at least one level")
    names = list(space)
    return [dict(zip(names, combo, strict=True)) for combo in product(*(space[k] for k in names))]


def main_effects(design: list[dict[str, Hashable]], y: np.ndarray) -> dict[str, dict[Hashable, float]]:
    y = np.asarray(y)
    if y.ndim != 1 or len(design) != y.size or y.size == 0:
        raise ValueError("need one response per design row")
    grand = y.mean()
    effects: dict[str, dict[Hashable, float]] = {}
    for name in design[0]:
        levels: dict[Hashable, list[float]] = {}
        for row, value in zip(design, y, strict=True):
            levels.setdefault(row[name], []).append(value)
        effects[name] = {level: float(np.mean(v) - grand) for level, v in levels.items()}
    return effects


def latin_hypercube(n: int, d: int, *, centered: bool = False, seed: int = 0) -> np.ndarray:
    if n < 1 or d < 1:
        raise ValueError("need n >= 1 points in d >= 1 dimensions")
    rng = np.random.default_rng(seed)
    offsets = np.full((n, d), 0.5) if centered else rng.uniform(size=(n, d))
    strata = np.stack([rng.permutation(n) for _ in range(d)], axis=1)
    return (strata + offsets) / n


def scale(unit: np.ndarray, lower: np.ndarray, upper: np.ndarray, log: np.ndarray | None = None) -> np.ndarray:
    u = np.asarray(unit)
    lo, hi = np.asarray(lower), np.asarray(upper)
    if u.ndim != 2 or lo.shape != (u.shape[1],) or hi.shape != lo.shape:
        raise ValueError("need unit (n, d) and bounds (d,)")
    if np.any(lo >= hi):
        raise ValueError("need lower < upper in every dimension")
    is_log = np.zeros(lo.shape, dtype=bool) if log is None else np.asarray(log)
    if np.any(is_log & (lo <= 0)):
        raise ValueError("a log-scaled dimension needs a positive lower bound")
    a = np.where(is_log, np.log(np.where(is_log, lo, 1.0)), lo)
    b = np.where(is_log, np.log(np.where(is_log, hi, 1.0)), hi)
    x = a + u * (b - a)
    return np.where(is_log, np.exp(x), x)

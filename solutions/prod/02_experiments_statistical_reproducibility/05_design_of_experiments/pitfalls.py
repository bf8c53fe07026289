"""Plausible wrong experimental designs that the tests must reject."""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import product

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="full_factorial", why="the first factor varies fastest (product over the reversed factors)")
def first_factor_fastest(space: dict[str, Sequence[Hashable]]) -> list[dict[str, Hashable]]:
    if not space or any(len(v) == 0 for v in space.values()):
        raise ValueError("bad inputs")
    names = list(space)[::-1]
    return [dict(sorted(zip(names, c, strict=True), key=lambda kv: list(space).index(kv[0])))
            for c in product(*(space[k] for k in names))]


@pitfall(replaces="main_effects", why="reports each level's mean response, not its difference from the grand mean")
def level_means(design: list[dict[str, Hashable]], y: np.ndarray) -> dict[str, dict[Hashable, float]]:
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 1 or len(design) != y.size or y.size == 0:
        raise ValueError("bad inputs")
    out: dict[str, dict[Hashable, float]] = {}
    for name in design[0]:
        levels: dict[Hashable, list[float]] = {}
        for row, v in zip(design, y, strict=True):
            levels.setdefault(row[name], []).append(v)
        out[name] = {lv: float(np.mean(v)) for lv, v in levels.items()}
    return out


def _check(n: int, d: int) -> np.random.Generator:
    if n < 1 or d < 1:
        raise ValueError("bad inputs")
    return np.random.default_rng(0)


@pitfall(replaces="latin_hypercube", why="one permutation of the strata shared by every column: all points on a diagonal")
def shared_permutation(n: int, d: int, *, centered: bool = False, seed: int = 0) -> np.ndarray:
    _check(n, d)
    rng = np.random.default_rng(seed)
    offsets = np.full((n, d), 0.5) if centered else rng.uniform(size=(n, d))
    return (rng.permutation(n)[:, None] + offsets) / n


@pitfall(replaces="latin_hypercube", why="plain uniform random points: no stratification at all")
def plain_random(n: int, d: int, *, centered: bool = False, seed: int = 0) -> np.ndarray:
    _check(n, d)
    rng = np.random.default_rng(seed)
    return rng.uniform(size=(n, d))


@pitfall(replaces="latin_hypercube", why="strata numbered 1..n without subtracting the offset: points land in (1/n, 1 + 1/n]")
def one_based_strata(n: int, d: int, *, centered: bool = False, seed: int = 0) -> np.ndarray:
    _check(n, d)
    rng = np.random.default_rng(seed)
    offsets = np.full((n, d), 0.5) if centered else rng.uniform(size=(n, d))
    strata = np.stack([rng.permutation(n) + 1 for _ in range(d)], axis=1)
    return (strata + offsets) / n


@pitfall(replaces="latin_hypercube", why="ignores centered: offsets always random")
def never_centred(n: int, d: int, *, centered: bool = False, seed: int = 0) -> np.ndarray:
    _check(n, d)
    rng = np.random.default_rng(seed)
    offsets = rng.uniform(size=(n, d))
    return (np.stack([rng.permutation(n) for _ in range(d)], axis=1) + offsets) / n


@pitfall(replaces="scale", why="log dimensions via 10 ** (ln lo + u (ln hi - ln lo)): natural log in, base 10 out")
def mixed_log_bases(unit: np.ndarray, lower: np.ndarray, upper: np.ndarray, log: np.ndarray | None = None) -> np.ndarray:
    u = np.asarray(unit, dtype=np.float64)
    lo, hi = np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)
    if u.ndim != 2 or lo.shape != (u.shape[1],) or hi.shape != lo.shape or np.any(lo >= hi):
        raise ValueError("bad inputs")
    is_log = np.zeros(lo.shape, dtype=bool) if log is None else np.asarray(log, dtype=bool)
    if np.any(is_log & (lo <= 0)):
        raise ValueError("bad inputs")
    a = np.where(is_log, np.log(np.where(is_log, lo, 1.0)), lo)
    b = np.where(is_log, np.log(np.where(is_log, hi, 1.0)), hi)
    x = a + u * (b - a)
    return np.where(is_log, 10.0 ** x, x)

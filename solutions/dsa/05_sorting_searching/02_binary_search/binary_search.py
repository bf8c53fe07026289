"""Reference solution for dsa-05-2."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def lower_bound(a: Sequence[Any], x: Any, lo: int = 0, hi: int | None = None,
                key: Callable[[Any], Any] | None = None) -> int:
    if lo < 0:
        raise ValueError("lo must be non-negative")
    hi = len(a) if hi is None else hi
    while lo < hi:
        mid = (lo + hi) // 2
        v = a[mid] if key is None else key(a[mid])
        if v < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def upper_bound(a: Sequence[Any], x: Any, lo: int = 0, hi: int | None = None,
                key: Callable[[Any], Any] | None = None) -> int:
    if lo < 0:
        raise ValueError("lo must be non-negative")
    hi = len(a) if hi is None else hi
    while lo < hi:
        mid = (lo + hi) // 2
        v = a[mid] if key is None else key(a[mid])
        if v <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def first_true(pred: Callable[[int], bool], lo: int, hi: int) -> int:
    if lo > hi:
        raise ValueError(f"empty range: lo = {lo} > hi = {hi}")
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def min_capacity(weights: Sequence[int], days: int) -> int:
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days}")
    if not weights:
        return 0

    def fits(cap: int) -> bool:
        used, load = 1, 0
        for w in weights:
            if load + w > cap:
                used, load = used + 1, 0
            load += w
        return used <= days

    return first_true(fits, max(weights), sum(weights))

"""Plausible wrong binary searches that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from binary_search import first_true


@pitfall(replaces="lower_bound", why="uses <= : that is the upper bound, after the equal elements")
def lower_is_upper(a: Sequence[Any], x: Any, lo: int = 0, hi: int | None = None,
                   key: Callable[[Any], Any] | None = None) -> int:
    if lo < 0:
        raise ValueError("lo")
    hi = len(a) if hi is None else hi
    while lo < hi:
        mid = (lo + hi) // 2
        if (a[mid] if key is None else key(a[mid])) <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@pitfall(replaces="upper_bound", why="applies the key to x as well as to the elements")
def key_on_x(a: Sequence[Any], x: Any, lo: int = 0, hi: int | None = None,
             key: Callable[[Any], Any] | None = None) -> int:
    if lo < 0:
        raise ValueError("lo")
    hi = len(a) if hi is None else hi
    k = (lambda v: v) if key is None else key
    x = k(x)
    while lo < hi:
        mid = (lo + hi) // 2
        if k(a[mid]) <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@pitfall(replaces="lower_bound", why="closed range with hi = len(a) - 1: never returns len(a)")
def closed_range(a: Sequence[Any], x: Any, lo: int = 0, hi: int | None = None,
                 key: Callable[[Any], Any] | None = None) -> int:
    if lo < 0:
        raise ValueError("lo")
    hi = (len(a) if hi is None else hi) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if (a[mid] if key is None else key(a[mid])) < x:
            lo = mid + 1
        else:
            hi = mid
    return max(lo, 0)


@pitfall(replaces="first_true", why="a linear scan: right answer, but O(n) predicate calls")
def linear_scan(pred: Callable[[int], bool], lo: int, hi: int) -> int:
    if lo > hi:
        raise ValueError("range")
    return next((t for t in range(lo, hi) if pred(t)), hi)


@pitfall(replaces="first_true", why="a closed range [lo, hi]: probes pred(hi), one past the end of the range")
def closed_first_true(pred: Callable[[int], bool], lo: int, hi: int) -> int:
    if lo > hi:
        raise ValueError("range")
    while lo <= hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid - 1
        else:
            lo = mid + 1
    return lo


@pitfall(replaces="min_capacity", why="searches from capacity 1: a package heavier than the capacity is 'shipped' anyway")
def from_one(weights: Sequence[int], days: int) -> int:
    if days < 1:
        raise ValueError("days")
    if not weights:
        return 0

    def fits(cap: int) -> bool:
        used, load = 1, 0
        for w in weights:
            if load + w > cap:
                used, load = used + 1, 0
            load += w
        return used <= days
    return first_true(fits, 1, sum(weights))


@pitfall(replaces="min_capacity", why="counts the days from 0: every plan looks one day shorter")
def days_from_zero(weights: Sequence[int], days: int) -> int:
    if days < 1:
        raise ValueError("days")
    if not weights:
        return 0

    def fits(cap: int) -> bool:
        used, load = 0, 0
        for w in weights:
            if load + w > cap:
                used, load = used + 1, 0
            load += w
        return used <= days
    return first_true(fits, max(weights), sum(weights))

"""dsa-05-2: binary-search variants. Edit this file; `grader check dsa-05-2` tests it."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def lower_bound(a: Sequence[Any], x: Any, lo: int = 0, hi: int | None = None,
                key: Callable[[Any], Any] | None = None) -> int:
    """The first index i in [lo, hi) with key(a[i]) >= x (hi if none), for a sorted by key; exactly
    bisect.bisect_left(a, x, lo, hi, key=key). hi=None means len(a); key=None compares a[i] itself.

    Raises:
        ValueError: if lo < 0.
    """
    raise NotImplementedError("lower_bound: keep [lo, hi) around the answer; a[mid] < x -> lo = mid + 1")


def upper_bound(a: Sequence[Any], x: Any, lo: int = 0, hi: int | None = None,
                key: Callable[[Any], Any] | None = None) -> int:
    """The first index i in [lo, hi) with key(a[i]) > x (hi if none); exactly bisect.bisect_right.

    Raises:
        ValueError: if lo < 0.
    """
    raise NotImplementedError("upper_bound: as lower_bound with <= in place of <")


def first_true(pred: Callable[[int], bool], lo: int, hi: int) -> int:
    """The smallest integer t in [lo, hi) with pred(t) true, or hi if none, for a monotone pred
    (false, ..., false, true, ..., true). Calls pred at most ceil(log2(hi - lo + 1)) times.

    Raises:
        ValueError: if lo > hi.
    """
    raise NotImplementedError("first_true: the lower-bound loop on pred(mid)")


def min_capacity(weights: Sequence[int], days: int) -> int:
    """The smallest integer capacity that ships weights, in order, within days days (each day takes
    a prefix of the remaining packages whose total is at most the capacity); 0 if weights is empty.
    Found with first_true.

    Raises:
        ValueError: if days < 1.
    """
    raise NotImplementedError("min_capacity: first_true over capacities max(w) .. sum(w)")

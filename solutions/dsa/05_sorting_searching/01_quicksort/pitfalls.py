"""Plausible wrong quicksorts and quickselects that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from quicksort import partition3


@pitfall(replaces="partition3", why="advances i after swapping with gt: the element brought in from the right is never examined")
def skip_after_swap(a: list[Any], lo: int, hi: int, pivot: Any) -> tuple[int, int]:
    lt, i, gt = lo, lo, hi
    while i < gt:
        if a[i] < pivot:
            a[lt], a[i] = a[i], a[lt]
            lt += 1
            i += 1
        elif a[i] > pivot:
            gt -= 1
            a[i], a[gt] = a[gt], a[i]
            i += 1
        else:
            i += 1
    return lt, gt


def _lomuto(a: list[Any], lo: int, hi: int) -> None:
    if hi - lo <= 1:
        return
    mid = (lo + hi - 1) // 2
    a[mid], a[hi - 1] = a[hi - 1], a[mid]
    p, store = a[hi - 1], lo
    for i in range(lo, hi - 1):
        if a[i] < p:
            a[i], a[store] = a[store], a[i]
            store += 1
    a[store], a[hi - 1] = a[hi - 1], a[store]
    _lomuto(a, lo, store)
    _lomuto(a, store + 1, hi)


@pitfall(replaces="quicksort", why="two-way (Lomuto) partition: equal values all land on one side, n²/2 comparisons")
def two_way(a: list[Any]) -> list[Any]:
    b = list(a)
    _lomuto(b, 0, len(b))
    return b


def _first_pivot(a: list[Any], lo: int, hi: int) -> None:
    if hi - lo > 1:
        lt, gt = partition3(a, lo, hi, a[lo])
        _first_pivot(a, lo, lt)
        _first_pivot(a, gt, hi)


@pitfall(replaces="quicksort", why="pivot = the first element: already-sorted input splits n-1 : 0 every time")
def first_pivot(a: list[Any]) -> list[Any]:
    b = list(a)
    _first_pivot(b, 0, len(b))
    return b


@pitfall(replaces="quicksort", why="sorts the caller's list in place and returns it")
def in_place(a: list[Any]) -> list[Any]:
    a.sort()
    return a


@pitfall(replaces="quickselect", why="counts k from 1: returns the (k+1)-th smallest")
def one_based(a: list[Any], k: int) -> Any:
    if not 0 <= k < len(a):
        raise ValueError("k")
    return sorted(a)[min(k + 1, len(a) - 1)]


@pitfall(replaces="quickselect", why="sorts both sides instead of one: n log n, not linear")
def sorts_everything(a: list[Any], k: int) -> Any:
    if not 0 <= k < len(a):
        raise ValueError("k")
    b = list(a)
    _first_pivot(b, 0, len(b))
    return b[k]

"""Reference solution for dsa-05-1."""
from __future__ import annotations

from typing import Any


def partition3(a: list[Any], lo: int, hi: int, pivot: Any) -> tuple[int, int]:
    lt, i, gt = lo, lo, hi
    while i < gt:
        if a[i] < pivot:
            a[lt], a[i] = a[i], a[lt]
            lt += 1
            i += 1
        elif a[i] > pivot:
            gt -= 1
            a[i], a[gt] = a[gt], a[i]
        else:
            i += 1
    return lt, gt


def _sort(a: list[Any], lo: int, hi: int) -> None:
    while hi - lo > 1:
        lt, gt = partition3(a, lo, hi, a[(lo + hi - 1) // 2])
        if lt - lo < hi - gt:  # recurse into the smaller side, loop on the larger
            _sort(a, lo, lt)
            lo = gt
        else:
            _sort(a, gt, hi)
            hi = lt


def quicksort(a: list[Any]) -> list[Any]:
    b = list(a)
    _sort(b, 0, len(b))
    return b


def quickselect(a: list[Any], k: int) -> Any:
    if not 0 <= k < len(a):
        raise ValueError(f"k = {k} is not in 0 .. {len(a) - 1}")
    b = list(a)
    lo, hi = 0, len(b)
    while True:
        lt, gt = partition3(b, lo, hi, b[(lo + hi - 1) // 2])
        if k < lt:
            hi = lt
        elif k >= gt:
            lo = gt
        else:
            return b[k]

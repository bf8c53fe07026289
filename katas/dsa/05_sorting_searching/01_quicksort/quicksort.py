"""dsa-05-1: quicksort and quickselect with a three-way partition. Edit this file;
`grader check dsa-05-1` tests it."""
from __future__ import annotations

from typing import Any


def partition3(a: list[Any], lo: int, hi: int, pivot: Any) -> tuple[int, int]:
    """Rearrange a[lo:hi] IN PLACE into a[lo:lt] < pivot, a[lt:gt] == pivot, a[gt:hi] > pivot and
    return (lt, gt). Elements outside a[lo:hi] do not move. Uses only <, > and == on elements."""
    raise NotImplementedError("partition3: three indices lt, i, gt; do not advance i after swapping with gt")


def quicksort(a: list[Any]) -> list[Any]:
    """A new sorted list of a's elements (a is unchanged): three-way partition around a middle
    element of each range (a[(lo + hi - 1) // 2], say), then recursion into the < and > parts. At most
    4 n log2 n comparisons on sorted, reversed and all-equal inputs.

    Shapes:
        a: n elements; returns: n elements
    """
    raise NotImplementedError("quicksort: copy, then partition3 and recurse on both sides")


def quickselect(a: list[Any], k: int) -> Any:
    """The k-th smallest element of a (k = 0 is the minimum), a unchanged; partition3 around a
    middle element, then continue only into the part holding index k. At most 8 n comparisons on
    sorted, reversed and all-equal inputs.

    Raises:
        ValueError: unless 0 <= k < len(a).
    """
    raise NotImplementedError("quickselect: partition, keep the side that contains k")

"""Tests for dsa-05-1, quicksort and quickselect.

References: sorted(); numpy.partition for the k-th smallest; the partition regions checked against
their definition; and comparisons counted with wrapped elements on the inputs that make naive
quicksorts quadratic (sorted, reversed, all equal).
"""
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

VALUES = st.lists(st.integers(-5, 5), max_size=30)
COUNT = [0]


class Item:
    """An integer that counts every comparison made on it; it has only <, > and == (as promised)."""

    def __init__(self, v: int) -> None:
        self.v = v

    def __lt__(self, other: "Item") -> bool:
        COUNT[0] += 1
        return self.v < other.v

    def __gt__(self, other: "Item") -> bool:
        COUNT[0] += 1
        return self.v > other.v

    def __eq__(self, other: object) -> bool:
        COUNT[0] += 1
        return isinstance(other, Item) and self.v == other.v

    __hash__ = None


@given(values=VALUES, data=st.data())
@example(values=[], data=None)
@example(values=[2, 2, 2], data=None)
@example(values=[3, 1, 2, 2, 5, 0], data=None)  # a larger element swapped in from the right must be re-examined
def test_partition3_regions(kata, values, data):
    lo, hi, pivot = 0, len(values), 2
    if data is not None:
        lo = data.draw(st.integers(0, len(values)), label="lo")
        hi = data.draw(st.integers(lo, len(values)), label="hi")
        pivot = data.draw(st.integers(-5, 5), label="pivot")
    a = list(values)
    call = f"partition3({values}, lo={lo}, hi={hi}, pivot={pivot})"
    lt, gt = kata.partition3(a, lo, hi, pivot)
    assert a[:lo] == values[:lo] and a[hi:] == values[hi:], f"{call} moved elements outside a[lo:hi]: {a}"
    assert Counter(a[lo:hi]) == Counter(values[lo:hi]), f"{call} changed the elements, not only their order: {a}"
    assert lo <= lt <= gt <= hi, f"{call} returned (lt, gt) = {(lt, gt)}, not lo <= lt <= gt <= hi"
    assert all(x < pivot for x in a[lo:lt]) and all(x == pivot for x in a[lt:gt]) and all(x > pivot for x in a[gt:hi]), (
        f"{call} left a = {a} with (lt, gt) = {(lt, gt)}: expected a[lo:lt] < pivot, a[lt:gt] == pivot, a[gt:hi] > pivot")


@given(values=VALUES)
@example(values=[])
@example(values=[1])
@example(values=[3, 3, 3, 3])
@example(values=[5, 4, 3, 2, 1])
def test_quicksort_matches_sorted(kata, values):
    before = list(values)
    got = kata.quicksort(values)
    assert values == before, f"quicksort modified its input: {before} became {values}; sort a copy"
    assert list(got) == sorted(values), f"quicksort({values}) = {got}, expected {sorted(values)}"
    assert got is not values, "quicksort must return a new list, not its input"


@given(values=st.lists(st.integers(-5, 5), min_size=1, max_size=30), data=st.data())
@example(values=[7], data=None)
@example(values=[4, 4, 4], data=None)
@example(values=[3, 1, 2], data=None)
def test_quickselect_matches_numpy_partition(kata, values, data):
    ks = range(len(values)) if data is None else [data.draw(st.integers(0, len(values) - 1), label="k")]
    for k in ks:
        before = list(values)
        got = kata.quickselect(values, k)
        assert values == before, f"quickselect modified its input: {before} became {values}"
        want = int(np.partition(np.array(values), k)[k])
        assert got == want, f"quickselect({values}, k={k}) = {got}, expected {want} (the k-th smallest, 0-based)"


def structured_inputs(n: int) -> dict:
    return {"sorted": list(range(n)), "reversed": list(range(n, 0, -1)), "all equal": [7] * n,
            "two values": [i % 2 for i in range(n)]}


@pytest.mark.parametrize("n", [64, 256])
def test_comparison_counts_stay_n_log_n(kata, n):
    bound_sort, bound_select = 4 * n * math.log2(n), 8 * n
    for name, values in structured_inputs(n).items():
        items = [Item(v) for v in values]
        COUNT[0] = 0
        out = kata.quicksort(items)
        used = COUNT[0]
        assert [x.v for x in out] == sorted(values), f"quicksort of {name} input (n={n}) did not sort it"
        assert used <= bound_sort, (f"quicksort on a {name} input of n={n} made {used} comparisons, over "
                                    f"4 n log2 n = {bound_sort:.0f}: a two-way partition or a first-element pivot goes quadratic here")
        COUNT[0] = 0
        got = kata.quickselect(items, n // 2)
        used = COUNT[0]
        assert got.v == sorted(values)[n // 2], f"quickselect of {name} input (n={n}) returned the wrong element"
        assert used <= bound_select, (f"quickselect(k=n//2) on a {name} input of n={n} made {used} comparisons, over "
                                      f"8 n = {bound_select}: does it recurse into both sides, or go quadratic on equal values?")


@pytest.mark.parametrize("values, k", [([1, 2, 3], 3), ([1, 2, 3], -1), ([], 0)])
def test_quickselect_rejects_bad_k(kata, values, k):
    with pytest.raises(ValueError):
        kata.quickselect(values, k)
        pytest.fail(f"quickselect({values}, {k}) returned instead of raising ValueError")

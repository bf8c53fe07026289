"""Tests for dsa-05-2, binary-search variants.

References: bisect.bisect_left / bisect_right with the same lo, hi and key; a linear scan for the
first true predicate, with the predicate's calls counted (a scan makes too many); every capacity
tried in turn for the shipping problem.
"""
import bisect
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

SORTED = st.lists(st.integers(0, 6), max_size=12).map(sorted)


@given(a=SORTED, x=st.integers(-1, 7), data=st.data())
@example(a=[], x=3, data=None)
@example(a=[2, 2, 2], x=2, data=None)  # duplicates: 0 and 3
@example(a=[1, 3], x=2, data=None)
@example(a=[1, 3], x=9, data=None)
def test_bounds_match_bisect(kata, a, x, data):
    lo, hi = 0, None
    if data is not None:
        lo = data.draw(st.integers(0, len(a)), label="lo")
        hi = data.draw(st.one_of(st.none(), st.integers(lo, len(a))), label="hi")
    for name, ref in (("lower_bound", bisect.bisect_left), ("upper_bound", bisect.bisect_right)):
        got, want = getattr(kata, name)(a, x, lo, hi), ref(a, x, lo, hi)
        assert got == want, f"{name}({a}, {x}, lo={lo}, hi={hi}) = {got}, expected {want} ({ref.__name__})"
        got = getattr(kata, name)(a, x)
        assert got == ref(a, x), f"{name}({a}, {x}) with the default lo and hi = {got}, expected {ref(a, x)}"


@given(words=st.lists(st.text(alphabet="ab", max_size=4), max_size=10), length=st.integers(0, 5))
@example(words=["a", "bb", "ab", "bbb"], length=2)
def test_key_is_applied_to_the_elements(kata, words, length):
    a = sorted(words, key=len)
    for name, ref in (("lower_bound", bisect.bisect_left), ("upper_bound", bisect.bisect_right)):
        got, want = getattr(kata, name)(a, length, key=len), ref(a, length, key=len)
        assert got == want, f"{name}({a}, {length}, key=len) = {got}, expected {want} (the key applies to a[i], not to x)"


@given(values=st.lists(st.integers(-6, 6), max_size=10), x=st.integers(-6, 6))
@example(values=[1, -2, 3], x=-2)  # key(x) would be 2; bisect compares abs(a[i]) with -2 itself
def test_key_is_not_applied_to_x(kata, values, x):
    a = sorted(values, key=abs)
    for name, ref in (("lower_bound", bisect.bisect_left), ("upper_bound", bisect.bisect_right)):
        got, want = getattr(kata, name)(a, x, key=abs), ref(a, x, key=abs)
        assert got == want, f"{name}({a}, {x}, key=abs) = {got}, expected {want} (the key applies to a[i], not to x)"


def test_negative_lo_raises(kata):
    for name in ("lower_bound", "upper_bound"):
        with pytest.raises(ValueError):
            getattr(kata, name)([1, 2, 3], 2, -1)
            pytest.fail(f"{name}([1, 2, 3], 2, lo=-1) returned instead of raising ValueError (as bisect does)")


@given(lo=st.integers(-20, 20), width=st.integers(0, 40), cut=st.integers(-25, 65))
@example(lo=0, width=0, cut=0)  # empty range: hi
@example(lo=0, width=1, cut=0)
@example(lo=0, width=1, cut=1)  # nothing true: hi
@example(lo=3, width=8, cut=3)  # the first is true
@example(lo=3, width=8, cut=10)  # only the last is true
@example(lo=0, width=31, cut=30)  # 2**k - 1 values: exactly k calls
def test_first_true_matches_linear_scan(kata, lo, width, cut):
    hi, calls = lo + width, []

    def pred(t: int) -> bool:
        calls.append(t)
        return t >= cut
    got = kata.first_true(pred, lo, hi)
    want = next((t for t in range(lo, hi) if t >= cut), hi)
    assert got == want, f"first_true(t >= {cut}, {lo}, {hi}) = {got}, expected {want}"
    budget = math.ceil(math.log2(width + 1))
    assert len(calls) <= budget, f"first_true(t >= {cut}, {lo}, {hi}) called pred {len(calls)} times; binary search needs at most {budget}"
    assert all(lo <= t < hi for t in calls), f"first_true(..., {lo}, {hi}) called pred outside [lo, hi): {calls}"


def test_first_true_rejects_an_inverted_range(kata):
    with pytest.raises(ValueError):
        kata.first_true(lambda t: True, 5, 4)
        pytest.fail("first_true(pred, 5, 4) returned instead of raising ValueError")


def days_needed(weights: list, cap: int) -> int:
    days, load = 1, 0
    for w in weights:
        if load + w > cap:
            days, load = days + 1, 0
        load += w
    return days


@given(weights=st.lists(st.integers(1, 9), max_size=10), days=st.integers(1, 6))
@example(weights=[], days=1)
@example(weights=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], days=5)  # 15
@example(weights=[3, 2, 2, 4, 1, 4], days=3)  # 6
@example(weights=[1, 2, 3, 1, 1], days=4)  # 3
@example(weights=[9, 1], days=5)  # max(w) is a lower bound: 9
@example(weights=[4, 4], days=1)  # sum(w) is always enough: 8
def test_min_capacity_matches_brute_force(kata, weights, days):
    got = kata.min_capacity(weights, days)
    want = 0 if not weights else next(c for c in range(max(weights), sum(weights) + 1) if days_needed(weights, c) <= days)
    assert got == want, f"min_capacity({weights}, days={days}) = {got}, expected {want}"


def test_min_capacity_rejects_zero_days(kata):
    with pytest.raises(ValueError):
        kata.min_capacity([1, 2], 0)
        pytest.fail("min_capacity([1, 2], 0) returned instead of raising ValueError")

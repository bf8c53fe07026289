"""Tests for dsa-02-2, the 0/1 knapsack.

References: a brute force over every subset of up to 9 items (the optimum), and the returned
indices re-summed (they must be distinct, sorted, fit the budget and be worth exactly the value).
"""
from itertools import combinations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st


def brute(values: list, weights: list, capacity: int) -> int:
    n = len(values)
    return max(sum(values[i] for i in s) for r in range(n + 1) for s in combinations(range(n), r)
               if sum(weights[i] for i in s) <= capacity)


def check(kata, values: list, weights: list, capacity: int) -> None:
    before = (list(values), list(weights))
    call = f"knapsack({values}, {weights}, capacity={capacity})"
    best, chosen = kata.knapsack(values, weights, capacity)
    assert (values, weights) == before, f"{call} modified its input lists: work on your own table"
    want = brute(values, weights, capacity)
    assert best == want, f"{call} returned best value {best}, expected {want} (brute force over all subsets)"
    chosen = list(chosen)
    assert chosen == sorted(set(chosen)), f"{call}: chosen = {chosen} must be sorted, each index once (0/1)"
    assert all(0 <= i < len(values) for i in chosen), f"{call}: chosen = {chosen} has an index outside 0..{len(values) - 1}"
    weight = sum(weights[i] for i in chosen)
    assert weight <= capacity, f"{call}: chosen = {chosen} weighs {weight} > capacity {capacity}"
    value = sum(values[i] for i in chosen)
    assert value == best, f"{call}: chosen = {chosen} is worth {value}, but best value is {best}"


@given(items=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 7)), max_size=9), capacity=st.integers(0, 18))
@example(items=[], capacity=0)
@example(items=[], capacity=5)
@example(items=[(10, 5)], capacity=5)  # an exact fit: w == c must be allowed
@example(items=[(10, 6)], capacity=5)  # heavier than the whole budget
@example(items=[(3, 4), (4, 5), (5, 6)], capacity=3)  # nothing fits
@example(items=[(7, 0), (1, 0), (9, 3)], capacity=0)  # zero-weight items are always worth taking
@example(items=[(6, 2)], capacity=7)  # a single item cannot be taken three times
@example(items=[(60, 10), (100, 20), (120, 30)], capacity=50)  # greedy by value/weight takes 60 + 100
def test_value_and_choice_match_brute_force(kata, items, capacity):
    values, weights = [v for v, _ in items], [w for _, w in items]
    check(kata, values, weights, capacity)


def test_allocates_a_gpu_budget(kata):
    """Five experiments, 10 GPU hours: the best plan is experiments 1, 2 and 4 (value 14)."""
    values, weights = [4, 5, 6, 2, 3], [6, 3, 4, 5, 2]
    best, chosen = kata.knapsack(values, weights, 10)
    assert (best, list(chosen)) == (14, [1, 2, 4]), f"knapsack({values}, {weights}, 10) = {(best, chosen)}, expected (14, [1, 2, 4])"


@pytest.mark.parametrize("values, weights, capacity", [([1, 2], [1], 3), ([1], [1, 2], 3), ([1, 2], [1, -1], 3),
                                                        ([1], [1], -1), ([], [], -1)])
def test_invalid_inputs_raise(kata, values, weights, capacity):
    with pytest.raises(ValueError):
        kata.knapsack(values, weights, capacity)
        pytest.fail(f"knapsack({values}, {weights}, {capacity}) returned instead of raising ValueError")

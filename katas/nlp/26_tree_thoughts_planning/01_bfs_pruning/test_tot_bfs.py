"""Tests for nlp-26-1, breadth-first tree-of-thought search with pruning.

References: exhaustive recursive search decides whether each "make the target" instance is solvable
(unpruned BFS must agree, and return a valid solution); the pruning rule written out here (keep the
beam_width best children by value, ties in generation order; stop at the first goal child) gives the
exact frontier sizes and expansion count; pruned search never keeps more than beam_width thoughts.
"""
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

NUMS = st.lists(st.integers(1, 9), min_size=1, max_size=4).map(lambda xs: tuple(sorted(xs)))


def solvable(nums: tuple[int, ...], target: int) -> bool:
    if len(nums) == 1:
        return nums[0] == target
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            rest = [n for k, n in enumerate(nums) if k not in (i, j)]
            a, b = nums[i], nums[j]
            if any(solvable(tuple(sorted(rest + [v])), target) for v in (a + b, a - b, b - a, a * b)):
                return True
    return False


def largest_number(state):
    """A misleading evaluator (prefers big numbers), so that pruning can throw away the way to the goal."""
    return max(state[0])


def ref_bfs(kata, root, target, beam, depth, value):
    is_goal = lambda s: s[0] == (target,)  # noqa: E731
    if is_goal(root):
        return root, [], 0
    frontier, sizes, expanded = [root], [], 0
    for _ in range(depth):
        children = []
        for s in frontier:
            expanded += 1
            children += kata.expand_numbers(s)
        if not children:
            break
        goals = [c for c in children if is_goal(c)]
        if goals:
            return goals[0], sizes, expanded
        order = sorted(range(len(children)), key=lambda k: -value(children[k]))
        frontier = [children[k] for k in (order if beam is None else order[:beam])]
        sizes.append(len(frontier))
    return None, sizes, expanded


def replay(nums, steps):
    pool = list(nums)
    for step in steps:
        lhs, result = step.split(" = ")
        a, op, b = lhs.split(" ")
        a, b, result = int(a), int(b), int(result)
        assert {"+": a + b, "-": a - b, "*": a * b}[op] == result, f"step {step!r} is wrong"
        pool.remove(a)
        pool.remove(b)
        pool.append(result)
    return pool


@given(nums=NUMS, target=st.integers(1, 40))
@example(nums=(4, 6), target=24)
@example(nums=(1, 1, 1), target=30)          # unsolvable
@example(nums=(5,), target=5)                # the root is already a goal
def test_unpruned_bfs_is_exhaustive(kata, nums, target):
    root = (nums, ())
    res = kata.bfs_search(root, kata.expand_numbers, kata.distance_value(target), lambda s: s[0] == (target,), None,
                          len(nums) - 1)
    want = solvable(nums, target)
    assert (res.solution is not None) == want, (
        f"bfs_search(numbers {nums}, target {target}, no pruning) {'found' if res.solution else 'found no'} solution, "
        f"but exhaustive search says the instance is {'solvable' if want else 'unsolvable'}")
    if res.solution is not None:
        assert replay(nums, res.solution[1]) == [target], f"solution steps {res.solution[1]} do not make {target}"


@given(nums=NUMS, target=st.integers(1, 40), beam=st.one_of(st.none(), st.integers(1, 6)), depth=st.integers(0, 3),
       misleading=st.booleans())
@example(nums=(2, 3, 4), target=24, beam=1, depth=2, misleading=False)
@example(nums=(1, 2, 3, 4), target=37, beam=2, depth=3, misleading=False)
@example(nums=(1, 2), target=1, beam=1, depth=1, misleading=True)   # the goal 2 - 1 has the lowest value: check first
@example(nums=(2, 2), target=4, beam=None, depth=1, misleading=False)   # 2 + 2 and 2 * 2: return the first goal
def test_pruning_rule_and_counters(kata, nums, target, beam, depth, misleading):
    root = (nums, ())
    value = largest_number if misleading else kata.distance_value(target)
    res = kata.bfs_search(root, kata.expand_numbers, value, lambda s: s[0] == (target,), beam, depth)
    want_sol, want_sizes, want_expanded = ref_bfs(kata, root, target, beam, depth, value)
    call = f"bfs_search(numbers {nums}, target {target}, beam_width={beam}, max_depth={depth})"
    assert res.solution == want_sol, f"{call} returned {res.solution}, expected {want_sol}"
    assert list(res.frontier_sizes) == want_sizes, (
        f"{call}: frontier sizes {res.frontier_sizes}, expected {want_sizes} (the best beam_width children by value, "
        f"ties in generation order; stop at the first goal child)")
    assert res.expanded == want_expanded, f"{call}: expanded {res.expanded} thoughts, expected {want_expanded}"
    if beam is not None:
        assert all(s <= beam for s in res.frontier_sizes), f"{call} kept more than {beam} thoughts at some level"


def test_bad_beam_raises(kata):
    with pytest.raises(ValueError):
        kata.bfs_search(((1, 2), ()), kata.expand_numbers, kata.distance_value(3), lambda s: False, 0, 2)

"""Tests for dsa-01-2, topological sort with cycle detection.

References: graphlib.TopologicalSorter decides whether an order exists (or raises CycleError);
every dependency is checked against the returned order (any valid order is accepted, not one
particular answer); and every returned cycle is checked edge by edge against the graph.
"""
import copy
import graphlib

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds


def random_deps(seed: int, n: int, p: float, cyclic: bool) -> dict:
    rng = np.random.default_rng(seed)
    names = [f"step{i}" for i in rng.permutation(n)]  # the insertion order is not a valid order
    deps = {names[i]: [names[j] for j in range(i) if rng.random() < p] for i in range(n)}
    deps = {k: deps[k] for k in rng.permutation(list(deps))}
    if cyclic and n >= 1:
        i, j = sorted(rng.integers(0, n, 2))
        deps[names[i]].append(names[j])  # j >= i: closes a cycle (a self-loop when i == j)
    return deps


def graphlib_ok(deps: dict) -> bool:
    try:
        tuple(graphlib.TopologicalSorter(deps).static_order())
        return True
    except graphlib.CycleError:
        return False


def check_cycle(cycle: list, deps: dict, call: str) -> None:
    assert len(cycle) >= 2 and cycle[0] == cycle[-1], f"{call}: {cycle} is not a closed cycle [x0, ..., x0]"
    for a, b in zip(cycle[:-1], cycle[1:], strict=True):
        assert a in set(deps.get(b, ())), f"{call}: {cycle} claims {a!r} is a prerequisite of {b!r}, but it is not"


@given(n=st.integers(0, 12), p=st.sampled_from([0.2, 0.5]), seed=seeds(), cyclic=st.booleans())
@example(n=0, p=0.5, seed=0, cyclic=False)
@example(n=1, p=0.5, seed=0, cyclic=True)  # a self-dependency
def test_order_or_cycle_like_graphlib(kata, n, p, seed, cyclic):
    deps = random_deps(seed, n, p, cyclic)
    before = copy.deepcopy(deps)
    call = f"topological_sort({deps})"
    if graphlib_ok(deps):
        order = kata.topological_sort(deps)
        nodes = set(deps) | {q for ps in deps.values() for q in ps}
        assert sorted(order) == sorted(nodes), f"{call} = {order}: every node exactly once, prerequisites included"
        pos = {node: i for i, node in enumerate(order)}
        for node, ps in deps.items():
            for q in ps:
                assert pos[q] < pos[node], f"{call}: {node!r} comes before its prerequisite {q!r}"
        assert kata.find_cycle(deps) is None, f"find_cycle({deps}) found a cycle in an acyclic graph"
    else:
        with pytest.raises(graphlib.CycleError) as info:
            kata.topological_sort(deps)
            pytest.fail(f"{call} returned instead of raising graphlib.CycleError")
        check_cycle(list(info.value.args[1]), deps, call + " (CycleError.args[1])")
        cycle = kata.find_cycle(deps)
        assert cycle is not None, f"find_cycle({deps}) returned None, but graphlib finds a cycle"
        check_cycle(cycle, deps, f"find_cycle({deps})")
    assert deps == before, "the dependency dict was modified"


def test_prerequisite_only_nodes_and_ml_pipeline(kata):
    deps = {"train": ["features", "split"], "features": ["raw"], "split": ["raw"], "evaluate": ["train", "split"]}
    order = kata.topological_sort(deps)
    assert order[0] == "raw" and order[-1] == "evaluate" and len(order) == 5, f"topological_sort(pipeline) = {order}"


def test_cycle_examples(kata):
    assert kata.find_cycle({"a": ["a"]}) == ["a", "a"], "a self-dependency is the cycle [a, a]"
    cycle = kata.find_cycle({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]})
    check_cycle(cycle, {"a": ["b"], "b": ["c"], "c": ["a"]}, "find_cycle(a <- b <- c <- a)")
    assert len(cycle) == 4, f"find_cycle returned {cycle}; the cycle has three nodes"

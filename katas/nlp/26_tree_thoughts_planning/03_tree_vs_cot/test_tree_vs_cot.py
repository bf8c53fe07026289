"""Tests for nlp-26-3, visualizing the thought tree and comparing with a linear chain of thought.

References: the recorded tree against a reference trace written here (the pruning rule of nlp-26-1,
every generated thought recorded with its parent and fate); linear CoT as the beam-1 special case;
summary counts by definition; the comparison over generated instances recomputed; the figure's
scatter points and edges carry exactly the tree's data.
"""
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

NUMS = st.lists(st.integers(1, 9), min_size=1, max_size=4).map(lambda xs: tuple(sorted(xs)))


def ref_tree(kata, nums, target, beam, depth):
    root = (nums, ())
    value = kata.distance_value(target)
    goal = lambda s: s[0] == (target,)  # noqa: E731
    nodes = [(None, 0, value(root), "goal" if goal(root) else "kept", root)]
    if goal(root):
        return nodes
    frontier = [0]
    for d in range(1, depth + 1):
        kids = [(p, d, value(c), "pruned", c) for p in frontier for c in kata.expand_numbers(nodes[p][4])]
        if not kids:
            break
        base = len(nodes)
        hit = next((k for k, c in enumerate(kids) if goal(c[4])), None)
        if hit is not None:
            kids[hit] = kids[hit][:3] + ("goal",) + kids[hit][4:]
            return nodes + kids
        order = sorted(range(len(kids)), key=lambda k: -kids[k][2])[:beam]
        for k in order:
            kids[k] = kids[k][:3] + ("kept",) + kids[k][4:]
        nodes += kids
        frontier = [base + k for k in order]
    return nodes


@given(nums=NUMS, target=st.integers(1, 40), beam=st.integers(1, 5), depth=st.integers(0, 3))
@example(nums=(2, 3, 4), target=24, beam=2, depth=2)
@example(nums=(5,), target=5, beam=1, depth=2)
def test_search_tree_records_every_thought(kata, nums, target, beam, depth):
    got = kata.search_tree((nums, ()), kata.expand_numbers, kata.distance_value(target),
                           lambda s: s[0] == (target,), beam, depth)
    want = ref_tree(kata, nums, target, beam, depth)
    call = f"search_tree(numbers {nums}, target {target}, beam_width={beam}, max_depth={depth})"
    assert len(got) == len(want), f"{call} recorded {len(got)} thoughts, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert (g["id"], g["parent"], g["depth"], g["status"]) == (i, w[0], w[1], w[3]), (
            f"{call}: node {i} is (parent={g['parent']}, depth={g['depth']}, status={g['status']!r}), expected "
            f"(parent={w[0]}, depth={w[1]}, status={w[3]!r})")
        assert abs(g["value"] - w[2]) < 1e-12 and g["state"] == w[4], f"{call}: node {i} value/state differ"
    cot = kata.linear_cot((nums, ()), kata.expand_numbers, kata.distance_value(target), lambda s: s[0] == (target,), depth)
    assert [(n["parent"], n["status"]) for n in cot] == [(w[0], w[3]) for w in ref_tree(kata, nums, target, 1, depth)], (
        "linear_cot must be the same search with one thought kept per level")


def test_bad_beam_raises(kata):
    with pytest.raises(ValueError):
        kata.search_tree(((1, 2), ()), kata.expand_numbers, kata.distance_value(3), lambda s: False, 0, 1)


@given(nums=NUMS, target=st.integers(1, 40), beam=st.integers(1, 4))
def test_summarize(kata, nums, target, beam):
    nodes = kata.search_tree((nums, ()), kata.expand_numbers, kata.distance_value(target),
                             lambda s: s[0] == (target,), beam, len(nums) - 1)
    got = kata.summarize(nodes)
    parents = {n["parent"] for n in nodes}
    want = {"solved": any(n["status"] == "goal" for n in nodes), "thoughts": len(nodes) - 1,
            "expanded": sum(1 for n in nodes if n["id"] in parents)}
    assert {k: got[k] for k in want} == want, f"summarize: {got}, expected {want}"


@settings(max_examples=2)
@given(beam=st.integers(2, 6))
def test_compare_tree_with_chain(kata, beam):
    rng = np.random.default_rng(0)
    inst = [(tuple(sorted(rng.integers(1, 10, 4))), int(rng.integers(10, 60))) for _ in range(30)]
    got = kata.compare(inst, beam)
    for name, b in (("cot", 1), ("tot", beam)):
        sums = [kata.summarize(kata.search_tree((n, ()), kata.expand_numbers, kata.distance_value(t),
                                                lambda s, t=t: s[0] == (t,), b, len(n) - 1)) for n, t in inst]
        want = (np.mean([s["solved"] for s in sums]), np.mean([s["thoughts"] for s in sums]))
        assert np.allclose(got[name], want), f"compare: {name} = {got[name]}, expected (success rate, thoughts) {want}"
    assert got["tot"][0] >= got["cot"][0] and got["tot"][1] > got["cot"][1], (
        f"tree search (beam {beam}) should solve at least as many instances as the chain, at a higher cost: {got}")


@settings(max_examples=2)
@given(nums=NUMS, target=st.integers(1, 40), beam=st.integers(1, 3))
@example(nums=(2, 3, 4), target=24, beam=2)
def test_plot_tree(kata, nums, target, beam):
    nodes = kata.search_tree((nums, ()), kata.expand_numbers, kata.distance_value(target),
                             lambda s: s[0] == (target,), beam, len(nums) - 1)
    fig = kata.plot_tree(nodes)
    try:
        ax = fig.axes[0]
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("depth", "thought"), "labels must be 'depth' and 'thought'"
        pos, seen = {}, {}
        for n in nodes:
            pos[n["id"]] = (float(n["depth"]), float(seen.get(n["depth"], 0)))
            seen[n["depth"]] = seen.get(n["depth"], 0) + 1
        scat = {c.get_label(): sorted(map(tuple, np.asarray(c.get_offsets(), float).reshape(-1, 2))) for c in ax.collections}
        for status in ("pruned", "kept", "goal"):
            want = sorted(pos[n["id"]] for n in nodes if n["status"] == status)
            assert scat.get(status, []) == want, f"plot_tree: the {status!r} scatter has {scat.get(status)}, expected {want}"
        edges = sorted((tuple(map(float, line.get_xdata())), tuple(map(float, line.get_ydata()))) for line in ax.get_lines())
        want_edges = sorted(((pos[n["parent"]][0], pos[n["id"]][0]), (pos[n["parent"]][1], pos[n["id"]][1]))
                            for n in nodes if n["parent"] is not None)
        assert edges == want_edges, f"plot_tree: {len(edges)} edges, expected one line per thought from its parent ({len(want_edges)})"
    finally:
        plt.close(fig)

"""Tests for arch-07-5, the backdoor criterion via d-separation.

References: networkx.is_d_separator on random DAGs; the backdoor criterion assembled from
networkx (nx.descendants and nx.is_d_separator on the graph without x's outgoing edges); the
textbook cases (a confounder, a mediator, M-bias, a collider).
"""
import itertools

import networkx as nx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds


@st.composite
def dags(draw: st.DrawFn) -> nx.DiGraph:
    n = draw(st.integers(2, 7))
    p = draw(st.sampled_from([0.2, 0.4, 0.7]))
    rnd = __import__("random").Random(draw(seeds()))
    order = list(range(n))
    rnd.shuffle(order)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((order[i], order[j]) for i in range(n) for j in range(i + 1, n) if rnd.random() < p)
    return g


def snapshot(g: nx.DiGraph) -> tuple:
    return sorted(g.nodes), sorted(g.edges)


@given(g=dags(), data=st.data())
def test_d_separation_matches_networkx(kata, g, data):
    nodes = list(g.nodes)
    labels = data.draw(st.lists(st.sampled_from(["x", "y", "z", "-"]), min_size=len(nodes), max_size=len(nodes)),
                       label="roles")
    labels[0], labels[-1] = "x", "y"      # both sides non-empty
    xs = {v for v, r in zip(nodes, labels, strict=True) if r == "x"}
    ys = {v for v, r in zip(nodes, labels, strict=True) if r == "y"}
    zs = {v for v, r in zip(nodes, labels, strict=True) if r == "z"}
    before = snapshot(g)
    got = kata.d_separated(g, xs, ys, zs)
    want = nx.is_d_separator(g, xs, ys, zs)
    assert got == want, (f"d_separated(edges={sorted(g.edges)}, xs={xs}, ys={ys}, zs={zs}) returned {got}; "
                         f"networkx.is_d_separator says {want}")
    assert snapshot(g) == before, "d_separated modified the graph"


def test_d_separation_textbook_cases(kata):
    chain = nx.DiGraph([("a", "b"), ("b", "c")])
    fork = nx.DiGraph([("b", "a"), ("b", "c")])
    collider = nx.DiGraph([("a", "b"), ("c", "b"), ("b", "d")])
    cases = [(chain, set(), False), (chain, {"b"}, True), (fork, set(), False), (fork, {"b"}, True),
             (collider, set(), True), (collider, {"b"}, False), (collider, {"d"}, False)]
    for g, zs, want in cases:
        got = kata.d_separated(g, {"a"}, {"c"}, zs)
        assert got == want, f"d_separated(a, c | {zs}) on {sorted(g.edges)} returned {got}, expected {want}"


@given(bad=st.sampled_from(["cycle", "xy", "xz", "yz"]))
def test_d_separation_rejects_bad_inputs(kata, bad):
    g = nx.DiGraph([(0, 1), (1, 2), (2, 3)])
    xs, ys, zs = {0}, {3}, {1}
    if bad == "cycle":
        g.add_edge(3, 0)
    elif bad == "xy":
        ys = {3, 0}
    elif bad == "xz":
        zs = {1, 0}
    else:
        zs = {1, 3}
    with pytest.raises(ValueError):
        kata.d_separated(g, xs, ys, zs)
        pytest.fail(f"d_separated with {bad} returned instead of raising ValueError")


def backdoor_reference(g: nx.DiGraph, x: int, y: int, zs: set) -> bool:
    if zs & nx.descendants(g, x):
        return False
    cut = g.copy()
    cut.remove_edges_from(list(g.out_edges(x)))
    return nx.is_d_separator(cut, {x}, {y}, zs)


@settings(max_examples=20)
@given(g=dags(), data=st.data())
def test_backdoor_matches_networkx_for_every_adjustment_set(kata, g, data):
    nodes = list(g.nodes)
    x, y = data.draw(st.sampled_from(list(itertools.permutations(nodes, 2))), label="(x, y)")
    others = [v for v in nodes if v not in (x, y)]
    before = snapshot(g)
    for r in range(len(others) + 1):
        for zs in itertools.combinations(others, r):
            got = kata.satisfies_backdoor(g, x, y, set(zs))
            want = backdoor_reference(g, x, y, set(zs))
            assert got == want, (f"satisfies_backdoor(edges={sorted(g.edges)}, x={x}, y={y}, zs={set(zs)}) "
                                 f"returned {got}, expected {want}")
    assert snapshot(g) == before, "satisfies_backdoor modified the graph"


def test_backdoor_textbook_cases(kata):
    confounded = nx.DiGraph([("z", "x"), ("z", "y"), ("x", "y")])
    mediated = nx.DiGraph([("x", "m"), ("m", "y")])
    m_bias = nx.DiGraph([("a", "x"), ("a", "m"), ("b", "m"), ("b", "y"), ("x", "y")])
    cases = [(confounded, set(), False), (confounded, {"z"}, True),
             (mediated, set(), True), (mediated, {"m"}, False),               # a descendant of x
             (m_bias, set(), True), (m_bias, {"m"}, False), (m_bias, {"m", "a"}, True), (m_bias, {"b"}, True)]
    for g, zs, want in cases:
        got = kata.satisfies_backdoor(g, "x", "y", zs)
        assert got == want, f"satisfies_backdoor(x -> y | {zs}) on {sorted(g.edges)} returned {got}, expected {want}"


@given(bad=st.sampled_from(["x", "y"]))
@example(bad="x")
def test_backdoor_rejects_x_or_y_in_the_set(kata, bad):
    g = nx.DiGraph([("z", "x"), ("z", "y"), ("x", "y")])
    with pytest.raises(ValueError):
        kata.satisfies_backdoor(g, "x", "y", {"z", bad})
        pytest.fail(f"satisfies_backdoor with {bad} in the adjustment set returned instead of raising ValueError")

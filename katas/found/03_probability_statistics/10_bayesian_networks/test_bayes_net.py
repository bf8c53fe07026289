"""Tests for found-03-10, Bayesian networks.

References: the full joint distribution built independently as one numpy array (the product of all
CPTs, broadcast over every variable), conditioned and marginalised by indexing and summing;
networkx.is_d_separator for d-separation; and agreement between enumeration and elimination.
"""
import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close


def random_network(seed: int, n: int, density: float = 0.5) -> tuple[dict, dict]:
    """Nodes X0..X{n-1} in topological order; each earlier node is a parent with probability `density`."""
    rng = np.random.default_rng(seed)
    names = [f"X{i}" for i in range(n)]
    parents = {v: [u for u in names[:i] if rng.random() < density][:3] for i, v in enumerate(names)}
    cpts = {v: rng.dirichlet([1.0, 1.0], size=(2,) * len(parents[v])) for v in names}
    return parents, cpts


def full_joint(parents: dict, cpts: dict) -> np.ndarray:
    names = list(parents)
    joint = np.ones((2,) * len(names))
    for v in names:
        axes = [names.index(p) for p in parents[v]] + [names.index(v)]
        shape = [1] * len(names)
        for a in axes:
            shape[a] = 2
        order = np.argsort(axes)  # put the CPT's axes in the joint's order before broadcasting
        joint = joint * np.transpose(cpts[v], order).reshape(shape)
    return joint


def posterior(parents: dict, cpts: dict, query: str, evidence: dict) -> np.ndarray:
    names = list(parents)
    joint = full_joint(parents, cpts)
    index = tuple(evidence.get(n, slice(None)) for n in names)
    sub = joint[index]
    kept = [n for n in names if n not in evidence]
    marg = sub.sum(axis=tuple(i for i, n in enumerate(kept) if n != query))
    return marg / marg.sum()


def draw_query(seed: int, parents: dict) -> tuple[str, dict]:
    rng = np.random.default_rng(seed + 99)
    names = list(parents)
    query = names[rng.integers(len(names))]
    others = [n for n in names if n != query]
    evidence = {n: int(rng.integers(2)) for n in others if rng.random() < 0.4}
    return query, evidence


@given(n=st.integers(1, 6), seed=seeds())
@example(n=1, seed=0)
def test_joint_probability_matches_the_full_joint(kata, n, seed):
    parents, cpts = random_network(seed, n)
    joint = full_joint(parents, cpts)
    for values in itertools.product((0, 1), repeat=n):
        assignment = dict(zip(parents, values, strict=True))
        got = kata.joint_probability(parents, cpts, assignment)
        assert_close(got, joint[values], rtol=1e-12, atol=1e-15, name="P(assignment)",
                     call=f"joint_probability(network of {n} nodes, {assignment})")


@given(n=st.integers(1, 6), seed=seeds(), density=st.sampled_from([0.3, 0.7]))
@example(n=1, seed=0, density=0.5)
@example(n=5, seed=1, density=0.7)
def test_enumeration_and_elimination_match_the_joint(kata, n, seed, density):
    parents, cpts = random_network(seed, n, density)
    query, evidence = draw_query(seed, parents)
    want = posterior(parents, cpts, query, evidence)
    call = f"P({query} | {evidence}) in a network with parents {parents}"
    got = kata.query_enumeration(parents, cpts, query, evidence)
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="query_enumeration", call=call)
    got = kata.query_variable_elimination(parents, cpts, query, evidence)
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="query_variable_elimination", call=call)


def sprinkler() -> tuple[dict, dict]:
    parents = {"Cloudy": [], "Sprinkler": ["Cloudy"], "Rain": ["Cloudy"], "WetGrass": ["Sprinkler", "Rain"]}
    cpts = {"Cloudy": np.array([0.5, 0.5]),
            "Sprinkler": np.array([[0.5, 0.5], [0.9, 0.1]]),
            "Rain": np.array([[0.8, 0.2], [0.2, 0.8]]),
            "WetGrass": np.array([[[1.0, 0.0], [0.1, 0.9]], [[0.1, 0.9], [0.01, 0.99]]])}
    return parents, cpts


def test_sprinkler_network(kata):
    """Russell & Norvig's sprinkler: P(Rain = 1 | WetGrass = 1) ≈ 0.7079; explaining away lowers it given Sprinkler = 1."""
    parents, cpts = sprinkler()
    for fn in (kata.query_enumeration, kata.query_variable_elimination):
        got = fn(parents, cpts, "Rain", {"WetGrass": 1})
        assert_close(got, posterior(parents, cpts, "Rain", {"WetGrass": 1}), rtol=1e-12, atol=0,
                     name="P(Rain | WetGrass = 1)", call=f"{fn.__name__}(sprinkler)")
        both = fn(parents, cpts, "Rain", {"WetGrass": 1, "Sprinkler": 1})
        assert both[1] < got[1], f"{fn.__name__}: observing the sprinkler should explain away the rain"


def test_bad_queries_raise(kata):
    parents, cpts = sprinkler()
    for query, evidence in (("Snow", {}), ("Rain", {"Rain": 1}), ("Rain", {"Hail": 0})):
        for fn in (kata.query_enumeration, kata.query_variable_elimination):
            with pytest.raises(ValueError):
                fn(parents, cpts, query, evidence)
                pytest.fail(f"{fn.__name__}(sprinkler, {query!r}, {evidence}) returned instead of raising ValueError")


@given(n=st.integers(2, 7), seed=seeds(), density=st.sampled_from([0.3, 0.6]))
@example(n=3, seed=0, density=0.6)
def test_d_separation_matches_networkx(kata, n, seed, density):
    parents, _ = random_network(seed, n, density)
    G = nx.DiGraph([(p, v) for v, ps in parents.items() for p in ps])
    G.add_nodes_from(parents)
    rng = np.random.default_rng(seed + 5)
    names = list(parents)
    for _ in range(6):
        roles = rng.integers(0, 4, n)  # 0 = X, 1 = Y, 2 = Z, 3 = none
        xs = {v for v, r in zip(names, roles, strict=True) if r == 0} or {names[0]}
        ys = {v for v, r in zip(names, roles, strict=True) if r == 1 and v not in xs} or ({names[-1]} - xs)
        if not ys:
            continue
        zs = {v for v, r in zip(names, roles, strict=True) if r == 2} - xs - ys
        got = kata.d_separated(parents, xs, ys, zs)
        want = nx.is_d_separator(G, xs, ys, zs)
        assert got == want, f"d_separated(parents={parents}, {sorted(xs)}, {sorted(ys)}, {sorted(zs)}) = {got}, networkx says {want}"


def test_d_separation_classic_cases(kata):
    collider = {"A": [], "B": [], "C": ["A", "B"], "D": ["C"]}
    cases = [({"A"}, {"B"}, set(), True, "a collider blocks the path when unobserved"),
             ({"A"}, {"B"}, {"C"}, False, "observing a collider opens the path"),
             ({"A"}, {"B"}, {"D"}, False, "observing a descendant of the collider opens it too")]
    for xs, ys, zs, want, why in cases:
        got = kata.d_separated(collider, xs, ys, zs)
        assert got == want, f"A -> C <- B, C -> D: d_separated({xs}, {ys}, {zs}) = {got}, expected {want}: {why}"
    chain = {"A": [], "B": ["A"], "C": ["B"]}
    assert kata.d_separated(chain, {"A"}, {"C"}, {"B"}) is True, "A -> B -> C: observing B blocks the chain"
    assert kata.d_separated(chain, {"A"}, {"C"}, set()) is False, "A -> B -> C: with nothing observed, A and C are dependent"


def test_d_separation_rejects_bad_sets(kata):
    chain = {"A": [], "B": ["A"], "C": ["B"]}
    for xs, ys, zs in (({"A"}, {"A"}, set()), ({"A"}, {"C"}, {"A"}), (set(), {"C"}, set()), ({"A"}, {"Q"}, set())):
        with pytest.raises(ValueError):
            kata.d_separated(chain, xs, ys, zs)
            pytest.fail(f"d_separated(chain, {xs}, {ys}, {zs}) returned instead of raising ValueError")

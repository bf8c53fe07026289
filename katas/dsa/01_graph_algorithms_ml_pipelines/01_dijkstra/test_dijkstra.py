"""Tests for dsa-01-1, Dijkstra's shortest paths.

References: scipy.sparse.csgraph.dijkstra (directed, on the cheapest of any parallel edges);
Bellman–Ford by brute force for graphs with zero-weight edges (which a sparse matrix cannot hold);
and the paths themselves, whose edge weights must add up to the distances.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra as sp_dijkstra

from grader.strategies import seeds
from grader.testing import assert_close, describe_call


def random_graph(seed: int, n: int, m: int, zero: bool = False) -> list[tuple[int, int, float]]:
    rng = np.random.default_rng(seed)
    weights = rng.choice([0.0, 1.0, 2.5], m) if zero else rng.uniform(0.1, 10.0, m).round(2)
    return [(int(u), int(v), float(w)) for u, v, w in zip(rng.integers(0, n, m), rng.integers(0, n, m), weights,
                                                          strict=True)]


def scipy_dist(n: int, edges: list, source: int) -> np.ndarray:
    W = np.full((n, n), np.inf)
    for u, v, w in edges:
        if u != v:
            W[u, v] = min(W[u, v], w)
    W[np.isinf(W)] = 0.0  # csgraph: 0 means no edge
    return sp_dijkstra(csr_matrix(W), directed=True, indices=source)


def bellman_ford(n: int, edges: list, source: int) -> np.ndarray:
    dist = np.full(n, np.inf)
    dist[source] = 0.0
    for _ in range(n):
        for u, v, w in edges:
            dist[v] = min(dist[v], dist[u] + w)
    return dist


def check_path(path: list, edges: list, source: int, target: int, dist: float, call: str) -> None:
    assert path[0] == source and path[-1] == target, f"{call}: path {path} does not run from {source} to {target}"
    cost = {}
    for u, v, w in edges:
        cost[(u, v)] = min(cost.get((u, v), np.inf), w)
    length = sum(cost.get((a, b), np.inf) for a, b in zip(path[:-1], path[1:], strict=True))
    assert np.isclose(length, dist), f"{call}: path {path} has length {length}, but the distance is {dist}"


@given(n=st.integers(1, 12), m=st.integers(0, 40), seed=seeds())
@example(n=1, m=0, seed=0)
@example(n=6, m=3, seed=1)  # sparse: some nodes unreachable
def test_distances_match_scipy(kata, n, m, seed):
    edges = random_graph(seed, n, m)
    source = int(np.random.default_rng(seed).integers(n))
    call = describe_call("dijkstra", n, f"{m} edges", source)
    dist, pred = kata.dijkstra(n, edges, source)
    assert_close(dist, scipy_dist(n, edges, source), rtol=1e-12, atol=1e-12, name="dist", call=call)
    pred = np.asarray(pred)
    assert pred[source] == -1 and np.all(pred[np.isinf(dist)] == -1), f"{call}: pred must be -1 at the source and unreachable nodes"
    for t in range(n):
        if np.isfinite(dist[t]) and t != source:
            check_path(kata.shortest_path(n, edges, source, t), edges, source, t, dist[t], call)


@given(n=st.integers(2, 10), m=st.integers(1, 30), seed=seeds())
def test_zero_weights_and_parallel_edges(kata, n, m, seed):
    edges = random_graph(seed, n, m, zero=True)
    edges += [(u, v, w + 1.0) for u, v, w in edges[:3]]  # parallel, more expensive copies
    edges.append((int(np.random.default_rng(seed).integers(n)), 0, 0.0))  # a zero-weight edge back into the source
    call = describe_call("dijkstra", n, f"{len(edges)} edges with zero weights", 0)
    dist, pred = kata.dijkstra(n, edges, 0)
    assert_close(dist, bellman_ford(n, edges, 0), rtol=0, atol=1e-12, name="dist (Bellman–Ford)", call=call)
    assert pred[0] == -1, f"{call}: pred[source] = {pred[0]}; a zero-weight edge back to the source is no improvement"
    for t in range(1, n):
        if np.isfinite(dist[t]):
            check_path(kata.shortest_path(n, edges, 0, t), edges, 0, t, dist[t], call)


def test_a_longer_path_can_be_shorter(kata):
    """0 -> 2 costs 10 directly but 3 through 1; BFS-style 'fewest edges' gets this wrong. Edges are directed."""
    edges = [(0, 2, 10.0), (0, 1, 1.0), (1, 2, 2.0), (3, 0, 1.0)]
    dist, pred = kata.dijkstra(4, edges, 0)
    assert_close(dist, [0.0, 1.0, 3.0, np.inf], rtol=0, atol=0, name="dist", call="dijkstra(4, diamond, 0)")
    assert list(pred) == [-1, 0, 1, -1], f"dijkstra(4, diamond, 0) pred = {list(pred)}, expected [-1, 0, 1, -1]"
    assert kata.shortest_path(4, edges, 0, 2) == [0, 1, 2]
    assert kata.shortest_path(4, edges, 0, 3) == [], "node 3 only has an edge INTO 0: unreachable"
    assert kata.shortest_path(4, edges, 2, 2) == [2]


def test_a_popped_node_can_still_improve_others(kata):
    """A long first edge to 1 is found early; the path through 2 and 3 must replace it."""
    edges = [(0, 1, 5.0), (0, 2, 1.0), (2, 3, 1.0), (3, 1, 1.0), (1, 4, 1.0)]
    dist, _ = kata.dijkstra(5, edges, 0)
    assert_close(dist, [0, 3, 1, 2, 4], rtol=0, atol=0, name="dist", call="dijkstra(5, detour, 0)")


def test_invalid_inputs_raise(kata):
    for args in ((3, [(0, 1, -1.0)], 0), (3, [], 3), (3, [], -1)):
        with pytest.raises(ValueError):
            kata.dijkstra(*args)
            pytest.fail(f"dijkstra{args} returned instead of raising ValueError")
    for target in (5, 3, -1):
        with pytest.raises(ValueError):
            kata.shortest_path(3, [(0, 1, 1.0), (0, 2, 1.0)], 0, target)
            pytest.fail(f"shortest_path(3, ..., target={target}) returned instead of raising ValueError")

"""Tests for dsa-01-3, connected components with union-find.

Reference: scipy.sparse.csgraph.connected_components(directed=False) on the same graphs (its labels
are numbered by first appearance, like ours), including isolated nodes, self-loops, repeated edges
and edges given in either direction.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components as sp_components

from grader.strategies import seeds
from grader.testing import assert_equal


def scipy_components(n: int, edges: list) -> tuple[int, np.ndarray]:
    if not edges:
        return n, np.arange(n)
    u, v = np.array(edges).T
    return sp_components(coo_matrix((np.ones(len(edges)), (u, v)), shape=(n, n)), directed=False)


@given(n=st.integers(0, 30), m=st.integers(0, 40), seed=seeds())
@example(n=0, m=0, seed=0)
@example(n=5, m=0, seed=0)  # no edges: every node alone
@example(n=30, m=40, seed=1)
def test_components_match_scipy(kata, n, m, seed):
    rng = np.random.default_rng(seed)
    edges = [(int(a), int(b)) for a, b in rng.integers(0, n, (m if n else 0, 2))]
    call = f"connected_components({n}, {len(edges)} edges)"
    count, labels = kata.connected_components(n, edges)
    want_count, want_labels = scipy_components(n, edges)
    assert count == want_count, f"{call} found {count} components, scipy finds {want_count}"
    assert_equal(labels, want_labels, name="labels (numbered by first appearance)", call=call)
    assert np.asarray(labels).dtype == np.int64, f"{call}: labels dtype {np.asarray(labels).dtype}, expected int64"


def test_chain_given_backwards_is_one_component(kata):
    """Edges (4, 3), (3, 2), (2, 1), (1, 0): linking roots naively (parent[u] = v) without find() splits it."""
    count, labels = kata.connected_components(6, [(4, 3), (3, 2), (2, 1), (1, 0), (0, 0)])
    assert count == 2 and list(labels) == [0, 0, 0, 0, 0, 1], f"chain plus an isolated node: got {count}, {list(labels)}"


def test_find_compresses_paths(kata):
    parent = [0, 0, 1, 2, 3]  # a chain 4 -> 3 -> 2 -> 1 -> 0
    assert kata.find(parent, 4) == 0, "find(chain, 4) should be the root 0"
    assert parent == [0, 0, 0, 0, 0], f"after find(4) every node on the path should point at the root, got {parent}"


def test_invalid_edges_raise(kata):
    for n, edges in ((3, [(0, 3)]), (3, [(-1, 0)]), (3, [(0, -1)]), (-1, [])):
        with pytest.raises(ValueError):
            kata.connected_components(n, edges)
            pytest.fail(f"connected_components({n}, {edges}) returned instead of raising ValueError")

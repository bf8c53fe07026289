"""Tests for found-01-7, graph Laplacians and connected components from their spectrum.

References: scipy.sparse.csgraph.laplacian (normed and not), scipy.sparse.csgraph.connected_components
(count and labels), and the Laplacian's defining properties: symmetric, PSD, rows summing to 0,
null space spanned by component indicators. Graphs mix weights from 1e-4 to 10, self-loops,
isolated nodes, and shuffled node order.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.sparse import csgraph

from grader.strategies import dims, seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)

WEIGHTS = [1e-4, 0.1, 1.0, 10.0]


def graph(seed: int, n: int, groups: int, weights: list[float] = WEIGHTS, loops: bool = True) -> np.ndarray:
    """A weighted graph whose nodes fall into at most `groups` connected groups (randomly labelled)."""
    rng = np.random.default_rng(seed)
    lab = rng.integers(0, groups, n)
    W = np.zeros((n, n))
    for g in range(groups):
        idx = np.flatnonzero(lab == g)
        for a, b in zip(idx[:-1], idx[1:], strict=True):  # a path keeps the group connected
            W[a, b] = W[b, a] = rng.choice(weights)
        for _ in range(len(idx)):  # plus a few chords
            a, b = rng.choice(idx, 2)
            if a != b:
                W[a, b] = W[b, a] = rng.choice(weights)
    if loops:  # self-loops must not change anything
        W[np.diag_indices(n)] = rng.choice([0.0, 0.0, 3.0], n)
    return W


def canonical(labels: np.ndarray) -> np.ndarray:
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(np.argsort(first))
    return order[np.unique(labels, return_inverse=True)[1]]


@given(n=dims(1, 10), groups=dims(1, 10), seed=seeds(), normed=st.booleans())
@example(n=1, groups=1, seed=0, normed=True)
@example(n=6, groups=6, seed=1, normed=True)   # mostly isolated nodes: 0 on the normed diagonal
@example(n=8, groups=2, seed=2, normed=False)
@example(n=8, groups=2, seed=3, normed=True)  # uneven degrees: D^(-1/2) W D^(-1/2) is not D^(-1) W
def test_laplacian_matches_scipy(kata, n, groups, seed, normed):
    W = graph(seed, n, min(groups, n))
    call = describe_call("laplacian", W, normed=normed)
    L = call_unmodified(kata.laplacian, W, normed=normed)
    assert_shape(L, (n, n), call=call)
    assert_dtype(L, np.float64, call=call)
    assert_close(L, csgraph.laplacian(W, normed=normed), rtol=1e-12, atol=1e-14, call=call)


@given(n=dims(2, 10), seed=seeds())
def test_laplacian_properties(kata, n, seed):
    """D − W: symmetric, rows sum to 0, xᵀLx = ½ Σ W_ij (x_i − x_j)² >= 0."""
    W = graph(seed, n, 2)
    L = np.asarray(kata.laplacian(W))
    call = describe_call("laplacian", W)
    assert_close(L.sum(axis=1), np.zeros(n), rtol=0, atol=1e-12, name="row sums of D − W", call=call)
    x = np.random.default_rng(seed).standard_normal(n)
    off = W - np.diag(np.diag(W))
    quad = 0.5 * np.sum(off * (x[:, None] - x[None, :]) ** 2)
    assert_close(x @ L @ x, quad, rtol=1e-10, atol=1e-12, name="xᵀLx (should be ½ Σ W_ij (x_i − x_j)²)", call=call)
    assert np.min(np.linalg.eigvalsh(L)) >= -1e-10 * max(1.0, float(np.max(np.abs(L)))), f"{call}: L is not PSD"


@given(n=dims(1, 10), groups=dims(1, 10), seed=seeds())
@example(n=5, groups=5, seed=0)
@example(n=1, groups=1, seed=1)
@example(n=10, groups=1, seed=4)
def test_components_match_scipy(kata, n, groups, seed):
    W = graph(seed, n, min(groups, n))
    want_count, want_labels = csgraph.connected_components(W, directed=False)
    call = describe_call("count_components", W)
    got = call_unmodified(kata.count_components, W)
    assert isinstance(got, int | np.integer), f"{call} returned {got!r}, expected an int"
    hint = ""
    if got < want_count:
        hint = "\n  fewer zero eigenvalues than components: compare with tol · d_max, not == 0 (rounding)"
    assert got == want_count, f"{call} returned {got}, scipy finds {want_count} components{hint}"
    call = describe_call("component_labels", W)
    labels = call_unmodified(kata.component_labels, W)
    assert_dtype(labels, np.int64, name="labels", call=call)
    assert_equal(canonical(np.asarray(labels)), canonical(want_labels), name="partition into components", call=call)
    assert_equal(labels, want_labels, name="labels (numbered by first appearance)", call=call)


@given(size=st.integers(10, 20), seed=seeds())
def test_large_components_are_told_apart(kata, size, seed):
    """Two components of `size` nodes: their null-space rows are only sqrt(2/size) apart."""
    W = np.zeros((2 * size, 2 * size))
    W[:size, :size] = graph(seed, size, 1, loops=False)
    W[size:, size:] = graph(seed + 1, size, 1, loops=False)
    perm = np.random.default_rng(seed).permutation(2 * size)
    W = W[np.ix_(perm, perm)]
    _, want = csgraph.connected_components(W, directed=False)
    assert_equal(kata.component_labels(W), want, name="labels", call=describe_call("component_labels", W))


WEAK_BRIDGE = np.array([[0.0, 10.0, 0.0, 0.0], [10.0, 0.0, 1e-4, 0.0], [0.0, 1e-4, 0.0, 10.0], [0.0, 0.0, 10.0, 0.0]])


def test_a_weak_edge_still_connects(kata):
    """Two heavy pairs joined by a 1e-4 edge: λ2 ≈ 1e-4 is small, but not zero: one component."""
    assert kata.count_components(WEAK_BRIDGE) == 1, (
        f"count_components(weak bridge) returned {kata.count_components(WEAK_BRIDGE)}, expected 1: "
        "a threshold far above rounding (like 1e-3) cuts weak edges")
    assert_equal(kata.component_labels(WEAK_BRIDGE), np.zeros(4, dtype=np.int64), name="labels",
                 call="component_labels(weak bridge)")


@pytest.mark.parametrize(("tol", "count"), [(1e-8, 1), (5e-6, 1), (2e-5, 2), (1.0, 2), (3.0, 4)])
def test_tol_moves_the_threshold(kata, tol, count):
    """λ(L) for the weak bridge: 0, 9.99995e-5, 20, 20.00001 and d_max = 10.0001: λ <= tol·d_max decides."""
    got = kata.count_components(WEAK_BRIDGE, tol=tol)
    assert got == count, f"count_components(weak bridge, tol={tol}) returned {got}, expected {count}"
    labels = kata.component_labels(WEAK_BRIDGE, tol=tol)
    assert len(np.unique(labels)) == count, (f"component_labels(weak bridge, tol={tol}) found "
                                             f"{len(np.unique(labels))} groups, expected {count}")


def test_edgeless_graph_has_n_components(kata):
    for W in (np.zeros((4, 4)), np.diag([1.0, 2.0, 0.0])):  # self-loops are not edges
        n = len(W)
        assert kata.count_components(W) == n, f"count_components({W.tolist()}) returned {kata.count_components(W)}, expected {n}"
        assert_equal(kata.component_labels(W), np.arange(n), name="labels", call=f"component_labels({W.tolist()})")


def test_rejects_invalid_weights(kata):
    bad = [(np.array([[0.0, 1.0], [2.0, 0.0]]), "not symmetric"), (np.array([[0.0, -1.0], [-1.0, 0.0]]), "negative"),
           (np.ones((2, 3)), "not square")]
    for W, why in bad:
        for fn in (kata.laplacian, kata.count_components, kata.component_labels):
            with pytest.raises(ValueError):
                fn(W)
                pytest.fail(f"{fn.__name__}({W.tolist()}) returned instead of raising ValueError: W is {why}")

"""Tests for ml-04-3, hierarchical agglomerative clustering.

References: scipy.cluster.hierarchy.linkage (merge pairs, heights, sizes) and fcluster(criterion=
"maxclust") for flat clusters; the linkage definitions evaluated by brute force on point sets for
the Lance-Williams updates; scipy's minimum spanning tree for single linkage; the increase in
within-cluster sum of squares for Ward. Data whose merge heights nearly tie is skipped (assume):
with a tie, the merge order would depend on rounding.
"""
import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.cluster.hierarchy import fcluster, is_valid_linkage
from scipy.cluster.hierarchy import linkage as scipy_linkage
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial.distance import cdist, pdist, squareform

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

METHODS = st.sampled_from(["single", "complete", "average", "ward"])
# Heights come from <= 25 Lance-Williams updates in float64; scipy uses the same recurrences
# (nearest-neighbour chain / MST order), so they agree to ~1e-14 relative.
RTOL, ATOL = 1e-9, 1e-12


def make_points(seed, n, d, spread):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=spread, size=(3, d))
    return centres[rng.integers(3, size=n)] + rng.normal(size=(n, d))


def heights_well_separated(Z):
    h = np.sort(Z[:, 2])
    return len(h) < 2 or bool(np.min(np.diff(h)) > 1e-7 * (1 + h[-1]))


def canonical_rows(Z):
    """Each row as (smaller id, larger id, height, size): the within-row order is a convention."""
    Z = np.asarray(Z, dtype=np.float64).copy()
    Z[:, :2] = np.sort(Z[:, :2], axis=1)
    return Z


def same_partition(a, b):
    """True when two label vectors group the points identically (up to renaming the groups)."""
    a, b = np.asarray(a), np.asarray(b)
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def brute_linkage_distance(method, P, Q):
    """The linkage distance between point sets P and Q, straight from its definition."""
    D = cdist(P, Q)
    if method == "single":
        return D.min()
    if method == "complete":
        return D.max()
    if method == "average":
        return D.mean()
    n_p, n_q = len(P), len(Q)  # ward: sqrt(2 * increase in the within-cluster sum of squares)
    return np.sqrt(2 * n_p * n_q / (n_p + n_q)) * np.linalg.norm(P.mean(0) - Q.mean(0))


@given(seed=seeds(), n_a=st.integers(1, 4), n_b=st.integers(1, 4), n_k=st.lists(st.integers(1, 4), min_size=1,
       max_size=4), d=st.integers(1, 3), method=METHODS)
@example(seed=0, n_a=1, n_b=1, n_k=[1], d=1, method="ward")
@example(seed=1, n_a=3, n_b=1, n_k=[2, 4], d=2, method="average")
def test_lance_williams_matches_the_definition(kata, seed, n_a, n_b, n_k, d, method):
    """d(k, a ∪ b) from the update equals the linkage distance computed on the points themselves."""
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(n_a, d)), rng.normal(size=(n_b, d)) + 1.0
    Ks = [rng.normal(size=(m, d)) * 2 for m in n_k]
    d_ka = np.array([brute_linkage_distance(method, K, A) for K in Ks])
    d_kb = np.array([brute_linkage_distance(method, K, B) for K in Ks])
    d_ab = float(brute_linkage_distance(method, A, B))
    want = np.array([brute_linkage_distance(method, K, np.vstack([A, B])) for K in Ks])
    sizes = np.array(n_k)
    call = describe_call("lance_williams", method, d_ka, d_kb, d_ab, n_a, n_b, sizes)
    got = kata.lance_williams(method, d_ka, d_kb, d_ab, n_a, n_b, sizes)
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="distance to the merged cluster", call=call)


@given(seed=seeds(), n=st.integers(2, 25), d=st.integers(1, 3), spread=st.sampled_from([0.0, 3.0, 8.0]),
       method=METHODS)
@example(seed=0, n=2, d=1, spread=0.0, method="single")
@example(seed=1, n=3, d=2, spread=3.0, method="ward")
@example(seed=2, n=25, d=2, spread=8.0, method="average")
def test_linkage_matches_scipy(kata, seed, n, d, spread, method):
    X = make_points(seed, n, d, spread)
    want = scipy_linkage(X, method=method)
    assume(heights_well_separated(want))
    call = describe_call("linkage", X, method=method)
    Z = np.asarray(call_unmodified(kata.linkage, X, method=method), dtype=np.float64)
    assert Z.shape == (n - 1, 4), f"{call} returned shape {Z.shape}, expected ({n - 1}, 4)"
    got = canonical_rows(Z)
    assert_close(got[:, 2], want[:, 2], rtol=RTOL, atol=ATOL, name="merge heights Z[:, 2]", call=call)
    assert_equal(got[:, :2].astype(np.int64), want[:, :2].astype(np.int64),
                 name="merged cluster ids Z[:, :2] (new clusters are numbered n, n+1, ...)", call=call)
    assert_equal(got[:, 3].astype(np.int64), want[:, 3].astype(np.int64), name="cluster sizes Z[:, 3]", call=call)
    assert is_valid_linkage(got), f"{call}: scipy.cluster.hierarchy.is_valid_linkage rejects the result"
    for k in range(2, min(n, 6) + 1):
        assert same_partition(fcluster(got, k, "maxclust"), fcluster(want, k, "maxclust")), (
            f"{call}: fcluster(Z, {k}, 'maxclust') groups the points differently from scipy's tree")


@given(seed=seeds(), n=st.integers(2, 25), d=st.integers(1, 3))
@example(seed=0, n=2, d=1)
def test_single_linkage_heights_are_the_minimum_spanning_tree(kata, seed, n, d):
    X = make_points(seed, n, d, 3.0)
    mst = minimum_spanning_tree(squareform(pdist(X))).toarray()
    edges = np.sort(mst[mst > 0])
    assume(len(edges) == n - 1)  # no zero-length edges
    call = describe_call("linkage", X, method="single")
    Z = np.asarray(kata.linkage(X, method="single"), dtype=np.float64)
    assert_close(np.sort(Z[:, 2]), edges, rtol=RTOL, atol=ATOL,
                 name="single-linkage heights (sorted), vs the MST edge lengths", call=call)


@given(seed=seeds(), n=st.integers(2, 20), d=st.integers(1, 3))
@example(seed=0, n=4, d=2)
def test_ward_height_is_the_increase_in_within_cluster_squares(kata, seed, n, d):
    """Ward merges the pair that least increases the total within-cluster sum of squares Δ; height = sqrt(2Δ)."""
    X = make_points(seed, n, d, 3.0)
    call = describe_call("linkage", X, method="ward")
    Z = np.asarray(kata.linkage(X, method="ward"), dtype=np.float64)
    members = {i: [i] for i in range(n)}
    got, want = [], []
    for i, (a, b, h, _) in enumerate(Z):
        P, Q = X[members[int(a)]], X[members[int(b)]]
        both = np.vstack([P, Q])
        delta = ((both - both.mean(0)) ** 2).sum() - ((P - P.mean(0)) ** 2).sum() - ((Q - Q.mean(0)) ** 2).sum()
        got.append(h)
        want.append(np.sqrt(2 * max(delta, 0.0)))
        members[n + i] = members.pop(int(a)) + members.pop(int(b))
    assert_close(np.array(got), np.array(want), rtol=1e-9, atol=1e-9,
                 name="Ward heights vs sqrt(2 × increase in within-cluster sum of squares)", call=call)


@given(seed=seeds(), n=st.integers(2, 25), d=st.integers(1, 3), method=METHODS, data=st.data())
@example(seed=0, n=2, d=1, method="single", data=None)
def test_cut_tree_matches_fcluster(kata, seed, n, d, method, data):
    X = make_points(seed, n, d, 5.0)
    Z = scipy_linkage(X, method=method)
    assume(heights_well_separated(Z))
    ks = range(1, n + 1) if data is None else [data.draw(st.integers(1, n), label="n_clusters")]
    for k in ks:
        call = describe_call("cut_tree", Z, k)
        got = np.asarray(call_unmodified(kata.cut_tree, Z, k))
        assert got.shape == (n,), f"{call} returned shape {got.shape}, expected ({n},)"
        assert len(set(got.tolist())) == k, f"{call} returned {len(set(got.tolist()))} clusters, expected {k}"
        assert same_partition(got, fcluster(Z, k, "maxclust")), (
            f"{call} groups the points differently from scipy's fcluster(Z, {k}, 'maxclust')\n"
            f"  got {got.tolist()}\n  expected (up to renaming) {fcluster(Z, k, 'maxclust').tolist()}")


@given(method=st.sampled_from(["centroid", "median", "max"]))
@example(method="centroid")
def test_rejects_unknown_method(kata, method):
    with pytest.raises(ValueError):
        kata.linkage(np.eye(3), method=method)


@given(d=st.integers(1, 3), n=st.integers(2, 6), extra=st.integers(1, 3))
@example(d=1, n=2, extra=1)
def test_rejects_one_point_and_impossible_cluster_counts(kata, d, n, extra):
    """linkage needs at least 2 points; cut_tree needs 1 <= n_clusters <= n (both documented ValueErrors)."""
    with pytest.raises(ValueError):
        kata.linkage(np.zeros((1, d)), method="single")
        raise AssertionError("linkage(one point) returned: fewer than 2 points must raise ValueError")
    Z = np.asarray(kata.linkage(np.arange(float(n * d)).reshape(n, d), method="single"), dtype=np.float64)
    for bad in (0, n + extra):
        with pytest.raises(ValueError):
            kata.cut_tree(Z, bad)
            raise AssertionError(f"cut_tree(Z of {n} points, {bad}) returned: n_clusters must be in 1..{n}")

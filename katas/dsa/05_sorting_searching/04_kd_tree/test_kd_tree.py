"""Tests for dsa-05-4, k-nearest neighbours with a KD-tree.

References: sklearn.neighbors.NearestNeighbors with algorithm="brute" and metric="minkowski" for
p = 1, 2, 3 and inf; scipy.spatial.distance.minkowski / chebyshev for the metric; a brute-force
lexicographic sort (distance, index) for the tie rule; and the tree's own count of distance
evaluations against the n that brute force needs.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.spatial import distance as sd
from sklearn.neighbors import NearestNeighbors

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

PS = st.sampled_from([1.0, 2.0, 3.0, np.inf])


@given(seed=seeds(), m=st.integers(1, 6), d=st.integers(1, 4), p=PS)
@example(seed=0, m=3, d=2, p=np.inf)
@example(seed=1, m=4, d=3, p=1.0)
def test_minkowski_matches_scipy(kata, seed, m, d, p):
    rng = np.random.default_rng(seed)
    x, q = rng.normal(size=(m, d)), rng.normal(size=d)
    call = describe_call("minkowski", x, q, p)
    got = call_unmodified(kata.minkowski, x, q, p)
    want = [sd.chebyshev(row, q) if np.isinf(p) else sd.minkowski(row, q, p) for row in x]
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="distances", call=call)


def test_minkowski_rejects_p_below_one(kata):
    with pytest.raises(ValueError):
        kata.minkowski(np.zeros((2, 2)), np.zeros(2), 0.5)
        pytest.fail("minkowski(..., p=0.5) returned instead of raising ValueError (not a metric)")


@given(seed=seeds(), n=st.integers(1, 60), d=st.integers(1, 3), k=st.integers(1, 6),
       leaf_size=st.integers(1, 8), p=PS)
@example(seed=0, n=1, d=2, k=1, leaf_size=1, p=2.0)
@example(seed=2, n=50, d=2, k=5, leaf_size=1, p=np.inf)
@example(seed=3, n=40, d=3, k=6, leaf_size=2, p=1.0)
@settings(max_examples=25)
def test_queries_match_sklearn(kata, seed, n, d, k, leaf_size, p):
    k = min(k, n)
    rng = np.random.default_rng(seed)
    points = rng.uniform(-3, 3, size=(n, d))
    queries = rng.uniform(-4, 4, size=(4, d))
    tree = call_unmodified(kata.KDTree, points, leaf_size=leaf_size, p=p, fn_name="KDTree")
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute", metric="minkowski", p=p).fit(points)
    want_d, want_i = nn.kneighbors(queries)
    for q, wd, wi in zip(queries, want_d, want_i, strict=True):
        call = describe_call(f"KDTree(points, leaf_size={leaf_size}, p={p}).query", q, k=k)
        dist, ind = call_unmodified(tree.query, q, k=k, fn_name="query")
        assert_equal(np.asarray(ind), wi, name="indices", call=call)
        assert_close(dist, wd, rtol=1e-9, atol=1e-12, name="distances", call=call)
        assert np.asarray(dist).dtype == np.float64 and np.asarray(ind).dtype == np.int64, (
            f"{call} returned dtypes {np.asarray(dist).dtype}, {np.asarray(ind).dtype}; expected float64, int64")


@given(seed=seeds())
@settings(max_examples=10)
def test_default_metric_leaf_size_and_k(kata, seed):
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(30, 2))
    tree = kata.KDTree(points)
    q = rng.normal(size=2)
    dist, ind = tree.query(q)
    want = int(np.argmin(np.linalg.norm(points - q, axis=1)))
    assert list(ind) == [want], f"KDTree(points).query(q) = {list(ind)}, expected [{want}] (Euclidean, k=1 by default)"
    assert tree.root.idx is None and tree.root.left is not None, "30 points with the default leaf_size=8 need a split"


def test_ties_go_to_the_smaller_index(kata):
    points = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [5.0, 5.0], [1.0, 0.0]])
    for leaf_size in (1, 2, 8):
        tree = kata.KDTree(points, leaf_size=leaf_size)
        dist, ind = tree.query(np.zeros(2), k=5)
        assert list(ind) == [0, 1, 2, 3, 5], f"KDTree(leaf_size={leaf_size}).query(origin, k=5) = {list(ind)}; five points are at distance 1: expected [0, 1, 2, 3, 5]"
    # The plane x = 1 lies exactly at the best distance 1; behind it point 0 ties point 1 with a smaller index.
    tree = kata.KDTree(np.array([[1.0, 0.0], [-1.0, 0.0], [3.0, 0.0]]), leaf_size=1)
    dist, ind = tree.query(np.zeros(2), k=1)
    assert list(ind) == [0], (f"query(origin, k=1) over [[1, 0], [-1, 0], [3, 0]] = {list(ind)}, expected [0]: visit the far side "
                              "when the plane distance EQUALS the k-th best distance (a tie with a smaller index may be there)")


def test_build_splits_at_the_median_of_the_widest_axis(kata):
    points = np.array([[10.0, -5.0], [11.0, 5.0], [12.0, 0.0], [13.0, 2.0]])  # y spreads 10, x only 3 (but has larger values)
    tree = kata.KDTree(points, leaf_size=2)
    root = tree.root
    assert root.axis == 1 and root.split == 2.0, (f"root splits on axis {root.axis} at {root.split}; expected axis 1 "
                                                  "(the widest spread max - min) at 2.0 (the median)")
    assert sorted(root.left.idx.tolist()) == [0, 2] and sorted(root.right.idx.tolist()) == [1, 3], (
        f"root's leaves hold {root.left.idx} and {root.right.idx}; expected [0, 2] below the split and [1, 3] above")


def test_pruning_measures_far_fewer_than_n_points(kata):
    rng = np.random.default_rng(0)
    n = 2000
    points = rng.uniform(0, 1, size=(n, 2))
    for p in (1.0, 2.0, np.inf):
        tree = kata.KDTree(points, leaf_size=8, p=p)
        tree.distance_evals = 0
        for q in rng.uniform(0, 1, size=(5, 2)):
            tree.query(q, k=3)
        per_query = tree.distance_evals / 5
        assert 0 < per_query < n / 20, (f"a 2-D query over {n} points measured {per_query:.0f} distances on average (p={p}); "
                                       "brute force needs all n, a KD-tree far fewer: is the far side pruned by the plane distance?")


@pytest.mark.parametrize("k", [0, 11])
def test_query_rejects_bad_k(kata, k):
    tree = kata.KDTree(np.random.default_rng(0).normal(size=(10, 2)))
    with pytest.raises(ValueError):
        tree.query(np.zeros(2), k=k)
        pytest.fail(f"query(k={k}) on 10 points returned instead of raising ValueError")

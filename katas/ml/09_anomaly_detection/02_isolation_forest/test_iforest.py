"""Tests for ml-09-2, Isolation Forest path lengths and anomaly scores.

References: sklearn.ensemble.IsolationForest. Its fitted trees are handed to your functions, and
your anomaly scores must equal -score_samples; path lengths are compared with sklearn's own
decision_path / apply on those trees; c(n) with sklearn's _average_path_length. Your own
isolation trees are checked node by node against the definition (brute-force routing of the data),
and your forest must rank planted outliers first, as sklearn's does.
"""
import math

import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from sklearn.ensemble import IsolationForest
from sklearn.ensemble._iforest import _average_path_length

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, call_unmodified, describe_call

N_TREES = 40
# c(n), depths and 2**(-h/c) are a handful of float64 operations.
RTOL, ATOL = 1e-12, 1e-12


def sklearn_forest(seed: int, n: int, d: int, n_trees: int, max_samples: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    iso = IsolationForest(n_estimators=n_trees, max_samples=max_samples, random_state=seed % 2**31).fit(X)
    return X, iso


def as_iso_tree(kata, est):
    t = est.tree_
    return kata.IsoTree(t.children_left.copy(), t.children_right.copy(), t.feature.copy(), t.threshold.copy(),
                        t.n_node_samples.copy())


@given(ns=st.lists(st.integers(0, 5000), min_size=1, max_size=20), as_matrix=st.booleans())
@example(ns=[0, 1, 2, 3, 4], as_matrix=False)
@example(ns=[256], as_matrix=False)
@example(ns=[0, 1, 2, 7, 30, 256], as_matrix=True)  # "any shape": a (2, 3) array
def test_average_path_length_matches_sklearn(kata, ns, as_matrix):
    n = np.array(ns).reshape(2, -1) if as_matrix and len(ns) % 2 == 0 else np.array(ns)
    call = describe_call("average_path_length", n)
    # c(0) = c(1) = 0, c(2) = 1, else 2 (ln(n-1) + euler_gamma) - 2 (n-1)/n
    assert_close(kata.average_path_length(n), _average_path_length(n.ravel()).reshape(n.shape), rtol=RTOL, atol=ATOL,
                 call=call)


@given(seed=seeds(), n=st.integers(2, 60), d=st.integers(1, 3), n_trees=st.integers(1, 4), frac=st.floats(0.0, 1.0))
@example(seed=0, n=60, d=2, n_trees=2, frac=0.2)  # a shallow height limit: leaves with many samples
def test_path_lengths_on_sklearn_trees(kata, seed, n, d, n_trees, frac):
    """h(x) = number of edges from the root to x's leaf + c(training samples in that leaf)."""
    X, iso = sklearn_forest(seed, n, d, n_trees, max(2, round(frac * n)))
    X_new = np.vstack([X, np.random.default_rng(seed + 1).normal(size=(8, d)) * 3])
    for i, est in enumerate(iso.estimators_):
        leaves = est.apply(X_new)
        edges = np.asarray(est.decision_path(X_new).sum(axis=1)).ravel() - 1
        want = edges + _average_path_length(est.tree_.n_node_samples[leaves])
        tree = as_iso_tree(kata, est)
        assert_close(kata.path_lengths(tree, X_new), want, rtol=RTOL, atol=ATOL, name=f"path lengths in tree {i}",
                     call=describe_call("path_lengths", f"tree {i} of IsolationForest(max_samples={iso.max_samples_})",
                                        X_new))


@given(threshold=st.floats(-5.0, 5.0), n_left=st.integers(1, 9), n_right=st.integers(1, 9))
@example(threshold=0.5, n_left=3, n_right=1)
def test_point_exactly_on_a_threshold_goes_left(kata, threshold, n_left, n_right):
    """A stump: x[0] <= threshold goes left, so a point exactly on the threshold takes the left leaf."""
    tree = kata.IsoTree(np.array([1, -1, -1]), np.array([2, -1, -1]), np.array([0, -2, -2]),
                        np.array([threshold, -2.0, -2.0]), np.array([n_left + n_right, n_left, n_right]))
    X = np.array([[threshold], [np.nextafter(threshold, -np.inf)], [np.nextafter(threshold, np.inf)]])
    want = 1 + _average_path_length(np.array([n_left, n_left, n_right]))
    assert_close(kata.path_lengths(tree, X), want, rtol=RTOL, atol=ATOL,
                 name="h(x) for x on, just below and just above the root's threshold (on it: left)",
                 call=describe_call("path_lengths", f"a stump splitting x[0] <= {threshold!r}", X))


@given(psi=st.sampled_from([0, 1]), m=st.integers(1, 5))
def test_scores_are_one_when_c_psi_is_zero(kata, psi, m):
    """c(0) = c(1) = 0: the docstring's rule gives 1 for every point (not NaN from 0 / 0)."""
    leaf = kata.IsoTree(np.array([-1]), np.array([-1]), np.array([-2]), np.array([-2.0]), np.array([psi]))
    X = np.random.default_rng(m).normal(size=(m, 2))
    assert_close(kata.anomaly_scores([leaf, leaf], X, psi), np.ones(m), rtol=0, atol=0,
                 name="anomaly scores with c(psi) == 0", call=describe_call("anomaly_scores", "[a one-leaf tree] * 2", X,
                                                                           psi=psi))


@given(seed=seeds(), n=st.integers(2, 60), d=st.integers(1, 3), n_trees=st.integers(1, 8), frac=st.floats(0.0, 1.0))
@example(seed=1, n=50, d=2, n_trees=5, frac=0.3)
@example(seed=2, n=2, d=1, n_trees=1, frac=1.0)
def test_anomaly_scores_match_sklearn_given_the_same_trees(kata, seed, n, d, n_trees, frac):
    """s(x) = 2 ** (-E[h(x)] / c(psi)) with psi the subsample size; sklearn's score_samples is -s."""
    X, iso = sklearn_forest(seed, n, d, n_trees, max(2, round(frac * n)))
    X_new = np.vstack([X, np.random.default_rng(seed + 1).normal(size=(8, d)) * 3])
    trees = [as_iso_tree(kata, est) for est in iso.estimators_]
    call = describe_call("anomaly_scores", f"{n_trees} trees", X_new, psi=iso.max_samples_)
    assert_close(kata.anomaly_scores(trees, X_new, iso.max_samples_), -iso.score_samples(X_new), rtol=RTOL,
                 atol=ATOL, call=call)


def check_isolation_tree(tree, X, height_limit, call):
    """Route X through the tree and check every node against the definition of an iTree."""
    left, right = np.asarray(tree.children_left), np.asarray(tree.children_right)
    n_nodes = len(left)
    for name in ("children_right", "feature", "threshold", "n_node_samples"):
        assert len(getattr(tree, name)) == n_nodes, f"{call}: {name} has {len(getattr(tree, name))} entries, expected {n_nodes}"
    seen = np.zeros(n_nodes, dtype=bool)
    stack = [(0, np.arange(len(X)), 0)]
    while stack:
        node, rows, depth = stack.pop()
        assert 0 <= node < n_nodes and not seen[node], f"{call}: node {node} is out of range or reached twice"
        seen[node] = True
        where = f"{call}: node {node} (depth {depth}, {len(rows)} training points)"
        assert tree.n_node_samples[node] == len(rows), (
            f"{where}: n_node_samples is {tree.n_node_samples[node]}, but {len(rows)} training points reach it")
        if left[node] == -1:
            assert right[node] == -1, f"{where}: a leaf must have children_right == -1 too"
            identical = len(rows) <= 1 or bool(np.all(X[rows] == X[rows[0]]))
            assert depth >= height_limit or identical, (
                f"{where} is a leaf, but it is below the height limit {height_limit} and its points are not all "
                "identical: keep splitting")
            continue
        assert depth < height_limit, f"{where} splits at the height limit {height_limit}: it should be a leaf"
        q, p = int(tree.feature[node]), float(tree.threshold[node])
        vals = X[rows, q]
        assert vals.min() <= p < vals.max(), (
            f"{where}: threshold {p:.6g} on feature {q} must lie in [min, max) of THIS node's points "
            f"[{vals.min():.6g}, {vals.max():.6g}) so that both children are non-empty")
        stack.append((int(left[node]), rows[vals <= p], depth + 1))
        stack.append((int(right[node]), rows[vals > p], depth + 1))
    assert seen.all(), f"{call}: nodes {np.flatnonzero(~seen).tolist()} cannot be reached from the root"


@given(seed=seeds(), n=st.integers(1, 40), d=st.integers(1, 3), height_limit=st.integers(0, 12), grid=st.booleans())
@example(seed=3, n=1, d=1, height_limit=3, grid=False)
@example(seed=4, n=20, d=2, height_limit=12, grid=True)  # duplicated points: identical leaves
@example(seed=5, n=30, d=2, height_limit=2, grid=False)
def test_own_isolation_tree_is_valid(kata, seed, n, d, height_limit, grid):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 3, size=(n, d)).astype(np.float64) if grid else rng.normal(size=(n, d))
    call = describe_call("fit_isolation_tree", X, "rng", height_limit=height_limit)
    tree = call_unmodified(kata.fit_isolation_tree, X, np.random.default_rng(seed + 1), height_limit)
    check_isolation_tree(tree, X, height_limit, call)
    again = kata.fit_isolation_tree(X, np.random.default_rng(seed + 1), height_limit)
    for name in ("children_left", "feature", "threshold"):
        assert_equal(np.asarray(getattr(again, name)), np.asarray(getattr(tree, name)),
                     name=f"{name} of a second tree from the same seed (draw only from rng)", call=call)


@given(seed=seeds())
@example(seed=2)  # rng.uniform(1.0, nextafter(1.0)) rounds down to min
@example(seed=0)  # ... and rounds up to max here
@example(seed=1)
def test_split_exactly_on_a_data_point_sends_it_left(kata, seed):
    """Two points one ulp apart: rng.uniform(min, max) rounds to min or to max itself; max would send
    both points left, so it is replaced by min. Either way the threshold is 1.0, the point equal to
    it goes left (x[q] <= p), and each child holds one point."""
    X = np.array([[1.0], [np.nextafter(1.0, 2.0)]])
    call = describe_call("fit_isolation_tree", X, f"np.random.default_rng({seed})", height_limit=1)
    tree = call_unmodified(kata.fit_isolation_tree, X, np.random.default_rng(seed), 1)
    assert float(tree.threshold[0]) == 1.0, (
        f"{call}: root threshold {float(tree.threshold[0])!r}, expected 1.0: rng.uniform(1.0, nextafter(1.0)) "
        "is 1.0 or rounds up to max, and a threshold equal to max must become min")
    check_isolation_tree(tree, X, 1, call)


@settings(max_examples=6)
@given(seed=seeds(), n=st.integers(30, 60), d=st.integers(2, 3), max_samples=st.integers(16, 64))
@example(seed=6, n=30, d=2, max_samples=16)
def test_own_forest_ranks_planted_outliers_first(kata, seed, n, d, max_samples):
    rng = np.random.default_rng(seed)
    inliers = rng.normal(size=(n, d))
    # far out in EVERY coordinate, in three different orthants: any split can isolate them
    outliers = np.array([[1, 1, 1], [-1, -1, 1], [1, -1, -1]])[:, :d] * rng.uniform(10, 14, size=(3, d))
    X = np.vstack([inliers, outliers])
    call = describe_call(f"IsolationForest(n_estimators={N_TREES}, max_samples={max_samples}, random_state={seed}).fit", X)
    forest = kata.IsolationForest(n_estimators=N_TREES, max_samples=max_samples, random_state=seed).fit(X)
    psi = min(max_samples, len(X))
    assert forest.max_samples_ == psi, f"{call}: max_samples_ = {forest.max_samples_}, expected {psi}"
    limit = math.ceil(math.log2(max(psi, 2)))
    assert len(forest.trees_) == N_TREES, f"{call}: {len(forest.trees_)} trees, expected {N_TREES}"
    for i, tree in enumerate(forest.trees_[:5]):
        assert tree.n_node_samples[0] == psi, (
            f"{call}: tree {i} was grown on {tree.n_node_samples[0]} points; each tree gets a subsample of psi={psi}")
        check_isolation_tree_depth(tree, limit, f"{call}: tree {i}")
    scores = np.asarray(forest.score_samples(X))
    some = np.r_[0:5, n:n + 3]
    assert_close(scores[some], -np.asarray(kata.anomaly_scores(forest.trees_, X[some], psi)), rtol=RTOL, atol=ATOL,
                 name="score_samples (-anomaly_scores of the forest's trees, normalised by c(psi))", call=call)
    sk = IsolationForest(n_estimators=N_TREES, max_samples=psi, random_state=seed % 2**31).fit(X).score_samples(X)
    want = set(range(n, n + 3))
    got_top, sk_top = set(np.argsort(scores)[:3].tolist()), set(np.argsort(sk)[:3].tolist())
    assume(sk_top == want)  # the reference itself finds them (it always did in 1000 trials)
    assert got_top == want, (
        f"{call}: the three lowest score_samples are rows {sorted(got_top)}, expected the planted outliers "
        f"{sorted(want)} (as sklearn finds). Lower score = more anomalous: score_samples is MINUS the anomaly score")


@settings(max_examples=10)
@given(seed=st.integers(0, 2**31 - 2), n=st.integers(8, 40), d=st.integers(1, 3), max_samples=st.integers(4, 16))
@example(seed=7, n=8, d=1, max_samples=4)
def test_same_random_state_same_forest(kata, seed, n, d, max_samples):
    """random_state seeds the one generator of the subsampling and the trees: equal seeds give equal scores,
    the next seed other ones (drawing from np.random.* or an unseeded generator shows here)."""
    X = np.random.default_rng(seed).normal(size=(n, d))

    def run(s):
        forest = kata.IsolationForest(n_estimators=3, max_samples=max_samples, random_state=s)
        return np.asarray(call_unmodified(forest.fit, X).score_samples(X))

    assert_seeded(run, seed, name="score_samples of IsolationForest(random_state=seed).fit(X)")


def check_isolation_tree_depth(tree, limit, where):
    """Depth at most the height limit, and (for data without duplicates) a leaf above it holds at most one point."""
    left, right = np.asarray(tree.children_left), np.asarray(tree.children_right)
    stack = [(0, 0)]
    while stack:
        node, depth = stack.pop()
        assert depth <= limit, f"{where}: node {node} at depth {depth} > ceil(log2(psi)) = {limit}"
        if left[node] != -1:
            stack += [(int(left[node]), depth + 1), (int(right[node]), depth + 1)]
        else:
            assert depth == limit or tree.n_node_samples[node] <= 1, (
                f"{where}: leaf {node} at depth {depth} holds {tree.n_node_samples[node]} distinct points, below the "
                f"height limit ceil(log2(max(psi, 2))) = {limit}: it should have been split")

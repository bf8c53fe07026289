"""Tests for ml-03-9, histogram binning and leaf-wise (best-first) vs level-wise tree growth.

References: the bin thresholds and binned data of sklearn's HistGradientBoosting binner (_BinMapper),
numpy's percentile and digitize; np.bincount for histograms; a brute force for the best split of a
node; sklearn.tree.DecisionTreeRegressor(max_leaf_nodes=k), which grows best-first exactly as
LightGBM's leaf-wise strategy does, for k = 2, 3, ...; DecisionTreeRegressor(max_depth=D) for
level-wise growth stopped at a complete level; and the theorem that up to 4 leaves best-first growth
never has a larger training loss than level-wise growth.
"""
import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper  # sklearn 1.9's binner
from sklearn.tree import DecisionTreeRegressor

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

# SSEs and leaf means are float64 sums over <= 150 rows of |y| <= ~5.
TOL = 1e-9


@st.composite
def columns(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(1, 120))
    rng = np.random.default_rng(draw(seeds()))
    x = rng.normal(size=n) * 3
    rounding = draw(st.sampled_from([None, 0, 1]))  # None: continuous; 0/1 decimals: many repeated values
    return x if rounding is None else np.round(x, rounding)


@given(x=columns(), max_bins=st.integers(2, 32))
@example(x=np.full(7, 2.5), max_bins=4)  # a constant column: no threshold, every row in bin 0
@example(x=np.array([3.0, 1.0, 2.0]), max_bins=3)  # few distinct values: midpoints
@example(x=np.array([1.0, 1.0, 1.0, 2.0, 3.0]), max_bins=3)  # exactly max_bins distinct values: still midpoints
@example(x=np.arange(100.0), max_bins=10)
def test_bins_match_sklearn_binner(kata, x, max_bins):
    call = describe_call("bin_thresholds", x, max_bins)
    t = np.asarray(kata.bin_thresholds(x, max_bins), dtype=np.float64)
    ref = _BinMapper(n_bins=max_bins + 1, subsample=None).fit(x[:, None])
    assert_close(t, ref.bin_thresholds_[0], rtol=0, atol=1e-12, name="bin thresholds", call=call)
    distinct = np.unique(x)
    if len(distinct) > max_bins:  # the quantile branch, in numpy terms
        q = np.percentile(x, np.linspace(0, 100, max_bins + 1)[1:-1], method="averaged_inverted_cdf")
        assert_close(t, np.unique(q), rtol=0, atol=1e-12, name="bin thresholds (numpy percentiles, deduplicated)",
                     call=call)
    bins = np.asarray(kata.apply_bins(x, t))
    assert_equal(bins, ref.transform(x[:, None])[:, 0], name="bins (sklearn's binned data)",
                 call=describe_call("apply_bins", x, t))
    assert_equal(bins, np.digitize(x, t, right=True), name="bins: thresholds[b-1] < x <= thresholds[b]",
                 call=describe_call("apply_bins", x, t))
    assert len(np.unique(bins)) <= max_bins, f"{call}: {len(np.unique(bins))} bins used, at most {max_bins} allowed"


@given(seed=seeds(), n=st.integers(1, 60), d=st.integers(1, 4), n_bins=st.integers(2, 16), frac=st.floats(0, 1))
@example(seed=0, n=1, d=1, n_bins=2, frac=1.0)
def test_histograms_and_the_subtraction_trick(kata, seed, n, d, n_bins, frac):
    rng = np.random.default_rng(seed)
    Xb = rng.integers(0, n_bins, size=(n, d))
    y = rng.normal(size=n)
    rows = np.flatnonzero(rng.random(n) < frac)
    call = describe_call("node_histograms", Xb, y, rows, n_bins)
    sums, counts = kata.node_histograms(Xb, y, rows, n_bins)
    want_s = np.array([[y[rows][Xb[rows, j] == b].sum() for b in range(n_bins)] for j in range(d)])
    want_c = np.array([[np.sum(Xb[rows, j] == b) for b in range(n_bins)] for j in range(d)])
    assert_close(sums, want_s, rtol=0, atol=1e-12, name="sums (feature, bin): sum of y over the node's rows", call=call)
    assert_close(counts, want_c, rtol=0, atol=0, name="counts (feature, bin)", call=call)
    # A parent's histogram minus one child's is the other child's: LightGBM builds only the smaller child.
    s_all, c_all = kata.node_histograms(Xb, y, np.arange(n), n_bins)
    rest = np.setdiff1d(np.arange(n), rows)
    s_rest, c_rest = kata.node_histograms(Xb, y, rest, n_bins)
    assert_close(s_all - sums, s_rest, rtol=0, atol=1e-12, name="parent sums - child sums (= sibling sums)", call=call)
    assert_close(c_all - counts, c_rest, rtol=0, atol=0, name="parent counts - child counts", call=call)


def binned_problem(seed: int, n: int, d: int, n_bins: int):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, d))
    y = np.sin(3 * X[:, 0]) + (X[:, 0] * X[:, -1] > 0) + 0.3 * rng.normal(size=n)  # an interaction: depth matters
    Xb = np.stack([np.searchsorted(np.quantile(X[:, j], np.linspace(0, 1, n_bins + 1)[1:-1]), X[:, j])
                   for j in range(d)], axis=1)
    return Xb, y


@given(seed=seeds(), n=st.integers(2, 60), d=st.integers(1, 3), n_bins=st.integers(2, 12))
@example(seed=1, n=2, d=1, n_bins=2)
def test_best_bin_split_matches_brute_force(kata, seed, n, d, n_bins):
    Xb, y = binned_problem(seed, n, d, n_bins)
    cands = []
    for j in range(d):
        for b in range(n_bins - 1):
            left = Xb[:, j] <= b
            if 0 < left.sum() < n:
                sse = lambda v: ((v - v.mean()) ** 2).sum()  # noqa: E731
                cands.append((sse(y) - sse(y[left]) - sse(y[~left]), j, frozenset(np.flatnonzero(left).tolist())))
    cands.sort(key=lambda c: -c[0])
    distinct = [c for c in cands if c[2] != cands[0][2]] if cands else []
    assume(not distinct or cands[0][0] - distinct[0][0] > 1e-9)  # one best partition
    sums, counts = (np.array([[y[Xb[:, j] == b].sum() for b in range(n_bins)] for j in range(d)]),
                    np.array([[np.sum(Xb[:, j] == b) for b in range(n_bins)] for j in range(d)], dtype=float))
    call = describe_call("best_bin_split", sums, counts)
    got = kata.best_bin_split(sums, counts)
    if not cands:
        assert got is None, f"{call} returned {got}: every row is in one bin of every feature, nothing to split"
        return
    assert got is not None, f"{call} returned None; the best split has gain {cands[0][0]:.6g}"
    j, b, gain = got
    part = frozenset(np.flatnonzero(Xb[:, j] <= b).tolist())
    assert part == cands[0][2], (f"{call} chose feature {j}, bins <= {b} (gain {gain:.6g}), which is not the best "
                                 f"partition (feature {cands[0][1]}, gain {cands[0][0]:.6g})")
    assert_close(gain, cands[0][0], rtol=1e-10, atol=1e-10,
                 name="gain = SSE(parent) - SSE(left) - SSE(right) = S_L^2/n_L + S_R^2/n_R - S^2/n", call=call)


@settings(max_examples=20)  # each example fits up to 10 sklearn trees
@given(seed=seeds(), n=st.integers(2, 150), d=st.integers(1, 3), n_bins=st.integers(2, 16),
       max_leaves=st.integers(2, 10))
@example(seed=2, n=2, d=1, n_bins=2, max_leaves=4)  # runs out of splittable leaves
@example(seed=3, n=150, d=3, n_bins=16, max_leaves=10)
def test_leafwise_matches_sklearn_best_first(kata, seed, n, d, n_bins, max_leaves):
    Xb, y = binned_problem(seed, n, d, n_bins)
    call = describe_call(f"grow_tree(..., max_leaves={max_leaves}, policy='leafwise')", Xb, y)
    got = kata.grow_tree(Xb, y, max_leaves, "leafwise", n_bins)
    default = kata.grow_tree(Xb, y, max_leaves, "leafwise")  # n_bins=None: Xb.max() + 1 bins
    assert_equal(np.asarray(default.leaf_of_row), np.asarray(got.leaf_of_row),
                 name="leaf_of_row with n_bins left to its default (Xb.max() + 1)",
                 call=describe_call("grow_tree", Xb, y, max_leaves, "leafwise"))
    losses = np.asarray(got.losses, dtype=float)
    for k in range(2, max_leaves + 1):
        ref = DecisionTreeRegressor(max_leaf_nodes=k, random_state=0).fit(Xb.astype(float), y)
        if ref.get_n_leaves() < k:  # sklearn ran out of splittable leaves too
            assert len(losses) == ref.get_n_leaves(), (
                f"{call} stopped with {len(losses)} leaves; best-first growth can make {ref.get_n_leaves()}")
            break
        assert len(losses) >= k, f"{call} stopped at {len(losses)} leaves, but {k} are possible"
        sse = float(((y - ref.predict(Xb.astype(float))) ** 2).sum())
        assert_close(losses[k - 1], sse, rtol=TOL, atol=TOL, name=f"losses[{k - 1}] (training SSE with {k} leaves)",
                     call=call)
    pred = np.asarray(got.leaf_values)[np.asarray(got.leaf_of_row)]
    assert_close(pred, ref.predict(Xb.astype(float)), rtol=TOL, atol=TOL,
                 name="training predictions (leaf means) of the final tree", call=call)


@settings(max_examples=20)  # each example fits a sklearn tree and grows one
@given(seed=seeds(), n=st.integers(2, 150), d=st.integers(1, 3), n_bins=st.integers(2, 16), depth=st.integers(1, 3))
@example(seed=4, n=150, d=2, n_bins=16, depth=3)
def test_levelwise_stopped_at_a_full_level_is_the_depth_limited_tree(kata, seed, n, d, n_bins, depth):
    Xb, y = binned_problem(seed, n, d, n_bins)
    ref = DecisionTreeRegressor(max_depth=depth, random_state=0).fit(Xb.astype(float), y)
    leaves = ref.get_n_leaves()
    call = describe_call(f"grow_tree(..., max_leaves={leaves}, policy='levelwise')", Xb, y)
    got = kata.grow_tree(Xb, y, leaves, "levelwise", n_bins)
    assert len(got.leaf_values) == leaves, f"{call} made {len(got.leaf_values)} leaves, expected {leaves}"
    pred = np.asarray(got.leaf_values)[np.asarray(got.leaf_of_row)]
    assert_close(pred, ref.predict(Xb.astype(float)), rtol=TOL, atol=TOL,
                 name=f"training predictions (must equal DecisionTreeRegressor(max_depth={depth}))", call=call)


@given(seed=seeds(), n=st.integers(4, 150), d=st.integers(1, 3), n_bins=st.integers(2, 16))
@example(seed=5, n=100, d=2, n_bins=8)
def test_leafwise_is_never_worse_than_levelwise_up_to_four_leaves(kata, seed, n, d, n_bins):
    """Both make the same root split; then best-first takes the best of the available splits while
    level-wise must split the left child first (3 leaves) or both children (4 leaves)."""
    Xb, y = binned_problem(seed, n, d, n_bins)
    leaf = np.asarray(kata.grow_tree(Xb, y, 4, "leafwise", n_bins).losses, dtype=float)
    level = np.asarray(kata.grow_tree(Xb, y, 4, "levelwise", n_bins).losses, dtype=float)
    call = describe_call("grow_tree(..., max_leaves=4, policy=...)", Xb, y)
    assert len(leaf) == len(level), f"{call}: leaf-wise made {len(leaf)} leaves, level-wise {len(level)}"
    assert_close(leaf[:2], level[:2], rtol=TOL, atol=TOL, name="losses with 1 and 2 leaves (the same root split)",
                 call=call)
    worse = np.flatnonzero(leaf > level + TOL * (1 + level))
    assert worse.size == 0, (f"{call}: with {worse[0] + 1} leaves leaf-wise SSE {leaf[worse[0]]:.6g} > level-wise "
                             f"{level[worse[0]]:.6g}: leaf-wise must split the leaf with the largest gain")


@given(seed=seeds(), n=st.integers(2, 100), d=st.integers(1, 3), n_bins=st.integers(2, 16),
       max_leaves=st.integers(2, 8), policy=st.sampled_from(["leafwise", "levelwise"]))
@example(seed=6, n=100, d=2, n_bins=16, max_leaves=8, policy="leafwise")
def test_one_histogram_per_split_by_subtraction(kata, seed, n, d, n_bins, max_leaves, policy):
    """Counting node_histograms calls: the root's, then one per split (the smaller child's), never
    both children: the sibling's histogram is parent minus child."""
    Xb, y = binned_problem(seed, n, d, n_bins)
    original = kata.node_histograms
    sizes = []

    def counting(X_binned, y_, rows, n_bins_):
        sizes.append(len(rows))
        return original(X_binned, y_, rows, n_bins_)

    kata.node_histograms = counting
    try:
        got = kata.grow_tree(Xb, y, max_leaves, policy, n_bins)
    finally:
        kata.node_histograms = original
    n_splits = len(got.leaf_values) - 1
    call = describe_call(f"grow_tree(..., max_leaves={max_leaves}, policy={policy!r})", Xb, y)
    assert len(sizes) == 1 + n_splits, (
        f"{call} made {n_splits} splits and called node_histograms {len(sizes)} times with {sizes} rows: expected "
        f"{1 + n_splits} calls (the root, then only the smaller child of each split)")
    assert sizes[0] == n and all(s <= n // 2 for s in sizes[1:]), (
        f"{call} built histograms over {sizes} rows: after the root ({n} rows) only smaller children, which never "
        "hold more than half of their parent's rows")


def test_rejects_unknown_policy(kata):
    Xb, y = binned_problem(0, 10, 1, 4)
    try:
        kata.grow_tree(Xb, y, 3, "depthwise", 4)
    except ValueError:
        return
    raise AssertionError("grow_tree(..., policy='depthwise') did not raise ValueError")


@given(a=st.integers(-4, 4), b=st.integers(-4, 4), copies=st.integers(2, 3), extra=st.integers(0, 2))
@example(a=1, b=-3, copies=2, extra=0)
def test_best_bin_split_ties_keep_the_lowest_feature_then_bin(kata, a, b, copies, extra):
    """Bins with sums a, b, a (one row each, integer targets: exact): both cuts gain the same, as does each copy."""
    sums = np.tile(np.r_[float(a), float(b), float(a), np.zeros(extra)], (copies, 1))
    counts = np.tile(np.r_[1.0, 1.0, 1.0, np.zeros(extra)], (copies, 1))
    call = describe_call("best_bin_split", sums, counts)
    got = call_unmodified(kata.best_bin_split, sums, counts)
    assert got is not None and tuple(got[:2]) == (0, 0), (
        f"{call} returned {got}; cutting after bin 0 or bin 1 gives the same gain on every feature: the lowest "
        "feature and bin, (0, 0), on ties")

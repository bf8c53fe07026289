"""Tests for ml-04-2, k-means with k-means++ seeding.

References: sklearn.cluster.KMeans(init=<same centres>, n_init=1, algorithm="lloyd") for Lloyd's
iterations, a brute-force inertia, and a chi-square test of k-means++'s D^2 sampling against the
exact probabilities on a tiny data set (fixed seeds, so every run gives the same verdict).
"""
import warnings

import numpy as np
from hypothesis import Phase, assume, example, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

# Centres and inertia come out of float64 sums over <= 60 points of magnitude <= ~30;
# sklearn also centres the data first, so the two agree to ~1e-13, not bit for bit.
RTOL, ATOL = 1e-9, 1e-9


def blobs(seed: int, n: int, d: int, n_blobs: int, std: float) -> np.ndarray:
    X, _ = make_blobs(n_samples=n, n_features=d, centers=n_blobs, cluster_std=std, random_state=seed)
    return X


def random_data_points(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    """k distinct rows of X: initial centres that do not come from the learner's seeding."""
    return X[np.random.default_rng(seed).choice(len(X), size=k, replace=False)].copy()


def sklearn_lloyd(X: np.ndarray, init: np.ndarray, max_iter: int = 300, tol: float = 0.0) -> KMeans:
    # sklearn's tol is relative to the mean per-feature variance; ours is absolute.
    rel_tol = tol / float(np.mean(np.var(X, axis=0))) if tol else 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning when max_iter is tiny
        return KMeans(n_clusters=len(init), init=init, n_init=1, algorithm="lloyd", max_iter=max_iter,
                      tol=rel_tol).fit(X)


def assignment_margin(X: np.ndarray, centers: np.ndarray) -> float:
    """Smallest gap between the nearest and second-nearest squared distance (inf for k = 1)."""
    if len(centers) < 2:
        return np.inf
    d2 = np.sort(((X[:, None, :] - centers[None]) ** 2).sum(-1), axis=1)
    return float((d2[:, 1] - d2[:, 0]).min())


def brute_inertia(X: np.ndarray, centers: np.ndarray) -> float:
    return float(((X[:, None, :] - centers[None]) ** 2).sum(-1).min(axis=1).sum())


def assert_finite_centres(centers, call):
    bad = np.flatnonzero(~np.all(np.isfinite(np.asarray(centers, dtype=np.float64)), axis=1))
    assert bad.size == 0, (f"{call} returned a non-finite centre {bad[0]}: the mean of an empty cluster is 0/0; "
                           "give an empty cluster the point farthest from its centre instead")


def check_against_sklearn(kata, X, init, max_iter=300, tol=0.0, check_n_iter=True):
    init_copy = init.copy()
    call = describe_call("lloyd", X, init, max_iter=max_iter, tol=tol)
    got = call_unmodified(kata.lloyd, X, init, max_iter=max_iter, tol=tol)
    ref = sklearn_lloyd(X, init, max_iter=max_iter, tol=tol)
    # Near-ties make the nearest centre depend on rounding: not a property of your code.
    assume(assignment_margin(X, ref.cluster_centers_) > 1e-7)
    assert_equal(init, init_copy, name="init_centers argument (it must not be modified)", call=call)
    assert_shape(got.centers, ref.cluster_centers_.shape, name="centers", call=call)
    assert_finite_centres(got.centers, call)
    assert_close(got.centers, ref.cluster_centers_, rtol=RTOL, atol=ATOL, name="centers", call=call)
    assert_equal(np.asarray(got.labels), ref.labels_, name="labels", call=call)
    assert_close(got.inertia, ref.inertia_, rtol=RTOL, atol=ATOL, name="inertia", call=call)
    if check_n_iter:
        assert got.n_iter == ref.n_iter_, (
            f"{call} ran {got.n_iter} iterations, sklearn ran {ref.n_iter_}: count every assignment + "
            "update step, including the last one whose labels did not change")
    return got


@given(seed=seeds(), n=st.integers(5, 60), d=st.integers(1, 3), n_blobs=st.integers(1, 5),
       std=st.floats(0.5, 2.5), k=st.integers(1, 5))
@example(seed=0, n=5, d=1, n_blobs=1, std=1.0, k=1)  # one cluster: the mean after one step
@example(seed=1, n=5, d=2, n_blobs=2, std=1.0, k=5)  # every point its own cluster
@example(seed=2, n=60, d=2, n_blobs=3, std=2.5, k=4)
def test_lloyd_matches_sklearn(kata, seed, n, d, n_blobs, std, k):
    X = blobs(seed, n, d, n_blobs, std)
    check_against_sklearn(kata, X, random_data_points(X, k, seed + 1))


@given(seed=seeds(), n=st.integers(8, 60), d=st.integers(1, 3), k=st.integers(2, 5), max_iter=st.integers(1, 3))
@example(seed=3, n=40, d=2, k=4, max_iter=1)
def test_stopping_at_max_iter_matches_sklearn(kata, seed, n, d, k, max_iter):
    """After the last allowed update the labels must be recomputed for the centres you return."""
    X = blobs(seed, n, d, 3, 2.5)
    check_against_sklearn(kata, X, random_data_points(X, k, seed + 1), max_iter=max_iter)


@settings(max_examples=10)  # any data shows it: one update, then stop
@given(seed=seeds(), n=st.integers(8, 60), d=st.integers(1, 3), k=st.integers(2, 5))
def test_huge_tol_stops_after_one_update(kata, seed, n, d, k):
    X = blobs(seed, n, d, 3, 2.5)
    got = check_against_sklearn(kata, X, random_data_points(X, k, seed + 1), tol=1e30)
    assert got.n_iter == 1, f"lloyd(..., tol=1e30) ran {got.n_iter} iterations, expected 1"


@settings(max_examples=8)  # two sklearn fits per example
@given(seed=seeds(), n=st.integers(8, 60), d=st.integers(1, 3), k=st.integers(2, 5))
@example(seed=3, n=40, d=2, k=4)
def test_tol_bounds_the_total_not_the_mean_squared_movement(kata, seed, n, d, k):
    """tol sits between the first update's mean and total squared centre movement: a run that
    compares the total to tol must not stop after one update."""
    X = blobs(seed, n, d, 3, 2.5)
    init = random_data_points(X, k, seed + 1)
    moved = float(((sklearn_lloyd(X, init, max_iter=1).cluster_centers_ - init) ** 2).sum())
    assume(moved > 1e-6)
    check_against_sklearn(kata, X, init, tol=moved / np.sqrt(k * d))


@settings(max_examples=5)
@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(1, 3))
@example(seed=8, n=5, d=1)
def test_max_iter_zero_returns_the_initial_centres(kata, seed, n, d):
    X = np.random.default_rng(seed).normal(size=(n, d))
    init = np.random.default_rng(seed + 1).normal(size=(min(n, 3), d))
    call = describe_call("lloyd", X, init, max_iter=0)
    got = call_unmodified(kata.lloyd, X, init, max_iter=0)
    assert got.n_iter == 0 and len(got.inertia_history) == 0, (
        f"{call} returned n_iter={got.n_iter}, inertia_history={list(got.inertia_history)}: no iteration may run")
    assert_equal(np.asarray(got.centers), init, name="centers (the initial ones: no update ran)", call=call)
    assert_equal(np.asarray(got.labels), ((X[:, None] - init[None]) ** 2).sum(-1).argmin(1), name="labels", call=call)
    assert_close(got.inertia, brute_inertia(X, init), rtol=RTOL, atol=ATOL, name="inertia", call=call)


# reps <= 2: the mean of one or two copies of a point is that point exactly (of three, not always).
@settings(max_examples=8)
@given(seed=seeds(), n_distinct=st.integers(1, 4), reps=st.integers(1, 2), extra=st.integers(1, 2), d=st.integers(1, 3))
@example(seed=9, n_distinct=2, reps=2, extra=1, d=1)
def test_more_clusters_than_distinct_points_moves_nothing(kata, seed, n_distinct, reps, extra, d):
    """Every point sits on an initial centre, so nothing can be gained: the empty clusters keep
    their centres (no 0/0 mean, no point moved) and the run stops after one update."""
    rng = np.random.default_rng(seed)
    distinct = rng.normal(size=(n_distinct, d))
    X = np.repeat(distinct, reps, axis=0)[rng.permutation(n_distinct * reps)]
    init = np.concatenate([distinct, 100.0 + 10.0 * np.arange(extra)[:, None] + np.zeros((1, d))])
    call = describe_call("lloyd", X, init)
    with np.errstate(all="ignore"):
        got = call_unmodified(kata.lloyd, X, init)
    assert_finite_centres(got.centers, call)
    assert_equal(np.asarray(got.centers), init, name="centers (every point is on its centre: none moves)", call=call)
    assert_equal(np.asarray(got.labels), ((X[:, None] - init[None]) ** 2).sum(-1).argmin(1), name="labels", call=call)
    assert got.n_iter == 1 and got.inertia == 0, f"{call} returned n_iter={got.n_iter}, inertia={got.inertia}: expected 1, 0"


def test_label_convergence_compares_labels_before_the_empty_cluster_move(kata):
    """Points 0, 0, 9, 10, 13 from centres 4, 10.5, 100: cluster 2 is empty twice and takes a 0 the
    first time; the second assignment's labels equal the first's (both before the moves), so
    sklearn stops after 2 iterations although the moved labels differ."""
    X = np.array([0.0, 0.0, 9.0, 10.0, 13.0])[:, None]
    init = np.array([4.0, 10.5, 100.0])[:, None]
    call = describe_call("lloyd", X, init)
    got = call_unmodified(kata.lloyd, X, init)
    ref = sklearn_lloyd(X, init)  # its labels_ predate the last move (strict convergence): not compared
    assert_close(got.centers, ref.cluster_centers_, rtol=RTOL, atol=ATOL, name="centers", call=call)
    assert got.n_iter == ref.n_iter_ == 2, (
        f"{call} ran {got.n_iter} iterations, sklearn {ref.n_iter_}: stop when the labels of the assignment step "
        "equal the previous assignment's, comparing them before any point was moved to an empty cluster")
    assert_equal(np.asarray(got.labels), [0, 0, 1, 1, 2], name="labels (of the returned centres)", call=call)


@given(seed=seeds(), n=st.integers(5, 60), d=st.integers(1, 3), std=st.floats(0.5, 3.0), k=st.integers(1, 5))
@example(seed=4, n=30, d=2, std=3.0, k=5)
def test_inertia_history_never_increases(kata, seed, n, d, std, k):
    X = blobs(seed, n, d, 4, std)
    init = random_data_points(X, k, seed + 1)
    call = describe_call("lloyd", X, init)
    got = call_unmodified(kata.lloyd, X, init)
    assert_finite_centres(got.centers, call)
    hist = np.asarray(got.inertia_history, dtype=np.float64)
    assert len(hist) == got.n_iter, f"{call}: inertia_history has {len(hist)} entries for n_iter={got.n_iter}"
    # The first assignment step measures the initial centres: sum of squared (not plain) distances.
    assert_close(hist[0], brute_inertia(X, init), rtol=RTOL, atol=ATOL, name="inertia_history[0]", call=call)
    assert_close(got.inertia, brute_inertia(X, got.centers), rtol=RTOL, atol=ATOL,
                 name="inertia (of the returned centres)", call=call)
    # Each step can only lower the objective; 1e-9 relative absorbs rounding of equal values.
    slack = 1e-9 * hist[0]
    rises = np.flatnonzero(np.diff(hist) > slack)
    assert rises.size == 0, (f"{call}: inertia rose from step {rises[0]} to {rises[0] + 1} "
                             f"({hist[rises[0]]:.6g} -> {hist[rises[0] + 1]:.6g}); history {hist.tolist()}")
    assert got.inertia <= hist[-1] + slack, f"{call}: final inertia {got.inertia} > last step's {hist[-1]}"


@given(seed=seeds(), n=st.integers(6, 50), d=st.integers(1, 3), k=st.integers(2, 5))
@example(seed=5, n=6, d=1, k=2)
def test_empty_cluster_takes_the_farthest_point_like_sklearn(kata, seed, n, d, k):
    """One initial centre is far from every point, so its cluster is empty after the first assignment."""
    X = blobs(seed, n, d, 3, 1.5)
    init = random_data_points(X, k, seed + 1)
    init[-1] = np.abs(X).max() * 10 + 100.0
    # The relocated point must be unambiguous: no tie for the farthest point from its centre.
    cost = np.sort(((X[:, None, :] - init[None, :-1]) ** 2).sum(-1).min(axis=1))
    assume(cost[-1] - cost[-2] > 1e-7)
    with np.errstate(all="ignore"):
        # n_iter is not compared: sklearn's relocated sums differ from the plain means by one
        # rounding, which can cost it one extra (label-confirming) iteration.
        check_against_sklearn(kata, X, init, check_n_iter=False)


@given(seed=seeds(), n=st.integers(1, 40), d=st.integers(1, 3), k_frac=st.floats(0.0, 1.0))
@example(seed=6, n=8, d=2, k_frac=1.0)  # k = n: every point must be chosen exactly once
@example(seed=7, n=1, d=1, k_frac=1.0)
def test_kmeans_pp_picks_distinct_data_points(kata, seed, n, d, k_frac):
    X = np.random.default_rng(seed).normal(size=(n, d)) * 5
    k = max(1, round(k_frac * n))
    call = describe_call("kmeans_plus_plus_init", X, k, np.random.default_rng(seed))
    got = np.asarray(kata.kmeans_plus_plus_init(X, k, np.random.default_rng(seed)))
    assert_shape(got, (k, d), name="centres", call=call)
    match = np.all(got[:, None, :] == X[None, :, :], axis=-1)
    not_data = np.flatnonzero(~match.any(axis=1))
    assert not_data.size == 0, f"{call}: centre {not_data[0]} = {got[not_data[0]]} is not a row of X"
    idx = match.argmax(axis=1)
    assert len(set(idx.tolist())) == k, (
        f"{call} picked data rows {idx.tolist()}: a point was chosen twice. D(x) must be the distance to "
        "the nearest of ALL centres chosen so far (0 for a chosen point), not just the last one")
    again = np.asarray(kata.kmeans_plus_plus_init(X, k, np.random.default_rng(seed)))
    assert_equal(again, got, name="centres of a second call with the same seed (draw only from rng)", call=call)


# Four points on a line at 0, 1, 3 and 10: D and D^2 sampling give very different probabilities.
LINE = np.array([0.0, 1.0, 3.0, 10.0])
N_DRAWS = 2000


# No shrinking: every example costs 2000 calls, and a smaller angle or seed explains nothing more.
@settings(max_examples=4, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(seed=seeds(), order=st.permutations(range(4)), angle=st.floats(0.0, 6.0), scale=st.floats(0.5, 4.0),
       shift=st.floats(-8.0, 8.0))
def test_kmeans_pp_samples_proportional_to_squared_distance(kata, seed, order, angle, scale, shift):
    """Over 2000 seeded draws with k=2 the (first, second) centre pairs follow
    P(i, j) = 1/n * D(i, j)^2 / sum_j' D(i, j')^2 (chi-square test at level 1e-6)."""
    x = LINE[list(order)]
    X = np.stack([x * np.cos(angle), x * np.sin(angle)], axis=1) * scale + shift
    D2 = (x[:, None] - x[None, :]) ** 2
    expected = D2 / D2.sum(axis=1, keepdims=True) / 4 * N_DRAWS
    rng = np.random.default_rng(seed)
    counts = np.zeros((4, 4))
    for _ in range(N_DRAWS):
        c = np.asarray(kata.kmeans_plus_plus_init(X, 2, rng))
        i, j = (int(np.argmin(((X - row) ** 2).sum(-1))) for row in c)
        counts[i, j] += 1
    off = ~np.eye(4, dtype=bool)
    stat = float(((counts[off] - expected[off]) ** 2 / expected[off]).sum())
    limit = float(chi2.ppf(1 - 1e-6, df=11))
    first = counts.sum(axis=1) / N_DRAWS
    assert stat < limit and np.all(counts[~off] == 0), (
        f"kmeans_plus_plus_init(X, 2, rng) over {N_DRAWS} draws on points at {x.tolist()} along a line:\n"
        f"  chi-square {stat:.1f} >= {limit:.1f} (level 1e-6)\n"
        f"  first-centre frequencies {np.round(first, 3).tolist()} (expected 0.25 each)\n"
        f"  P(second | first) observed:\n{np.round(counts / np.maximum(counts.sum(1, keepdims=True), 1), 3)}\n"
        f"  expected (D^2 / sum D^2):\n{np.round(D2 / D2.sum(1, keepdims=True), 3)}\n"
        f"  with D instead of D^2 it would be:\n"
        f"{np.round(np.sqrt(D2) / np.sqrt(D2).sum(1, keepdims=True), 3)}")


@given(n=st.integers(1, 10), extra=st.integers(1, 3))
def test_kmeans_pp_rejects_bad_k(kata, n, extra):
    X = np.arange(2 * n, dtype=np.float64).reshape(n, 2)
    for k in (0, n + extra):
        try:
            kata.kmeans_plus_plus_init(X, k, np.random.default_rng(0))
        except ValueError:
            continue
        raise AssertionError(f"kmeans_plus_plus_init(X of {n} points, k={k}) did not raise ValueError")

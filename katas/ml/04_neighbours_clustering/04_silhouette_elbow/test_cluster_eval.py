"""Tests for ml-04-4, silhouette score and the elbow method.

References: sklearn.metrics.silhouette_samples / silhouette_score; sklearn KMeans (same k,
k-means++ seeding with the same random_state, n_init=1, tol=0) for the inertia curve; the pairwise
identity sum_i ||x_i - mean||^2 = sum_{i<i'} ||x_i - x_i'||^2 / n_j for inertia; closed-form knees
of a piecewise-linear curve (the kink) and of a/k + c on k = 1..K (near sqrt(K)).
"""
import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_samples
from threadpoolctl import ThreadpoolController

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

# OpenMP/BLAS thread start-up costs more than these tiny k-means fits: run them on one thread.
ONE_THREAD = ThreadpoolController()
# Silhouettes are ratios of means of <= 30 float64 distances: sklearn agrees to ~1e-15.
RTOL, ATOL = 1e-10, 1e-12
LABEL_VALUES = st.sampled_from([(0, 1, 2, 3), (5, 9, 2, 7, 11), (-1, 1)])


def labelled_points(seed, n, d, values):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    labels = np.array(values)[rng.integers(len(values), size=n)]
    labels[0], labels[1] = values[0], values[1]  # at least two clusters
    return X, labels


@given(seed=seeds(), n=st.integers(3, 30), d=st.integers(1, 3), values=LABEL_VALUES)
@example(seed=0, n=3, d=1, values=(0, 1, 2, 3))
@example(seed=1, n=12, d=2, values=(5, 9, 2, 7, 11))
def test_silhouette_samples_match_sklearn(kata, seed, n, d, values):
    X, labels = labelled_points(seed, n, d, values)
    assume(len(set(labels.tolist())) <= n - 1)
    call = describe_call("silhouette_samples", X, labels)
    got = call_unmodified(kata.silhouette_samples, X, labels)
    assert_close(got, silhouette_samples(X, labels), rtol=RTOL, atol=ATOL, name="silhouettes", call=call)


@given(seed=seeds(), n=st.integers(4, 20), d=st.integers(1, 3))
@example(seed=0, n=4, d=2)
def test_a_singleton_cluster_has_silhouette_zero(kata, seed, n, d):
    """Point 0 is alone in its cluster: a(i) is undefined and sklearn (Rousseeuw) sets s(i) = 0."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    labels = np.r_[7, rng.integers(0, 2, size=n - 1)]
    labels[1:3] = [0, 1]
    call = describe_call("silhouette_samples", X, labels)
    got = np.asarray(kata.silhouette_samples(X, labels), dtype=np.float64)
    assert_close(got, silhouette_samples(X, labels), rtol=RTOL, atol=ATOL, name="silhouettes", call=call)


@given(seed=seeds(), n=st.integers(3, 30), d=st.integers(1, 3), values=LABEL_VALUES)
@example(seed=2, n=30, d=2, values=(0, 1, 2, 3))
def test_silhouette_score_matches_sklearn(kata, seed, n, d, values):
    X, labels = labelled_points(seed, n, d, values)
    assume(len(set(labels.tolist())) <= n - 1)
    call = describe_call("silhouette_score", X, labels)
    got = call_unmodified(kata.silhouette_score, X, labels)
    assert_close(got, np.mean(silhouette_samples(X, labels)), rtol=RTOL, atol=ATOL, name="mean silhouette",
                 call=call)


@given(seed=seeds(), n=st.integers(2, 10), one=st.booleans())
@example(seed=0, n=2, one=True)
def test_silhouette_rejects_one_cluster_or_all_singletons(kata, seed, n, one):
    X = np.random.default_rng(seed).normal(size=(n, 2))
    labels = np.zeros(n, dtype=int) if one else np.arange(n)
    with pytest.raises(ValueError):
        kata.silhouette_samples(X, labels)


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(1, 3), values=LABEL_VALUES)
@example(seed=0, n=1, d=1, values=(-1, 1))
def test_inertia_matches_the_pairwise_identity(kata, seed, n, d, values):
    """sum_i ||x_i - c_j||^2 over cluster j equals sum over pairs i < i' of ||x_i - x_i'||^2 / n_j."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * 3
    labels = np.array(values)[rng.integers(len(values), size=n)]
    want = 0.0
    for v in set(labels.tolist()):
        P = X[labels == v]
        diff = P[:, None] - P[None]
        want += (diff**2).sum() / 2 / len(P)
    call = describe_call("inertia", X, labels)
    # Sums of <= 30 squared distances of size ~10: 1e-9 relative is generous for float64.
    assert_close(kata.inertia(X, labels), want, rtol=1e-9, atol=1e-9, name="inertia", call=call)


@given(seed=seeds(), n=st.integers(8, 40), n_blobs=st.integers(1, 5), k_max=st.integers(2, 7),
       random_state=st.integers(0, 1000))
@example(seed=0, n=8, n_blobs=1, k_max=2, random_state=0)
@example(seed=1, n=40, n_blobs=4, k_max=7, random_state=3)
@settings(max_examples=15)  # up to 7 k-means fits per example
def test_elbow_curve_matches_sklearn_kmeans(kata, seed, n, n_blobs, k_max, random_state):
    X, _ = make_blobs(n_samples=n, centers=n_blobs, n_features=2, cluster_std=1.0, random_state=seed)
    ks = list(range(1, k_max + 1))
    call = describe_call("elbow_curve", X, ks, random_state=random_state)
    with ONE_THREAD.limit(limits=1):
        got = kata.elbow_curve(X, ks, random_state=random_state)
        want = [KMeans(n_clusters=k, init="k-means++", n_init=1, tol=0.0, random_state=random_state).fit(X).inertia_
                for k in ks]
    # Your inertia and sklearn's sum the same <= 40 squared distances in another order.
    assert_close(got, want, rtol=1e-9, atol=1e-9, name="inertia per k", call=call)


@given(data=st.data(), n_points=st.integers(3, 10), drop=st.floats(0.5, 100.0), ratio=st.floats(0.01, 0.5),
       scale=st.floats(0.001, 1000.0), offset=st.floats(-100.0, 100.0))
@example(data=None, n_points=3, drop=1.0, ratio=0.1, scale=1.0, offset=0.0)
def test_knee_of_a_piecewise_linear_curve_is_the_kink(kata, data, n_points, drop, ratio, scale, offset):
    """Inertia falls with slope -drop until k*, then with slope -drop*ratio: the knee is k*, for any ks spacing."""
    if data is None:
        ks, kink = [1, 2, 5], 2
    else:
        ks = sorted(data.draw(st.sets(st.integers(1, 40), min_size=n_points, max_size=n_points), label="ks"))
        kink = data.draw(st.sampled_from(ks[1:-1]), label="kink")
    k = np.array(ks, dtype=np.float64)
    curve = np.where(k <= kink, -drop * (k - kink), -drop * ratio * (k - kink)) + 1000.0
    inertias = scale * curve + offset
    call = describe_call("knee_point", ks, inertias)
    got = call_unmodified(kata.knee_point, ks, inertias)
    assert got == kink, f"{call} returned {got}, expected the kink at k = {kink} (ks = {ks})"


@given(k0=st.integers(1, 5), step=st.integers(1, 4), scale=st.sampled_from([0.5, 1.0, 2.0, 8.0]),
       offset=st.integers(-8, 8))
@example(k0=1, step=1, scale=1.0, offset=0)
def test_knee_ties_go_to_the_first_and_short_input_raises(kata, k0, step, scale, offset):
    """Rescaled points (0, 1), (.25, .5), (.5, .375), (.75, 0), (1, 0): the 2nd and 4th are equally far from
    the chord (|x + y - 1| = 1/4, exact in binary), so the first of them wins."""
    ks = [k0 + step * i for i in range(5)]
    inertias = [scale * v + offset for v in (4.0, 2.0, 1.5, 0.0, 0.0)]
    call = describe_call("knee_point", ks, inertias)
    got = call_unmodified(kata.knee_point, ks, inertias)
    assert got == ks[1], f"{call} returned {got}; k = {ks[1]} and k = {ks[3]} tie for the farthest point: the first wins"
    for bad_ks, bad_in in ((ks[:2], inertias[:2]), (ks, inertias[:-1])):
        with pytest.raises(ValueError):
            kata.knee_point(bad_ks, bad_in)
            raise AssertionError(f"knee_point({bad_ks}, {bad_in}) returned: fewer than 3 points, or lengths that "
                                 "differ, must raise ValueError")


@settings(max_examples=6)  # three fixed curves; the ks spacing is all that varies
@given(case=st.sampled_from(["above the chord", "drop of exactly 1", "rising"]), k0=st.integers(1, 5),
       step=st.integers(1, 3))
@example(case="above the chord", k0=1, step=1)
@example(case="drop of exactly 1", k0=1, step=1)
@example(case="rising", k0=1, step=1)
def test_knee_distance_counts_on_both_sides_of_the_chord(kata, case, k0, step):
    """Rescaled, every case is (0, 1), (1/3, .9), (2/3, .3), (1, 0): the 2nd point lies ABOVE the chord
    (x + y - 1 = .23) and is the farthest; the 3rd lies below it (-.03). The rescaling maps the first
    point to (0, 1) and the last to (1, 0) whatever the first-to-last drop is (10, exactly 1, or -1)."""
    ks = [k0 + step * i for i in range(4)]
    inertias = {"above the chord": [10.0, 9.0, 3.0, 0.0], "drop of exactly 1": [5.0, 4.9, 4.3, 4.0],
                "rising": [4.0, 4.1, 4.7, 5.0]}[case]
    call = describe_call("knee_point", ks, inertias)
    got = call_unmodified(kata.knee_point, ks, inertias)
    assert got == ks[1], (f"{call} returned {got}, expected {ks[1]}: its rescaled point (1/3, .9) is .23/sqrt(2) from "
                          "the chord, on the far side: the distance is |x + y - 1| / sqrt(2) on either side")


@given(K=st.integers(3, 60), a=st.floats(0.1, 100.0), c=st.floats(0.0, 50.0))
@example(K=10, a=1.0, c=0.0)
def test_knee_of_a_hyperbola_is_near_sqrt_k(kata, K, a, c):
    """For I(k) = a/k + c on k = 1..K the farthest point from the chord maximises -k/K - 1/k: k ~ sqrt(K)."""
    lo = int(np.floor(np.sqrt(K)))
    assume(lo * (lo + 1) != K)  # then floor and ceil of sqrt(K) tie exactly
    want = max({lo, lo + 1} & set(range(1, K + 1)), key=lambda k: -k / K - 1 / k)
    ks = list(range(1, K + 1))
    inertias = [a / k + c for k in ks]
    call = describe_call("knee_point", ks, inertias)
    got = kata.knee_point(ks, inertias)
    assert got == want, f"{call} returned {got}, expected {want} (the integer near sqrt({K}) = {np.sqrt(K):.3f})"

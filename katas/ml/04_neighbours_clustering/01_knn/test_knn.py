"""Tests for ml-04-1, k-nearest-neighbours with custom distance metrics.

References: scipy.spatial.distance.cdist for the distances, and sklearn's
KNeighborsClassifier (exact kd-tree/ball-tree search) fitted on the same data with the same k, metric, p and
weights for neighbours, probabilities and predictions. Distance ties would make the neighbour order
depend on rounding, so inputs with near-equal distances are rejected with assume() (continuous
random data almost never has them).
"""
import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.spatial.distance import cdist
from sklearn.neighbors import KNeighborsClassifier

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

# Distances are sums of <= 4 float64 terms of size ~1: a few ulps apart from scipy/sklearn.
RTOL, ATOL = 1e-10, 1e-12

LABEL_SETS = st.sampled_from([(0, 1), (0, 1, 2), (-1, 1), (3, 7, 10), ("cat", "dog", "emu")])
# (metric name for the learner and sklearn, p, scipy cdist name)
METRICS = st.sampled_from([("euclidean", 2.0), ("manhattan", 1.0), ("minkowski", 1.0), ("minkowski", 1.5),
                           ("minkowski", 3.0), ("minkowski", 4.5)])
SCIPY_NAME = {"euclidean": "euclidean", "manhattan": "cityblock", "minkowski": "minkowski"}


def chebyshev(u: np.ndarray, v: np.ndarray) -> float:
    return float(np.max(np.abs(u - v)))


def weighted_l1(u: np.ndarray, v: np.ndarray) -> float:
    return float(np.sum(np.arange(1, len(u) + 1) * np.abs(u - v)))


def scipy_distances(X, Y, metric, p):
    if metric == chebyshev:
        return cdist(X, Y, "chebyshev")
    if metric == weighted_l1:
        return cdist(X, Y, "minkowski", p=1, w=np.arange(1, X.shape[1] + 1, dtype=float))
    return cdist(X, Y, SCIPY_NAME[metric], **({"p": p} if metric == "minkowski" else {}))


def make_data(seed, n, q, d, labels):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.array(labels)[rng.integers(len(labels), size=n)]
    Q = rng.normal(size=(q, d)) * 1.5
    return X, y, Q


def no_distance_ties(D, k):
    """True when the k+1 smallest distances of every row are clearly distinct."""
    s = np.sort(D, axis=1)[:, : k + 1]
    if s.shape[1] < 2:
        return True
    return bool(np.all(np.diff(s, axis=1) > 1e-9 * (1 + s[:, 1:])))


def sklearn_knn(X, y, k, metric, p, weights):
    kw = {"p": p} if metric == "minkowski" else {}
    # kd_tree search is exact, like brute force, and avoids the OpenMP start-up cost of sklearn's
    # brute-force path (~0.1 s per call on 2 cores).
    return KNeighborsClassifier(n_neighbors=k, metric=metric, algorithm="kd_tree", weights=weights, **kw).fit(X, y)


@given(seed=seeds(), n_x=st.integers(1, 12), n_y=st.integers(1, 12), d=st.integers(1, 4), metric=METRICS)
@example(seed=0, n_x=1, n_y=1, d=1, metric=("minkowski", 3.0))
def test_pairwise_distances_match_scipy(kata, seed, n_x, n_y, d, metric):
    name, p = metric
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(n_x, d)), rng.normal(size=(n_y, d))
    call = describe_call("pairwise_distances", X, Y, metric=name, p=p)
    got = call_unmodified(kata.pairwise_distances, X, Y, metric=name, p=p)
    assert_close(got, scipy_distances(X, Y, name, p), rtol=RTOL, atol=ATOL, name="distance matrix", call=call)


@given(seed=seeds(), n=st.integers(1, 10), d=st.integers(1, 4), fn=st.sampled_from([chebyshev, weighted_l1]))
@example(seed=0, n=1, d=1, fn=chebyshev)
def test_pairwise_distances_accept_a_callable(kata, seed, n, d, fn):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(n, d)), rng.normal(size=(n + 1, d))
    call = describe_call("pairwise_distances", X, Y, metric=fn.__name__)
    got = call_unmodified(kata.pairwise_distances, X, Y, metric=fn)
    assert_close(got, scipy_distances(X, Y, fn, 1.0), rtol=RTOL, atol=ATOL, name="distance matrix", call=call)


@given(seed=seeds(), n=st.integers(1, 30), q=st.integers(1, 8), d=st.integers(1, 4), k=st.integers(1, 7),
       metric=METRICS)
@example(seed=0, n=1, q=1, d=1, k=1, metric=("euclidean", 2.0))
@example(seed=1, n=7, q=3, d=2, k=7, metric=("minkowski", 3.0))  # k = n: every training point
def test_kneighbors_match_sklearn(kata, seed, n, q, d, k, metric):
    name, p = metric
    assume(k <= n)
    X, y, Q = make_data(seed, n, q, d, (0, 1))
    assume(no_distance_ties(scipy_distances(Q, X, name, p), k))
    call = describe_call(f"KNNClassifier(n_neighbors={k}, metric={name!r}, p={p}).fit(X, y).kneighbors", Q)
    dist, ind = kata.KNNClassifier(n_neighbors=k, metric=name, p=p).fit(X, y).kneighbors(Q)
    want_dist, want_ind = sklearn_knn(X, y, k, name, p, "uniform").kneighbors(Q)
    assert_equal(np.asarray(ind), want_ind, name="neighbour indices (nearest first)", call=call)
    assert_close(dist, want_dist, rtol=RTOL, atol=ATOL, name="neighbour distances", call=call)


@given(seed=seeds(), n=st.integers(2, 30), q=st.integers(1, 10), d=st.integers(1, 4), k=st.integers(1, 7),
       metric=METRICS, labels=LABEL_SETS, weights=st.sampled_from(["uniform", "distance"]))
@example(seed=2, n=20, q=10, d=2, k=4, metric=("euclidean", 2.0), labels=(3, 7, 10), weights="uniform")
@example(seed=3, n=20, q=10, d=3, k=5, metric=("minkowski", 3.0), labels=("cat", "dog", "emu"), weights="distance")
def test_predictions_match_sklearn(kata, seed, n, q, d, k, metric, labels, weights):
    name, p = metric
    assume(k <= n)
    X, y, Q = make_data(seed, n, q, d, labels)
    assume(no_distance_ties(scipy_distances(Q, X, name, p), k))
    ref = sklearn_knn(X, y, k, name, p, weights)
    model = kata.KNNClassifier(n_neighbors=k, metric=name, p=p, weights=weights).fit(X, y)
    call = describe_call(f"KNNClassifier(n_neighbors={k}, metric={name!r}, p={p}, weights={weights!r})"
                         ".fit(X, y).predict_proba", Q)
    assert_equal(np.asarray(model.classes_), ref.classes_, name="classes_", call=call)
    # Shares of k votes (or of k weights ~1/d): float64 sums, far inside 1e-10.
    assert_close(model.predict_proba(Q), ref.predict_proba(Q), rtol=RTOL, atol=ATOL, name="class probabilities",
                 call=call)
    pred = np.asarray(model.predict(Q))
    assert_equal(pred, ref.predict(Q), name="predicted labels", call=call.replace("predict_proba", "predict"))
    assert pred.dtype == y.dtype, (f"{call.replace('predict_proba', 'predict')} returned labels of dtype {pred.dtype}; "
                                   f"they are taken from classes_, so they keep the dtype of y ({y.dtype})")
    y_true = np.array(labels)[np.random.default_rng(seed + 1).integers(len(labels), size=q)]
    got_score = model.score(Q, y_true)
    assert abs(got_score - ref.score(Q, y_true)) < 1e-12, (
        f"{call.replace('predict_proba', 'score')} returned {got_score}, sklearn's score is {ref.score(Q, y_true)}")


@given(seed=seeds(), half=st.integers(1, 3), labels=LABEL_SETS, n_far=st.integers(0, 6))
@example(seed=0, half=1, labels=(0, 1), n_far=0)
def test_vote_ties_go_to_the_smallest_label(kata, seed, half, labels, n_far):
    """k = 2*half neighbours split evenly between two labels; the nearest one has the larger label."""
    rng = np.random.default_rng(seed)
    small, big = sorted(labels)[0], sorted(labels)[-1]
    k = 2 * half
    near = np.sort(rng.uniform(0.5, 5.0, size=k))
    assume(np.all(np.diff(near) > 1e-3))
    near_labels = [big] + [small] * half + [big] * (half - 1)
    far = rng.uniform(10.0, 20.0, size=n_far)
    X = np.concatenate([near, far])[:, None] * rng.choice([-1.0, 1.0], size=k + n_far)[:, None]
    y = np.array(near_labels + [labels[i] for i in rng.integers(len(labels), size=n_far)])
    Q = np.zeros((1, 1))
    call = describe_call(f"KNNClassifier(n_neighbors={k}).fit(X, y).predict", Q)
    got = kata.KNNClassifier(n_neighbors=k).fit(X, y).predict(Q)
    want = sklearn_knn(X, y, k, "euclidean", 2.0, "uniform").predict(Q)
    assert want[0] == small
    assert_equal(np.asarray(got), want, name="prediction for a tied vote", call=call)
    if got[0] == big:
        raise AssertionError(f"{call}: the vote is tied {half}-{half} between {small!r} and {big!r}; you returned "
                             f"the nearest neighbour's label {big!r}, sklearn (and argmax) take the smallest label")


@given(seed=seeds(), n=st.integers(2, 20), d=st.integers(1, 3), k=st.integers(1, 5), labels=LABEL_SETS,
       metric=METRICS)
@example(seed=0, n=5, d=1, k=1, labels=(0, 1), metric=("euclidean", 2.0))
def test_distance_weights_when_a_query_sits_on_a_training_point(kata, seed, n, d, k, labels, metric):
    """Querying the training points themselves: the zero-distance neighbour takes the whole vote."""
    name, p = metric
    assume(k <= n)
    X, y, _ = make_data(seed, n, 1, d, labels)
    model = kata.KNNClassifier(n_neighbors=k, metric=name, p=p, weights="distance").fit(X, y)
    call = describe_call(f"KNNClassifier(n_neighbors={k}, metric={name!r}, weights='distance').fit(X, y)"
                         ".predict_proba", X)
    proba = np.asarray(model.predict_proba(X), dtype=np.float64)
    ref = sklearn_knn(X, y, k, name, p, "distance")
    assert_close(proba, ref.predict_proba(X), rtol=0, atol=ATOL, name="class probabilities", call=call)
    assert_equal(np.asarray(model.predict(X)), y, name="predictions on the training points",
                 call=call.replace("predict_proba", "predict"))


@given(seed=seeds(), n=st.integers(3, 14), q=st.integers(1, 5), d=st.integers(2, 3), k=st.integers(1, 3),
       fn=st.sampled_from([chebyshev, weighted_l1]), weights=st.sampled_from(["uniform", "distance"]))
@example(seed=0, n=6, q=2, d=2, k=3, fn=weighted_l1, weights="distance")
def test_callable_metric_matches_sklearn(kata, seed, n, q, d, k, fn, weights):
    X, y, Q = make_data(seed, n, q, d, (0, 1, 2))
    assume(no_distance_ties(scipy_distances(Q, X, fn, 1.0), k))
    ref = KNeighborsClassifier(n_neighbors=k, metric=fn, algorithm="ball_tree", weights=weights).fit(X, y)
    model = kata.KNNClassifier(n_neighbors=k, metric=fn, weights=weights).fit(X, y)
    call = describe_call(f"KNNClassifier(n_neighbors={k}, metric={fn.__name__}, weights={weights!r})"
                         ".fit(X, y).kneighbors", Q)
    dist, ind = model.kneighbors(Q)
    want_dist, want_ind = ref.kneighbors(Q)
    assert_equal(np.asarray(ind), want_ind, name="neighbour indices", call=call)
    assert_close(dist, want_dist, rtol=RTOL, atol=ATOL, name="neighbour distances", call=call)
    assert_close(model.predict_proba(Q), ref.predict_proba(Q), rtol=RTOL, atol=ATOL, name="class probabilities",
                 call=call.replace("kneighbors", "predict_proba"))


@given(seed=seeds(), n=st.integers(1, 6), k=st.sampled_from([None, 0, -1]))  # None: n + 1
@example(seed=0, n=1, k=None)
@example(seed=0, n=3, k=0)  # k = 0: no neighbour would vote
def test_rejects_k_outside_one_to_n(kata, seed, n, k):
    X, y, Q = make_data(seed, n, 2, 2, (0, 1))
    k = n + 1 if k is None else k
    model = kata.KNNClassifier(n_neighbors=k).fit(X, y)
    with pytest.raises(ValueError):
        model.kneighbors(Q)
        raise AssertionError(f"KNNClassifier(n_neighbors={k}).kneighbors with {n} training points returned: "
                             "the docstring asks for a ValueError unless 1 <= n_neighbors <= n")


@given(seed=seeds(), bad=st.sampled_from([("cosine", 2.0), ("chebyshev", 2.0), ("minkowski", 0.5)]))
@example(seed=0, bad=("minkowski", 0.5))
def test_rejects_unknown_metrics_and_p_below_one(kata, seed, bad):
    name, p = bad
    rng = np.random.default_rng(seed)
    with pytest.raises(ValueError):
        kata.pairwise_distances(rng.normal(size=(3, 2)), rng.normal(size=(2, 2)), metric=name, p=p)


@given(bad=st.sampled_from(["gaussian", "Uniform", ""]))
def test_rejects_unknown_weights(kata, bad):
    X, y = np.arange(6.0).reshape(3, 2), np.array([0, 1, 0])
    with pytest.raises(ValueError):
        kata.KNNClassifier(n_neighbors=1, weights=bad).fit(X, y)
        raise AssertionError(f"KNNClassifier(weights={bad!r}).fit returned: only 'uniform' and 'distance' are allowed")

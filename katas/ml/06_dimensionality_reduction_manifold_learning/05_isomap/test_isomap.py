"""Tests for ml-06-5, Isomap.

References: sklearn.neighbors.kneighbors_graph for the graph, scipy.sparse.csgraph.shortest_path
for the geodesic distances, and sklearn.manifold.Isomap(eigen_solver="dense") for dist_matrix_
and the embedding (up to the sign of each column); classical MDS must also recover a Euclidean
point configuration exactly (its pairwise distances). Ties between neighbour distances and
near-equal eigenvalues are excluded with assume().
"""
import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components, shortest_path
from sklearn.datasets import make_s_curve
from sklearn.manifold import Isomap as SkIsomap
from sklearn.neighbors import kneighbors_graph

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call


def dists(X: np.ndarray) -> np.ndarray:
    diff = X[:, None, :] - X[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))


def s_curve(seed: int, n: int, noise: float) -> np.ndarray:
    X, _ = make_s_curve(n_samples=n, noise=noise, random_state=seed)
    return X


def finite_part(A: np.ndarray) -> np.ndarray:
    """A with its infinite entries set to -1 (after the inf patterns were compared on their own)."""
    return np.where(np.isfinite(A), A, -1.0)


def knn_gap(X: np.ndarray, k: int) -> float:
    """Smallest gap between the k-th and (k+1)-th neighbour distance: no tie decides an edge."""
    D = np.sort(dists(X), axis=1)[:, 1:]
    return float(np.min(D[:, k] - D[:, k - 1])) if k < D.shape[1] else np.inf


def reference_graph(X: np.ndarray, k: int) -> np.ndarray:
    A = kneighbors_graph(X, k, mode="distance", include_self=False).toarray()
    A = np.maximum(A, A.T)
    G = np.where(A > 0, A, np.inf)
    np.fill_diagonal(G, 0.0)
    return G


def mds_gap(D: np.ndarray, k: int) -> float:
    n = len(D)
    J = np.eye(n) - 1.0 / n
    ev = np.sort(np.linalg.eigvalsh(-0.5 * J @ D**2 @ J))[::-1][: k + 1]
    return float(np.min(-np.diff(ev)) / ev[0])


@given(seed=seeds(), n=st.integers(4, 50), noise=st.floats(0.0, 0.2), k=st.integers(1, 10))
@example(seed=0, n=4, noise=0.0, k=1)
@example(seed=1, n=50, noise=0.1, k=10)
def test_knn_graph_matches_sklearn(kata, seed, n, noise, k):
    k = min(k, n - 1)
    X = s_curve(seed, n, noise)
    assume(knn_gap(X, k) > 1e-9)
    call = describe_call("knn_graph", X, k)
    G = np.asarray(call_unmodified(kata.knn_graph, X, k), dtype=np.float64)
    want = reference_graph(X, k)
    assert_shape(G, (n, n), call=call)
    assert_equal(np.isfinite(G), np.isfinite(want), name="edge pattern (finite entries; OR-symmetrised)", call=call)
    # Distances from the same float64 coordinates: equal to a few ulps (non-edges compared above).
    assert_close(finite_part(G), finite_part(want), rtol=1e-12, atol=0,
                 name="edge lengths (0 on the diagonal)", call=call)


@given(seed=seeds(), n=st.integers(1, 30), p_edge=st.floats(0.05, 0.6), symmetric=st.booleans())
@example(seed=0, n=1, p_edge=0.5, symmetric=True)
@example(seed=1, n=12, p_edge=0.1, symmetric=False)  # sparse and directed: long paths, unreachable pairs
@example(seed=2, n=30, p_edge=0.08, symmetric=True)
def test_shortest_paths_match_scipy(kata, seed, n, p_edge, symmetric):
    rng = np.random.default_rng(seed)
    G = np.where(rng.uniform(size=(n, n)) < p_edge, rng.uniform(0.1, 10.0, size=(n, n)), np.inf)
    if symmetric:
        G = np.minimum(G, G.T)
    np.fill_diagonal(G, 0.0)
    call = describe_call("shortest_paths", G)
    got = call_unmodified(kata.shortest_paths, G)
    want = shortest_path(G, method="FW", directed=True)  # dense input: inf entries are non-edges
    assert_shape(got, (n, n), call=call)
    got = np.asarray(got, dtype=np.float64)
    assert_equal(np.isfinite(got), np.isfinite(want), name="reachability pattern (finite entries)", call=call)
    # Sums of at most n edge lengths in float64.
    assert_close(finite_part(got), finite_part(want), rtol=1e-12, atol=0, name="shortest path lengths (vs scipy)",
                 call=call)


@given(seed=seeds(), n=st.integers(2, 30), dim=st.integers(1, 3))
@example(seed=3, n=2, dim=1)
def test_classical_mds_recovers_a_euclidean_configuration(kata, seed, n, dim):
    """MDS of the distances of points in R^dim gives points with the same distances (any rotation)."""
    dim = min(dim, n - 1)
    Y = np.random.default_rng(seed).normal(size=(n, dim)) * np.array([3.0, 1.5, 0.7][:dim])
    D = dists(Y)
    call = describe_call("classical_mds", D, dim)
    Z = np.asarray(call_unmodified(kata.classical_mds, D, dim), dtype=np.float64)
    assert_shape(Z, (n, dim), call=call)
    # Eigen-solvers are accurate to ~1e-13 relative here; distances up to ~15.
    assert_close(dists(Z), D, rtol=1e-7, atol=1e-7,
                 name="pairwise distances of the embedding (should equal the input distances)", call=call)
    assert_close(Z.mean(axis=0), np.zeros(dim), rtol=0, atol=1e-8, name="embedding mean (MDS output is centred)",
                 call=call)


@given(seed=seeds(), n=st.integers(15, 60), noise=st.floats(0.0, 0.1), k=st.integers(5, 10), n_comp=st.integers(1, 3))
@example(seed=4, n=60, noise=0.05, k=8, n_comp=2)
@example(seed=5, n=15, noise=0.0, k=5, n_comp=1)
def test_isomap_matches_sklearn(kata, seed, n, noise, k, n_comp):
    X = s_curve(seed, n, noise)
    assume(knn_gap(X, k) > 1e-9)
    assume(connected_components(kneighbors_graph(X, k), directed=False)[0] == 1)
    ref = SkIsomap(n_neighbors=k, n_components=n_comp, eigen_solver="dense").fit(X)
    assume(mds_gap(ref.dist_matrix_, n_comp) > 1e-4)  # separated eigenvalues: axes defined up to sign
    call = describe_call(f"Isomap(n_neighbors={k}, n_components={n_comp}).fit", X)
    model = kata.Isomap(n_neighbors=k, n_components=n_comp)
    assert call_unmodified(model.fit, X) is model, f"{call} must return self"
    assert_close(model.dist_matrix_, ref.dist_matrix_, rtol=1e-10, atol=1e-12, name="dist_matrix_ (geodesic)",
                 call=call)
    got = np.asarray(model.embedding_, dtype=np.float64)
    want = ref.embedding_
    assert_shape(got, want.shape, name="embedding_", call=call)
    signs = np.sign(np.sum(got * want, axis=0))
    signs[signs == 0] = 1.0
    assert_close(got * signs, want, rtol=0, atol=1e-6 * float(np.max(np.abs(want))),
                 name="embedding_ (columns sign-matched to sklearn's)", call=call)
    again = np.asarray(kata.Isomap(n_neighbors=k, n_components=n_comp).fit_transform(X.copy()))
    assert_close(np.abs(again), np.abs(got), rtol=0, atol=1e-9 * float(np.max(np.abs(want))),
                 name="fit_transform(X) (should be fit(X).embedding_)", call=call)


@given(seed=seeds(), n_each=st.integers(3, 8))
def test_disconnected_graph_raises(kata, seed, n_each):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(size=(n_each, 2)), rng.normal(size=(n_each, 2)) + 1000.0])
    with pytest.raises(ValueError) as raised:
        kata.Isomap(n_neighbors=2, n_components=1).fit(X)
    assert not isinstance(raised.value, np.linalg.LinAlgError), (
        f"Isomap(n_neighbors=2).fit on two far-apart clouds raised numpy's LinAlgError ({raised.value}) from the "
        "eigensolver fed with inf distances: check the geodesic distances and raise ValueError yourself")


@given(seed=seeds(), n=st.integers(2, 8), too_many=st.booleans())
@example(seed=0, n=3, too_many=False)
def test_knn_graph_rejects_bad_n_neighbors(kata, seed, n, too_many):
    X = np.random.default_rng(seed).normal(size=(n, 2))
    k = n if too_many else 0
    with pytest.raises(ValueError):
        kata.knn_graph(X, k)
        raise AssertionError(f"knn_graph(X of {n} points, n_neighbors={k}) returned: 1 <= n_neighbors < n is required")

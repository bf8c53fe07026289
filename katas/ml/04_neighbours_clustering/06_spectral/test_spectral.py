"""Tests for ml-04-6, spectral clustering.

References: sklearn.metrics.pairwise.rbf_kernel (affinity), scipy.sparse.csgraph.laplacian(normed=
True) (Laplacian), sklearn.manifold.spectral_embedding(norm_laplacian=True, drop_first=False)
(embedding, compared as a subspace because eigenvectors are only defined up to sign and, for
repeated eigenvalues, rotation), and sklearn.cluster.SpectralClustering(affinity="rbf") for the
labels, up to renaming the clusters (adjusted_rand_score == 1) on well-separated data.
"""
import warnings

import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from scipy.linalg import eigh
from scipy.sparse.csgraph import laplacian
from sklearn.cluster import SpectralClustering
from sklearn.datasets import make_circles
from sklearn.manifold import spectral_embedding
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.pairwise import rbf_kernel
from threadpoolctl import ThreadpoolController

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

# BLAS/OpenMP thread start-up costs far more than these tiny problems: run them on one thread.
ONE_THREAD = ThreadpoolController()


def projector(U):
    """Orthogonal projector onto the column span of U."""
    Q, _ = np.linalg.qr(U)
    return Q @ Q.T


def ring_of_blobs(seed, k, n_per, std=0.4, radius=6.0):
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(k) / k + rng.uniform(0, 2 * np.pi)
    centres = radius * np.c_[np.cos(angles), np.sin(angles)]
    y = np.repeat(np.arange(k), n_per)
    return centres[y] + std * rng.normal(size=(k * n_per, 2)), y


@given(seed=seeds(), n=st.integers(1, 20), d=st.integers(1, 3), gamma=st.sampled_from([0.1, 0.5, 1.0, 4.0]))
@example(seed=0, n=1, d=1, gamma=1.0)
def test_rbf_affinity_matches_sklearn(kata, seed, n, d, gamma):
    X = np.random.default_rng(seed).normal(size=(n, d))
    call = describe_call("rbf_affinity", X, gamma)
    # exp of float64 squared distances: sklearn expands ||x||^2 + ||y||^2 - 2 x.y, ~1e-15 apart.
    assert_close(kata.rbf_affinity(X, gamma), rbf_kernel(X, gamma=gamma), rtol=1e-10, atol=1e-12,
                 name="affinity matrix", call=call)


@given(seed=seeds(), n=st.integers(2, 20), d=st.integers(1, 3), gamma=st.sampled_from([0.1, 0.5, 1.0]))
@example(seed=0, n=2, d=1, gamma=1.0)
def test_normalized_laplacian_matches_scipy(kata, seed, n, d, gamma):
    X = np.random.default_rng(seed).normal(size=(n, d))
    A = rbf_kernel(X, gamma=gamma)  # ones on the diagonal: self-loops that must be ignored
    want_L, want_dd = laplacian(A, normed=True, return_diag=True)
    call = describe_call("normalized_laplacian", A)
    L, dd = call_unmodified(kata.normalized_laplacian, A)
    assert_close(L, want_L, rtol=1e-10, atol=1e-12, name="Laplacian", call=call)
    assert_close(dd, want_dd, rtol=1e-10, atol=1e-12, name="sqrt(degrees)", call=call)


@given(seed=seeds(), n=st.integers(4, 30), d=st.integers(1, 3), gamma=st.sampled_from([0.2, 0.5, 1.0]),
       n_components=st.integers(1, 3))
@example(seed=0, n=4, d=1, gamma=0.5, n_components=1)
@example(seed=1, n=30, d=2, gamma=1.0, n_components=3)
def test_spectral_embedding_spans_sklearns_subspace(kata, seed, n, d, gamma, n_components):
    X = np.random.default_rng(seed).normal(size=(n, d)) * np.linspace(0.5, 2.0, n)[:, None]  # uneven degrees
    A = rbf_kernel(X, gamma=gamma)
    L = laplacian(A, normed=True)
    evals = eigh(L, eigvals_only=True)
    # The bottom-m eigenspace is well defined only with a gap to the next eigenvalue.
    assume(evals[n_components] - evals[n_components - 1] > 1e-3)
    call = describe_call("spectral_embedding", A, n_components)
    with ONE_THREAD.limit(limits=1):
        got = np.asarray(call_unmodified(kata.spectral_embedding, A, n_components), dtype=np.float64)
        want = spectral_embedding(A, n_components=n_components, norm_laplacian=True, drop_first=False,
                                  random_state=0)
    assert got.shape == (n, n_components), f"{call} returned shape {got.shape}, expected {(n, n_components)}"
    # Projectors onto the column spans: equal iff the embeddings differ by an invertible mixing of
    # columns (sign flips, rotations inside a repeated eigenvalue). ARPACK and eigh agree to ~1e-10
    # given the gap above.
    assert_close(projector(got), projector(want), rtol=0, atol=1e-6,
                 name="projector onto the span of the embedding columns", call=call)
    # The scale matters too: column j of D^{1/2} U must be a unit eigenvector of L.
    W = A.copy()
    np.fill_diagonal(W, 0.0)  # A.sum(1) - 1 would cancel catastrophically for an isolated point
    dd = np.sqrt(W.sum(1))
    V = got * dd[:, None]
    assert_close(np.linalg.norm(V, axis=0), np.ones(n_components), rtol=0, atol=1e-8,
                 name="norms of the columns of D^{1/2} U (each should be a unit eigenvector of L)", call=call)


@given(seed=seeds(), k=st.integers(2, 4), n_per=st.integers(5, 15), gamma=st.sampled_from([0.5, 1.0, 2.0]),
       random_state=st.integers(0, 100))
@example(seed=0, k=2, n_per=5, gamma=1.0, random_state=0)
@example(seed=1, k=4, n_per=15, gamma=0.5, random_state=7)
@settings(max_examples=15)  # two spectral clusterings with 10 k-means restarts each per example
def test_clusters_blobs_like_sklearn(kata, seed, k, n_per, gamma, random_state):
    X, y = ring_of_blobs(seed, k, n_per)
    call = describe_call(f"SpectralClusteringModel(n_clusters={k}, gamma={gamma}, random_state={random_state})"
                         ".fit_predict", X)
    with ONE_THREAD.limit(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Graph is not fully connected": the blobs barely touch
        got = np.asarray(kata.SpectralClusteringModel(n_clusters=k, gamma=gamma, random_state=random_state)
                         .fit_predict(X))
        want = SpectralClustering(n_clusters=k, affinity="rbf", gamma=gamma, random_state=random_state).fit(X).labels_
    assert got.shape == (len(X),), f"{call} returned shape {got.shape}, expected ({len(X)},)"
    if k >= 3:  # the label numbering comes from k-means' random starts: the same random_state gives the same one
        with ONE_THREAD.limit(limits=1), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(2):
                again = np.asarray(kata.SpectralClusteringModel(n_clusters=k, gamma=gamma, random_state=random_state)
                                   .fit_predict(X))
                assert_equal(again, got, name="labels of a second fit with the same random_state (pass it to KMeans)",
                             call=call)
    ari = adjusted_rand_score(want, got)
    assert ari == 1.0, (f"{call}: the clustering differs from sklearn's SpectralClustering "
                        f"(adjusted Rand index {ari:.4f}, expected 1.0)\n  got  {got.tolist()}\n  want {want.tolist()}")


@given(seed=seeds(), n=st.integers(40, 80), gamma=st.sampled_from([20.0, 30.0, 50.0]))
@example(seed=0, n=40, gamma=30.0)
@settings(max_examples=15)  # two spectral clusterings with 10 k-means restarts each per example
def test_separates_concentric_circles(kata, seed, n, gamma):
    """Two rings: k-means on the raw points cannot split them, spectral clustering can."""
    X, y = make_circles(n_samples=n, factor=0.3, noise=0.05, random_state=seed)
    with ONE_THREAD.limit(limits=1):
        want = SpectralClustering(n_clusters=2, affinity="rbf", gamma=gamma, random_state=0).fit(X).labels_
        assume(adjusted_rand_score(y, want) == 1.0)
        model = kata.SpectralClusteringModel(n_clusters=2, gamma=gamma, random_state=0).fit(X)
    call = describe_call(f"SpectralClusteringModel(n_clusters=2, gamma={gamma}).fit", X)
    assert_close(model.affinity_matrix_, rbf_kernel(X, gamma=gamma), rtol=1e-10, atol=1e-12,
                 name="affinity_matrix_", call=call)
    assert np.shape(model.embedding_) == (n, 2), f"{call}: embedding_ has shape {np.shape(model.embedding_)}, expected ({n}, 2)"
    ari = adjusted_rand_score(y, model.labels_)
    assert ari == 1.0, f"{call}: labels_ do not separate the two rings (adjusted Rand index {ari:.4f} with the truth)"

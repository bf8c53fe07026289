"""Plausible wrong versions of Isomap's pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from isomap import pairwise_distances


def _graph(X: np.ndarray, n_neighbors: int, *, directed: bool = False, self_neighbour: bool = False) -> np.ndarray:
    n = X.shape[0]
    if not 1 <= n_neighbors < n:
        raise ValueError("bad n_neighbors")
    dist = pairwise_distances(X)
    ranked = dist.copy()
    if not self_neighbour:
        np.fill_diagonal(ranked, np.inf)
    nearest = np.argsort(ranked, axis=1, kind="stable")[:, :n_neighbors]
    adj = np.zeros((n, n), dtype=bool)
    adj[np.repeat(np.arange(n), n_neighbors), nearest.ravel()] = True
    if not directed:
        adj |= adj.T
    G = np.where(adj, dist, np.inf)
    np.fill_diagonal(G, 0.0)
    return G


@pitfall(replaces="knn_graph", why="keeps only the edges i -> j for j a neighbour of i: a directed, asymmetric graph")
def directed_graph(X: np.ndarray, n_neighbors: int) -> np.ndarray:
    return _graph(X, n_neighbors, directed=True)


@pitfall(replaces="knn_graph", why="counts the point itself among its n_neighbors nearest")
def self_is_a_neighbour(X: np.ndarray, n_neighbors: int) -> np.ndarray:
    return _graph(X, n_neighbors, self_neighbour=True)


@pitfall(replaces="shortest_paths", why="one min-plus relaxation round: only paths of at most two edges")
def two_hops_only(G: np.ndarray) -> np.ndarray:
    D = np.array(G, dtype=np.float64)
    np.fill_diagonal(D, 0.0)
    return np.min(D[:, :, None] + D[None, :, :], axis=1)


@pitfall(replaces="shortest_paths", why="Floyd-Warshall with the intermediate vertex k as the innermost loop")
def k_innermost(G: np.ndarray) -> np.ndarray:
    D = np.array(G, dtype=np.float64)
    np.fill_diagonal(D, 0.0)
    n = D.shape[0]
    for i in range(n):
        for j in range(n):
            D[i, j] = min(D[i, j], float(np.min(D[i, :] + D[:, j])))
    return D


def _mds(D: np.ndarray, n_components: int, *, centre: bool = True, square: bool = True,
         scale: bool = True) -> np.ndarray:
    n = D.shape[0]
    M = D**2 if square else D
    J = np.eye(n) - 1.0 / n
    B = -0.5 * (J @ M @ J if centre else M)
    evals, evecs = np.linalg.eigh((B + B.T) / 2)
    order = np.argsort(evals)[::-1][:n_components]
    return evecs[:, order] * (np.sqrt(np.clip(evals[order], 0.0, None)) if scale else 1.0)


@pitfall(replaces="classical_mds", why="no double centring: eigendecomposes -D^2/2 itself")
def no_centring(D: np.ndarray, n_components: int) -> np.ndarray:
    return _mds(D, n_components, centre=False)


@pitfall(replaces="classical_mds", why="centres the distances D instead of the squared distances D^2")
def unsquared(D: np.ndarray, n_components: int) -> np.ndarray:
    return _mds(D, n_components, square=False)


@pitfall(replaces="classical_mds", why="returns the unit eigenvectors without scaling by sqrt(eigenvalue)")
def unscaled_eigenvectors(D: np.ndarray, n_components: int) -> np.ndarray:
    return _mds(D, n_components, scale=False)


@pitfall(replaces="shortest_paths", why="Floyd-Warshall on the caller's matrix itself: the right distances, but G is overwritten")
def floyd_warshall_in_place(G: np.ndarray) -> np.ndarray:
    D = G  # no copy: relaxes the caller's graph matrix
    np.fill_diagonal(D, 0.0)
    for k in range(D.shape[0]):  # Floyd-Warshall: allow paths through vertex k
        np.minimum(D, D[:, k : k + 1] + D[k : k + 1, :], out=D)
    return D

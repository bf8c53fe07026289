"""found-01-7: graph Laplacians and connected components. Edit this file; `grader check found-01-7` tests it."""
from __future__ import annotations

import numpy as np


def check_weights(W: np.ndarray) -> np.ndarray:
    """W as float64; ValueError unless it is a symmetric (n, n) matrix of non-negative weights."""
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != W.shape[1] or not np.array_equal(W, W.T) or np.any(W < 0):
        raise ValueError("W must be a symmetric (n, n) matrix of non-negative weights")
    return W


def laplacian(W: np.ndarray, normed: bool = False) -> np.ndarray:
    """The graph Laplacian of a weighted undirected graph, as scipy.sparse.csgraph.laplacian.

    Self-loops (the diagonal of W) are ignored. With degrees d_i = sum_j W[i, j] (j != i):
    normed=False gives L = D − W; normed=True gives L = I − D^(-1/2) W D^(-1/2), except that an
    isolated node (d_i = 0) gets 0, not 1, on the diagonal. W is left unchanged.

    Shapes:
        W: (n, n) symmetric, non-negative
        returns: (n, n) float64

    Raises:
        ValueError: if W is not square, symmetric and non-negative (check_weights).
    """
    raise NotImplementedError("laplacian: D - W, or its symmetric normalisation")


def count_components(W: np.ndarray, tol: float = 1e-8) -> int:
    """The number of connected components, counted as the zero eigenvalues of L = D − W.

    An eigenvalue λ of laplacian(W) counts as zero when λ <= tol · d_max, d_max the largest degree
    (so an edgeless graph, d_max = 0, has n components). Edges of any positive weight connect.

    Shapes:
        W: (n, n) symmetric, non-negative
        returns: an int

    Raises:
        ValueError: if W is not square, symmetric and non-negative.
    """
    raise NotImplementedError("count_components: count the (numerically) zero eigenvalues of L")


def component_labels(W: np.ndarray, tol: float = 1e-8) -> np.ndarray:
    """Which component each node is in, read off the null space of L = D − W.

    The eigenvectors of the c = count_components(W, tol) smallest eigenvalues span the indicator
    vectors of the components, so two nodes share a component exactly when their rows of that
    (n, c) eigenvector matrix coincide (rows of different components are orthogonal, at distance
    >= sqrt(2/n)). Labels are numbered by first appearance: node 0 has label 0, the lowest node
    not in its component has label 1, and so on (scipy.sparse.csgraph's numbering).

    Shapes:
        W: (n, n) symmetric, non-negative
        returns: (n,) int64

    Raises:
        ValueError: if W is not square, symmetric and non-negative.
    """
    raise NotImplementedError("component_labels: group nodes whose null-space rows coincide")

"""ml-04-2: k-means (Lloyd's algorithm) with k-means++ seeding. Edit this file; `grader check ml-04-2` tests it."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class KMeansResult(NamedTuple):
    """What `lloyd` returns (given: you do not need to change it)."""

    centers: np.ndarray  # (k, d) float64: the final centres
    labels: np.ndarray  # (n,) int: index of the nearest final centre for every point
    inertia: float  # sum of squared distances from each point to its nearest final centre
    n_iter: int  # number of assignment + update steps that were run
    inertia_history: list[float]  # inertia of each assignment step, one per iteration


def squared_distances(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """(n, k) squared Euclidean distances between every point and every centre (given)."""
    diff = X[:, None, :] - centers[None, :, :]
    return np.einsum("nkd,nkd->nk", diff, diff)


def kmeans_plus_plus_init(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding (Arthur & Vassilvitskii, 2007).

    The first centre is a data point chosen uniformly at random. Each next centre is a data point
    chosen with probability D(x)^2 / sum_x' D(x')^2, where D(x) is the distance from x to the
    nearest centre chosen so far. Draw every random number from `rng` (never np.random.*), so the
    same seed gives the same centres.

    Shapes:
        X: (n, d) float64, distinct points
        returns: (k, d) float64, rows are rows of X, in the order they were chosen

    Raises:
        ValueError: unless 1 <= k <= n.
    """
    raise NotImplementedError("kmeans_plus_plus_init: pick k centres by D^2 sampling")


def lloyd(X: np.ndarray, init_centers: np.ndarray, max_iter: int = 300, tol: float = 0.0) -> KMeansResult:
    """Lloyd's algorithm from the given initial centres, run the way sklearn's KMeans(algorithm="lloyd") runs it.

    Each iteration (at most `max_iter`):
      1. assignment: label every point with its nearest centre (ties go to the lower index, as
         `argmin` does) and append this step's inertia (sum of squared distances to those centres)
         to `inertia_history`;
      2. empty clusters: if a cluster got no point, give it the point farthest from its assigned
         centre (several empty clusters take the farthest points in decreasing distance order, in
         increasing cluster order), moving that point out of its old cluster for this update. If
         every point sits exactly on its centre (all those distances are 0: more clusters than
         distinct points), no point moves and an empty cluster keeps its centre (sklearn moves no
         point either, but parks the empty centre on the largest cluster's);
      3. update: every centre becomes the mean of its points.
    Stop after the iteration whose labels (those of step 1, before any point moved in step 2)
    equal the previous iteration's, or whose total squared centre movement
    sum_j ||c_j_new - c_j_old||^2 is <= tol (an absolute tolerance), or after max_iter iterations
    (max_iter = 0 runs none: the initial centres come back, n_iter = 0). The returned labels and
    inertia belong to the returned centres: if you stopped on tol or max_iter, assign the points
    once more.

    Shapes:
        X: (n, d) float64
        init_centers: (k, d) float64 (not modified)
        returns: KMeansResult(centers (k, d), labels (n,), inertia, n_iter, inertia_history [n_iter])
    """
    raise NotImplementedError("lloyd: alternate assignment and mean updates until the labels stop changing")

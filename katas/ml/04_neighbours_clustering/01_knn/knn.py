"""ml-04-1: k-nearest-neighbours classifier with custom distance metrics. Edit this file; `grader check ml-04-1` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

Metric = str | Callable[[np.ndarray, np.ndarray], float]


def pairwise_distances(X: np.ndarray, Y: np.ndarray, metric: Metric = "euclidean", p: float = 2.0) -> np.ndarray:
    """Distances between every row of X and every row of Y.

    metric:
        "euclidean"  sqrt(sum_j (x_j - y_j)^2)
        "manhattan"  sum_j |x_j - y_j|
        "minkowski"  (sum_j |x_j - y_j|^p)^(1/p), for p >= 1
        a callable   metric(x, y) -> float on two 1-D rows (as sklearn calls it)

    Shapes:
        X: (n_x, d) float64
        Y: (n_y, d) float64
        returns: (n_x, n_y) float64

    Raises:
        ValueError: for an unknown metric name, or minkowski with p < 1.
    """
    raise NotImplementedError("pairwise_distances: the (n_x, n_y) distance matrix")


class KNNClassifier:
    """k-nearest-neighbours classifier, a brute-force twin of sklearn's KNeighborsClassifier.

    Hyperparameters (stored unchanged by __init__):
        n_neighbors: k, the number of neighbours that vote
        metric, p:   as in `pairwise_distances`
        weights:     "uniform" (one vote each) or "distance" (a vote of 1/distance; if some of a
                     query's neighbours are at distance 0, only those vote, with weight 1 each)

    Fitted attributes (set by fit):
        classes_:    (n_classes,) the sorted distinct labels of y (np.unique)
        plus whatever you need to store the training data.
    """

    def __init__(self, n_neighbors: int = 5, metric: Metric = "euclidean", p: float = 2.0,
                 weights: str = "uniform") -> None:
        self.n_neighbors = n_neighbors
        self.metric = metric
        self.p = p
        self.weights = weights

    def fit(self, X: np.ndarray, y: np.ndarray) -> KNNClassifier:
        """Memorise the training set; returns self.

        Shapes:
            X: (n, d) float64
            y: (n,) labels of any sortable dtype (ints, strings)

        Raises:
            ValueError: if weights is not "uniform" or "distance".
        """
        raise NotImplementedError("fit: store X, the classes and the encoded labels")

    def kneighbors(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest training points of every query row, nearest first.

        Shapes:
            X: (q, d) float64
            returns: (distances (q, k) float64 ascending along each row,
                      indices (q, k) int into the training set)

        Raises:
            ValueError: unless 1 <= n_neighbors <= number of training points.
        """
        raise NotImplementedError("kneighbors: sort each row of the distance matrix")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Share of the (weighted) votes each class gets among the k nearest neighbours.

        Shapes:
            X: (q, d) float64
            returns: (q, n_classes) float64, columns in the order of classes_, rows sum to 1
        """
        raise NotImplementedError("predict_proba: (weighted) votes per class, normalised")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The class with the most (weighted) votes; a tie goes to the smallest label.

        Shapes:
            X: (q, d) float64
            returns: (q,) labels taken from classes_ (same dtype as the y given to fit)
        """
        raise NotImplementedError("predict: the winning class of every query")

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean accuracy of predict(X) against y."""
        raise NotImplementedError("score: mean accuracy")

"""Plausible wrong KNN implementations that the tests must reject."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from knn import KNNClassifier, Metric


@pitfall(replaces="pairwise_distances", why="minkowski without the 1/p root: same neighbours, wrong distances")
def minkowski_without_root(X: np.ndarray, Y: np.ndarray, metric: Metric = "euclidean", p: float = 2.0) -> np.ndarray:
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    if callable(metric):
        return np.array([[float(metric(x, y)) for y in Y] for x in X]).reshape(len(X), len(Y))
    diff = np.abs(X[:, None, :] - Y[None, :, :])
    if metric == "euclidean":
        return np.sqrt((diff**2).sum(-1))
    if metric == "manhattan":
        return diff.sum(-1)
    if metric == "minkowski":
        return (diff**p).sum(-1)
    raise ValueError(metric)


@pitfall(replaces="pairwise_distances", why="ignores p: 'minkowski' is always the Euclidean distance")
def minkowski_ignores_p(X: np.ndarray, Y: np.ndarray, metric: Metric = "euclidean", p: float = 2.0) -> np.ndarray:
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    if callable(metric):
        return np.array([[float(metric(x, y)) for y in Y] for x in X]).reshape(len(X), len(Y))
    diff = np.abs(X[:, None, :] - Y[None, :, :])
    if metric == "manhattan":
        return diff.sum(-1)
    if metric in ("euclidean", "minkowski"):
        return np.sqrt((diff**2).sum(-1))
    raise ValueError(metric)


@pitfall(replaces="KNNClassifier.predict", why="Counter.most_common: a tied vote goes to the nearest neighbour's label")
def tie_to_nearest(self: KNNClassifier, X: np.ndarray) -> np.ndarray:
    if self.weights == "distance":
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
    _, ind = self.kneighbors(X)
    return np.array([Counter(self.classes_[self.y_encoded_[row]].tolist()).most_common(1)[0][0] for row in ind])


@pitfall(replaces="KNNClassifier.predict", why="returns the encoded class index, not the label from classes_")
def returns_class_index(self: KNNClassifier, X: np.ndarray) -> np.ndarray:
    return np.argmax(self.predict_proba(X), axis=1)


@pitfall(replaces="KNNClassifier.predict_proba", why="weights='distance' ignored: every neighbour votes 1")
def ignores_distance_weights(self: KNNClassifier, X: np.ndarray) -> np.ndarray:
    _, ind = self.kneighbors(X)
    proba = np.zeros((len(ind), len(self.classes_)))
    np.add.at(proba, (np.arange(len(ind))[:, None], self.y_encoded_[ind]), 1.0)
    return proba / proba.sum(axis=1, keepdims=True)


@pitfall(replaces="KNNClassifier.predict_proba", why="plain 1/d weights: a query on a training point gives inf/inf = NaN")
def naive_inverse_distance(self: KNNClassifier, X: np.ndarray) -> np.ndarray:
    dist, ind = self.kneighbors(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.ones_like(dist) if self.weights == "uniform" else 1.0 / dist
        proba = np.zeros((len(ind), len(self.classes_)))
        np.add.at(proba, (np.arange(len(ind))[:, None], self.y_encoded_[ind]), w)
        return proba / proba.sum(axis=1, keepdims=True)

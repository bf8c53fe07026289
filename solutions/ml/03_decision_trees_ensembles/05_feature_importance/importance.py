"""Reference solution for ml-03-5."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

TREE_LEAF = -1


class PermutationImportance(NamedTuple):
    """What `permutation_importance` returns (given: you do not need to change it)."""

    importances: np.ndarray  # (n_features, n_repeats): baseline score - score with column j permuted
    importances_mean: np.ndarray  # (n_features,)
    importances_std: np.ndarray  # (n_features,), population std (ddof=0)


def tree_impurity_importances(tree: Any) -> np.ndarray:
    left, right = np.asarray(tree.children_left), np.asarray(tree.children_right)
    w = np.asarray(tree.weighted_n_node_samples, dtype=np.float64)
    imp = np.asarray(tree.impurity, dtype=np.float64)
    feature = np.asarray(tree.feature)
    out = np.zeros(tree.n_features)
    for v in np.flatnonzero(left != TREE_LEAF):
        out[feature[v]] += w[v] * imp[v] - w[left[v]] * imp[left[v]] - w[right[v]] * imp[right[v]]
    out /= w[0]
    total = out.sum()
    return out / total if total > 0 else out


def forest_impurity_importances(trees: list[Any]) -> np.ndarray:
    per_tree = [tree_impurity_importances(t) for t in trees if t.node_count > 1]
    if not per_tree:
        return np.zeros(trees[0].n_features)
    mean = np.mean(per_tree, axis=0)
    return mean / mean.sum()


def permutation_importance(score: Callable[[np.ndarray, np.ndarray], float], X: np.ndarray, y: np.ndarray,
                           permutations: np.ndarray) -> PermutationImportance:
    X = np.asarray(X)
    perms = np.asarray(permutations)
    n_features, n_repeats, _ = perms.shape
    baseline = float(score(X, y))
    importances = np.empty((n_features, n_repeats))
    for j in range(n_features):
        Xp = X.copy()
        for r in range(n_repeats):
            Xp[:, j] = X[perms[j, r], j]
            importances[j, r] = baseline - float(score(Xp, y))
    return PermutationImportance(importances, importances.mean(axis=1), importances.std(axis=1))

"""ml-03-5: impurity-based and permutation feature importance. Edit this file; `grader check ml-03-5` tests it.

`tree` below is a fitted scikit-learn tree structure, `est.tree_` (any object with the same
attributes works): node 0 is the root, and for every node v
    tree.children_left[v], tree.children_right[v]   child ids, -1 (TREE_LEAF) for a leaf
    tree.feature[v]                                  the feature node v splits on (internal nodes)
    tree.impurity[v]                                 impurity of the node's training samples
    tree.weighted_n_node_samples[v]                  total sample weight reaching the node
and tree.n_features, tree.node_count.
"""
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
    """Mean decrease in impurity (MDI) of each feature in one tree, normalised to sum to 1.

    For every internal node v with children l, r: credit feature[v] with
        W_v * impurity[v] - W_l * impurity[l] - W_r * impurity[r]      (W = weighted_n_node_samples)
    then divide by W_root and normalise the vector to sum 1 (all zeros stay zeros: a single-leaf tree).

    Shapes:
        returns: (tree.n_features,) float64
    """
    raise NotImplementedError("tree_impurity_importances: weighted impurity decrease per feature, normalised")


def forest_impurity_importances(trees: list[Any]) -> np.ndarray:
    """sklearn's forest importances: the mean of the per-tree normalised importances over the trees
    with more than one node, renormalised to sum 1 (all zeros if no tree has a split).

    Shapes:
        trees: list of tree structures with the same n_features
        returns: (n_features,) float64
    """
    raise NotImplementedError("forest_impurity_importances: average the normalised tree importances")


def permutation_importance(score: Callable[[np.ndarray, np.ndarray], float], X: np.ndarray, y: np.ndarray,
                           permutations: np.ndarray) -> PermutationImportance:
    """Permutation importance with the permutations supplied.

    importances[j, r] = score(X, y) - score(X_jr, y), where X_jr is a copy of X whose column j is
    replaced by X[permutations[j, r], j] (every repeat permutes the original column; the other
    columns are untouched). Call score once for the baseline and once per (j, r); never modify X.

    Shapes:
        X: (n, n_features); y: (n,); permutations: (n_features, n_repeats, n) int
        returns: PermutationImportance(importances (n_features, n_repeats), mean and std over repeats)
    """
    raise NotImplementedError("permutation_importance: baseline minus the score with one column shuffled")

"""ml-03-3: minimal cost-complexity pruning. Edit this file; `grader check ml-03-3` tests it.

`tree` below is a fitted scikit-learn tree structure, `est.tree_` (any object with the same
attributes works): node 0 is the root, and for every node v
    tree.children_left[v], tree.children_right[v]   child ids, -1 (TREE_LEAF) for a leaf
    tree.impurity[v]                                 impurity of the node's training samples
    tree.weighted_n_node_samples[v]                  total sample weight reaching the node
A pruned subtree is given as `kept`, a (n_nodes,) bool mask of the nodes it keeps.
"""
from __future__ import annotations

from typing import Any

import numpy as np

TREE_LEAF = -1


def subtree_leaves(tree: Any, kept: np.ndarray) -> np.ndarray:
    """(n_nodes,) bool: the kept nodes that are leaves of the pruned subtree (given)."""
    left = np.asarray(tree.children_left)
    kept = np.asarray(kept, dtype=bool)
    internal = left != TREE_LEAF
    leaf = kept & ~internal
    leaf[internal] = kept[internal] & ~kept[left[internal]]
    return leaf


def node_risk(tree: Any) -> np.ndarray:
    """R(t) = W_t / W_root * impurity(t) for every node: its impurity weighted by its share of the data.

    Shapes:
        returns: (n_nodes,) float64
    """
    raise NotImplementedError("node_risk: weighted_n_node_samples * impurity / weighted_n_node_samples[0]")


def total_leaf_impurity(tree: Any, kept: np.ndarray) -> float:
    """R(T) of the pruned subtree `kept`: the sum of R(t) over its leaves."""
    raise NotImplementedError("total_leaf_impurity: sum node_risk over the subtree's leaves")


def cost_complexity_pruning_path(tree: Any) -> tuple[np.ndarray, np.ndarray]:
    """The weakest-link pruning sequence, like sklearn's cost_complexity_pruning_path.

    Start from the whole tree: ccp_alphas[0] = 0.0, impurities[0] = R(T). Then repeatedly, while
    the root still has children: for every internal node t of the current subtree compute
        g(t) = (R(t) - R(T_t)) / (|leaves(T_t)| - 1)
    (T_t = the current branch below t), cut below the node with the smallest g (it becomes a leaf),
    and append that g and the new R(T). Nodes tied on g may be cut one per step or together.

    Shapes:
        returns: (ccp_alphas (m,), impurities (m,)), both float64; ccp_alphas non-decreasing
    """
    raise NotImplementedError("cost_complexity_pruning_path: repeatedly cut the weakest link")


def prune(tree: Any, ccp_alpha: float) -> np.ndarray:
    """The subtree sklearn keeps for ccp_alpha: cut weakest links while their g <= ccp_alpha.

    Shapes:
        returns: (n_nodes,) bool mask of the kept nodes (the root always kept; a node's two
        children are either both kept or both removed)
    """
    raise NotImplementedError("prune: weakest-link cutting, stopping at the first g > ccp_alpha")

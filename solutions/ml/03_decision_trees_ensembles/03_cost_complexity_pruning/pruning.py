"""Reference solution for ml-03-3."""
from __future__ import annotations

from typing import Any

import numpy as np

TREE_LEAF = -1


def node_risk(tree: Any) -> np.ndarray:
    w = np.asarray(tree.weighted_n_node_samples, dtype=np.float64)
    return w * np.asarray(tree.impurity, dtype=np.float64) / w[0]


def subtree_leaves(tree: Any, kept: np.ndarray) -> np.ndarray:
    """(n_nodes,) bool: the kept nodes that are leaves of the pruned subtree (given)."""
    left = np.asarray(tree.children_left)
    kept = np.asarray(kept, dtype=bool)
    internal = left != TREE_LEAF
    leaf = kept & ~internal
    leaf[internal] = kept[internal] & ~kept[left[internal]]
    return leaf


def total_leaf_impurity(tree: Any, kept: np.ndarray) -> float:
    return float(node_risk(tree)[subtree_leaves(tree, kept)].sum())


def _weakest_link_steps(tree: Any, ccp_alpha: float | None) -> tuple[list[float], list[float], np.ndarray]:
    left = np.asarray(tree.children_left)
    right = np.asarray(tree.children_right)
    n = len(left)
    r = node_risk(tree)
    kept = np.ones(n, dtype=bool)
    parent = np.full(n, -1)
    for v in range(n):
        if left[v] != TREE_LEAF:
            parent[left[v]] = v
            parent[right[v]] = v
    alphas, impurities = [0.0], [total_leaf_impurity(tree, kept)]
    while True:
        leaves = subtree_leaves(tree, kept)
        # R(T_t) and |leaves(T_t)| of every kept internal node, by bubbling leaves up to the root.
        r_branch = np.zeros(n)
        n_leaves = np.zeros(n, dtype=np.int64)
        for leaf in np.flatnonzero(leaves):
            v = leaf
            while v != -1:
                r_branch[v] += r[leaf]
                n_leaves[v] += 1
                v = parent[v]
        candidates = np.flatnonzero(kept & ~leaves)
        if candidates.size == 0:
            break
        g = (r[candidates] - r_branch[candidates]) / (n_leaves[candidates] - 1)
        k = int(np.argmin(g))
        if ccp_alpha is not None and g[k] > ccp_alpha:
            break
        # Cut below the weakest link: drop every descendant of candidates[k].
        stack = [int(left[candidates[k]]), int(right[candidates[k]])]
        while stack:
            v = stack.pop()
            kept[v] = False
            if left[v] != TREE_LEAF:
                stack += [int(left[v]), int(right[v])]
        alphas.append(float(g[k]))
        impurities.append(total_leaf_impurity(tree, kept))
    return alphas, impurities, kept


def cost_complexity_pruning_path(tree: Any) -> tuple[np.ndarray, np.ndarray]:
    alphas, impurities, _ = _weakest_link_steps(tree, None)
    return np.array(alphas), np.array(impurities)


def prune(tree: Any, ccp_alpha: float) -> np.ndarray:
    return _weakest_link_steps(tree, ccp_alpha)[2]

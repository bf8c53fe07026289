"""Plausible wrong cost-complexity pruning steps that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pruning import TREE_LEAF, node_risk, subtree_leaves, total_leaf_impurity


@pitfall(replaces="node_risk", why="uses the raw node impurity, not weighted by the node's share of the data")
def unweighted_risk(tree: Any) -> np.ndarray:
    return np.asarray(tree.impurity, dtype=np.float64).copy()


@pitfall(replaces="node_risk", why="weights by n_node_samples (counts) instead of weighted_n_node_samples")
def count_weighted_risk(tree: Any) -> np.ndarray:
    n = np.asarray(tree.n_node_samples, dtype=np.float64)
    return n * np.asarray(tree.impurity, dtype=np.float64) / n[0]


def _steps(tree: Any, ccp_alpha: float | None, *, leaves_minus_one: bool = True,
           max_cuts: int | None = None) -> tuple[list, list, np.ndarray]:
    left, right = np.asarray(tree.children_left), np.asarray(tree.children_right)
    n = len(left)
    r = node_risk(tree)
    kept = np.ones(n, dtype=bool)
    parent = np.full(n, -1)
    for v in range(n):
        if left[v] != TREE_LEAF:
            parent[left[v]] = parent[right[v]] = v
    alphas, imps = [0.0], [total_leaf_impurity(tree, kept)]
    while True:
        leaves = subtree_leaves(tree, kept)
        rb, nl = np.zeros(n), np.zeros(n)
        for leaf in np.flatnonzero(leaves):
            v = leaf
            while v != -1:
                rb[v] += r[leaf]
                nl[v] += 1
                v = parent[v]
        cand = np.flatnonzero(kept & ~leaves)
        if cand.size == 0:
            break
        g = (r[cand] - rb[cand]) / (nl[cand] - 1 if leaves_minus_one else nl[cand])
        k = int(np.argmin(g))
        if ccp_alpha is not None and g[k] > ccp_alpha or max_cuts is not None and len(alphas) > max_cuts:
            break
        stack = [int(left[cand[k]]), int(right[cand[k]])]
        while stack:
            v = stack.pop()
            kept[v] = False
            if left[v] != TREE_LEAF:
                stack += [int(left[v]), int(right[v])]
        alphas.append(float(g[k]))
        imps.append(total_leaf_impurity(tree, kept))
    return alphas, imps, kept


@pitfall(replaces="cost_complexity_pruning_path", why="divides by |leaves(T_t)| instead of |leaves(T_t)| - 1")
def divides_by_all_leaves(tree: Any) -> tuple[np.ndarray, np.ndarray]:
    a, i, _ = _steps(tree, None, leaves_minus_one=False)
    return np.array(a), np.array(i)


@pitfall(replaces="prune", why="computes g once on the full tree and cuts every node with g <= alpha (no recomputation)")
def one_shot_prune(tree: Any, ccp_alpha: float) -> np.ndarray:
    left, right = np.asarray(tree.children_left), np.asarray(tree.children_right)
    n = len(left)
    r = node_risk(tree)
    rb, nl = np.zeros(n), np.zeros(n)
    for v in range(n - 1, -1, -1):  # children have larger ids than their parent (preorder)
        if left[v] == TREE_LEAF:
            rb[v], nl[v] = r[v], 1
        else:
            rb[v], nl[v] = rb[left[v]] + rb[right[v]], nl[left[v]] + nl[right[v]]
    kept = np.ones(n, dtype=bool)
    for v in range(n):
        if kept[v] and left[v] != TREE_LEAF and (r[v] - rb[v]) / (nl[v] - 1) <= ccp_alpha:
            stack = [int(left[v]), int(right[v])]
            while stack:
                u = stack.pop()
                kept[u] = False
                if left[u] != TREE_LEAF:
                    stack += [int(left[u]), int(right[u])]
    return kept


@pitfall(replaces="prune", why="cuts only the single weakest link, however large alpha is")
def single_cut(tree: Any, ccp_alpha: float) -> np.ndarray:
    return _steps(tree, ccp_alpha, max_cuts=1)[2]

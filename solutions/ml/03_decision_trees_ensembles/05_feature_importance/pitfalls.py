"""Plausible wrong feature importances that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from importance import TREE_LEAF, PermutationImportance, permutation_importance


def _raw(tree: Any, weights: str = "weighted") -> np.ndarray:
    left, right = np.asarray(tree.children_left), np.asarray(tree.children_right)
    if weights == "weighted":
        w = np.asarray(tree.weighted_n_node_samples, dtype=np.float64)
    elif weights == "counts":
        w = np.asarray(tree.n_node_samples, dtype=np.float64)
    else:
        w = np.ones(len(left))
    imp = np.asarray(tree.impurity, dtype=np.float64)
    out = np.zeros(tree.n_features)
    for v in np.flatnonzero(left != TREE_LEAF):
        out[tree.feature[v]] += w[v] * imp[v] - w[left[v]] * imp[left[v]] - w[right[v]] * imp[right[v]]
    return out / w[0]


def _normalise(v: np.ndarray) -> np.ndarray:
    return v / v.sum() if v.sum() > 0 else v


@pitfall(replaces="tree_impurity_importances", why="forgets to normalise: returns the raw decreases / W_root")
def not_normalised(tree: Any) -> np.ndarray:
    return _raw(tree)


@pitfall(replaces="tree_impurity_importances", why="weights nodes by n_node_samples instead of weighted_n_node_samples")
def count_weighted(tree: Any) -> np.ndarray:
    return _normalise(_raw(tree, "counts"))


@pitfall(replaces="tree_impurity_importances", why="sums the unweighted impurity drops I(v) - I(l) - I(r)")
def unweighted_drops(tree: Any) -> np.ndarray:
    return _normalise(_raw(tree, "none"))


@pitfall(replaces="forest_impurity_importances", why="sums the raw per-tree decreases and normalises once at the end")
def pooled_raw(trees: list[Any]) -> np.ndarray:
    return _normalise(np.sum([_raw(t) for t in trees], axis=0))


@pitfall(replaces="permutation_importance", why="sign flipped: permuted score minus baseline")
def flipped_sign(score: Callable[[np.ndarray, np.ndarray], float], X: np.ndarray, y: np.ndarray,
                 permutations: np.ndarray) -> PermutationImportance:
    res = _solution_pi(score, X, y, permutations)
    return PermutationImportance(-res.importances, -res.importances_mean, res.importances_std)


_solution_pi = permutation_importance


@pitfall(replaces="permutation_importance", why="shuffles X in place and never restores it: later features see earlier shuffles")
def in_place(score: Callable[[np.ndarray, np.ndarray], float], X: np.ndarray, y: np.ndarray,
             permutations: np.ndarray) -> PermutationImportance:
    perms = np.asarray(permutations)
    base = float(score(X, y))
    imp = np.empty(perms.shape[:2])
    for j in range(perms.shape[0]):
        col = X[:, j].copy()
        for r in range(perms.shape[1]):
            X[:, j] = col[perms[j, r]]
            imp[j, r] = base - float(score(X, y))
    return PermutationImportance(imp, imp.mean(1), imp.std(1))


@pitfall(replaces="permutation_importance", why="sample standard deviation (ddof=1) instead of sklearn's ddof=0")
def sample_std(score: Callable[[np.ndarray, np.ndarray], float], X: np.ndarray, y: np.ndarray,
               permutations: np.ndarray) -> PermutationImportance:
    res = _solution_pi(score, X, y, permutations)
    n_rep = res.importances.shape[1]
    std = res.importances.std(axis=1, ddof=1) if n_rep > 1 else np.zeros(len(res.importances))
    return PermutationImportance(res.importances, res.importances_mean, std)


@pitfall(replaces="permutation_importance", why="permutes whole rows of X (every column at once) instead of one column")
def permutes_rows(score: Callable[[np.ndarray, np.ndarray], float], X: np.ndarray, y: np.ndarray,
                  permutations: np.ndarray) -> PermutationImportance:
    perms = np.asarray(permutations)
    base = float(score(X, y))
    imp = np.array([[base - float(score(X[p], y)) for p in row] for row in perms])
    return PermutationImportance(imp, imp.mean(1), imp.std(1))

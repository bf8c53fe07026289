"""ret-02-4: Annoy-style random-projection trees. Edit this file; `grader check ret-02-4` tests it.

Given: the Leaf and Split nodes and `leaves`. You write: bisector, build_tree, build_forest,
candidates, forest_search. Distances are squared Euclidean.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Leaf:
    """The ids stored in one leaf, in increasing order."""

    ids: np.ndarray


@dataclass
class Split:
    """An inner node: x goes right when x @ normal - offset > 0, left otherwise."""

    normal: np.ndarray
    offset: float
    left: Leaf | Split
    right: Leaf | Split


def leaves(node: Leaf | Split) -> list[np.ndarray]:
    """The id arrays of every leaf under node, left to right."""
    if isinstance(node, Leaf):
        return [node.ids]
    return leaves(node.left) + leaves(node.right)


def bisector(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    """The hyperplane equidistant from a and b: (normal, offset) with normal = a - b and
    offset = (|a|^2 - |b|^2) / 2, so x @ normal - offset > 0 exactly when x is closer to a than to b.

    Shapes:
        a, b: (d,); returns: (normal (d,) float64, offset float)
    """
    raise NotImplementedError("bisector: the perpendicular bisector of a and b")


def build_tree(x: np.ndarray, ids: np.ndarray, leaf_size: int, rng: np.random.Generator) -> Leaf | Split:
    """One Annoy tree over the rows `ids` of x.

    At most leaf_size ids: a Leaf with the ids sorted. Otherwise draw two distinct ids with
    i, j = rng.choice(ids, size=2, replace=False), split by bisector(x[i], x[j]) (right: side > 0,
    left: side <= 0) and recurse into left, then right. If one side would be empty (duplicate
    points), split rng.permutation(ids) into its first len(ids) // 2 ids (left) and the rest
    (right), with a zero normal and offset 0.

    Shapes:
        x: (n, d); ids: (m,) int; returns: the root node
    """
    raise NotImplementedError("build_tree: two random points, their bisector, recurse")


def build_forest(x: np.ndarray, n_trees: int, leaf_size: int, seed: int) -> list[Leaf | Split]:
    """n_trees trees over all rows of x, built one after another from ONE np.random.default_rng(seed).

    Raises:
        ValueError: if n_trees < 1 or leaf_size < 1.
    """
    raise NotImplementedError("build_forest: one generator, n_trees calls of build_tree")


def candidates(forest: list[Leaf | Split], q: np.ndarray, search_k: int) -> np.ndarray:
    """Annoy's search: a max-priority queue over nodes of all trees.

    Every root enters with priority +inf. Pop the node of highest priority (equal priorities: the
    one pushed first); a Leaf adds its ids to the candidates; a Split with margin
    m = q @ normal - offset pushes its right child with priority min(p, m), then its left child with
    min(p, -m). Stop as soon as there are at least search_k distinct candidates, or nothing is left.

    Shapes:
        q: (d,); returns: the distinct candidate ids, sorted, int64
    """
    raise NotImplementedError("candidates: best-first over the margins of all trees")


def forest_search(forest: list[Leaf | Split], x: np.ndarray, q: np.ndarray, k: int,
                  search_k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k candidates nearest to q (exact distances among candidates(forest, q, search_k)),
    smallest first, ties by increasing id; missing places get +inf and -1.

    Shapes:
        returns: (distances (k,) float64, ids (k,) int64)

    Raises:
        ValueError: if k < 1 or search_k < 1.
    """
    raise NotImplementedError("forest_search: candidates, then exact re-ranking")

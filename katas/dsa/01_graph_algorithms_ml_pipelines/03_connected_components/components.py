"""dsa-01-3: connected components with union-find. Edit this file; `grader check dsa-01-3` tests it."""
from __future__ import annotations

import numpy as np


def find(parent: list[int], x: int) -> int:
    """The root of x's tree in a union-find forest, compressing the path on the way (parent is updated)."""
    raise NotImplementedError("find: follow parent pointers to the root, then point them at it")


def connected_components(n: int, edges: list[tuple[int, int]]) -> tuple[int, np.ndarray]:
    """Connected components of the undirected graph on nodes 0 .. n-1, by union-find.

    Union the endpoints of every edge (self-loops and repeated edges are allowed). Labels are
    numbered by first appearance: node 0 has label 0, the lowest node outside its component label 1,
    and so on (scipy.sparse.csgraph's numbering).

    Returns:
        (the number of components, labels (n,) int64)

    Raises:
        ValueError: if n < 0 or an edge names a node outside 0 .. n-1.
    """
    raise NotImplementedError("connected_components: union the edges, then label the roots")

"""dsa-04-2: a B-tree with insert, search and range scan. Edit this file; `grader check dsa-04-2` tests it."""
from __future__ import annotations

import bisect  # noqa: F401  (bisect_left finds a key's position in a node)
from collections.abc import Iterator
from typing import Any


class BTreeNode:
    """One page: sorted keys, their values, and (in an inner node) len(keys) + 1 children."""

    def __init__(self) -> None:
        self.keys: list[Any] = []
        self.values: list[Any] = []
        self.children: list[BTreeNode] = []  # empty for a leaf

    @property
    def leaf(self) -> bool:
        return not self.children


class BTree:
    """A B-tree of minimum degree t: every non-root node holds t-1 .. 2t-1 keys, all leaves at one depth."""

    def __init__(self, t: int = 2) -> None:
        if t < 2:
            raise ValueError(f"the minimum degree t must be >= 2, got {t}")
        self.t = t
        self.root = BTreeNode()
        self.size = 0
        self.loads = 0  # node loads ("disk reads") so far

    def load(self, node: BTreeNode) -> BTreeNode:
        """Read a node from 'disk': counts the load, returns the node."""
        self.loads += 1
        return node

    def split_child(self, parent: BTreeNode, i: int) -> None:
        """Split the full child parent.children[i] (2t-1 keys): its median key (and value) moves up into
        parent at position i; the keys right of the median (and its last t children) go to a new
        node inserted at parent.children[i + 1]."""
        raise NotImplementedError("split_child: median up, right half into a new sibling")

    def insert(self, key: Any, value: Any) -> None:
        """Insert key with value, or replace the value if key is present. Splits every full node on the
        way down (the root first, growing the tree by one level)."""
        raise NotImplementedError("insert: split a full root, then descend splitting full children")

    def get(self, key: Any, default: Any = None) -> Any:
        """The value stored for key, or default. Loads (self.load) only the nodes on one root-to-leaf path."""
        raise NotImplementedError("get: binary search in the node, descend into the right child")

    def range_scan(self, lo: Any, hi: Any) -> Iterator[tuple[Any, Any]]:
        """(key, value) for every key with lo <= key <= hi, in ascending key order."""
        raise NotImplementedError("range_scan: in-order walk skipping subtrees outside [lo, hi]")

    def __len__(self) -> int:
        """The number of keys stored."""
        raise NotImplementedError("__len__")

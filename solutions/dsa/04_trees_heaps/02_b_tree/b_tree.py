"""Reference solution for dsa-04-2."""
from __future__ import annotations

import bisect
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
        t, y = self.t, parent.children[i]
        z = BTreeNode()
        z.keys, z.values = y.keys[t:], y.values[t:]
        if not y.leaf:
            z.children, y.children = y.children[t:], y.children[:t]
        parent.keys.insert(i, y.keys[t - 1])
        parent.values.insert(i, y.values[t - 1])
        parent.children.insert(i + 1, z)
        y.keys, y.values = y.keys[:t - 1], y.values[:t - 1]

    def insert(self, key: Any, value: Any) -> None:
        t = self.t
        if len(self.root.keys) == 2 * t - 1:
            old, self.root = self.root, BTreeNode()
            self.root.children = [old]
            self.split_child(self.root, 0)
        node = self.root
        while True:
            i = bisect.bisect_left(node.keys, key)
            if i < len(node.keys) and node.keys[i] == key:
                node.values[i] = value
                return
            if node.leaf:
                node.keys.insert(i, key)
                node.values.insert(i, value)
                self.size += 1
                return
            if len(node.children[i].keys) == 2 * t - 1:
                self.split_child(node, i)
                if key == node.keys[i]:
                    node.values[i] = value
                    return
                if key > node.keys[i]:
                    i += 1
            node = node.children[i]

    def get(self, key: Any, default: Any = None) -> Any:
        node = self.load(self.root)
        while True:
            i = bisect.bisect_left(node.keys, key)
            if i < len(node.keys) and node.keys[i] == key:
                return node.values[i]
            if node.leaf:
                return default
            node = self.load(node.children[i])

    def range_scan(self, lo: Any, hi: Any) -> Iterator[tuple[Any, Any]]:
        def walk(node: BTreeNode) -> Iterator[tuple[Any, Any]]:
            start = bisect.bisect_left(node.keys, lo)
            for i in range(start, len(node.keys) + 1):
                if not node.leaf:
                    yield from walk(node.children[i])
                if i == len(node.keys) or node.keys[i] > hi:
                    return
                yield node.keys[i], node.values[i]
        return walk(self.root)

    def __len__(self) -> int:
        return self.size

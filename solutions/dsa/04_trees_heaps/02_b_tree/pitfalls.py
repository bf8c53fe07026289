"""Plausible wrong B-trees that the tests must reject."""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from b_tree import BTree, BTreeNode


@pitfall(replaces="BTree.split_child", why="moves keys[t] up instead of the median keys[t - 1]: the left half keeps t keys, the right t - 2")
def off_median(self: BTree, parent: BTreeNode, i: int) -> None:
    t, y = self.t, parent.children[i]
    z = BTreeNode()
    z.keys, z.values = y.keys[t + 1:], y.values[t + 1:]
    if not y.leaf:
        z.children, y.children = y.children[t + 1:], y.children[:t + 1]
    parent.keys.insert(i, y.keys[t])
    parent.values.insert(i, y.values[t])
    parent.children.insert(i + 1, z)
    y.keys, y.values = y.keys[:t], y.values[:t]


@pitfall(replaces="BTree.insert", why="a repeated key is inserted again instead of replacing its value")
def duplicates(self: BTree, key: Any, value: Any) -> None:
    t = self.t
    if len(self.root.keys) == 2 * t - 1:
        old, self.root = self.root, BTreeNode()
        self.root.children = [old]
        self.split_child(self.root, 0)
    node = self.root
    while True:
        i = bisect.bisect_right(node.keys, key)
        if node.leaf:
            node.keys.insert(i, key)
            node.values.insert(i, value)
            self.size += 1
            return
        if len(node.children[i].keys) == 2 * t - 1:
            self.split_child(node, i)
            if key >= node.keys[i]:
                i += 1
        node = node.children[i]


@pitfall(replaces="BTree.get", why="looks the key up by walking the whole tree: right answers, but it loads every page")
def full_walk(self: BTree, key: Any, default: Any = None) -> Any:
    stack = [self.root]
    while stack:
        node = self.load(stack.pop())
        if key in node.keys:
            return node.values[node.keys.index(key)]
        stack.extend(node.children)
    return default


@pitfall(replaces="BTree.get", why="searches only the leaves: keys that moved up into inner nodes are not found")
def leaves_only(self: BTree, key: Any, default: Any = None) -> Any:
    node = self.load(self.root)
    while not node.leaf:
        node = self.load(node.children[bisect.bisect_right(node.keys, key)])
    i = bisect.bisect_left(node.keys, key)
    return node.values[i] if i < len(node.keys) and node.keys[i] == key else default


@pitfall(replaces="BTree.range_scan", why="treats hi as exclusive: the key equal to hi is missing")
def exclusive_hi(self: BTree, lo: Any, hi: Any) -> Iterator[tuple[Any, Any]]:
    def walk(node: BTreeNode) -> Iterator[tuple[Any, Any]]:
        start = bisect.bisect_left(node.keys, lo)
        for i in range(start, len(node.keys) + 1):
            if not node.leaf:
                yield from walk(node.children[i])
            if i == len(node.keys) or node.keys[i] >= hi:
                return
            yield node.keys[i], node.values[i]
    return walk(self.root)


@pitfall(replaces="BTree.range_scan", why="yields a node's keys before its children's: not in ascending order")
def preorder(self: BTree, lo: Any, hi: Any) -> Iterator[tuple[Any, Any]]:
    def walk(node: BTreeNode) -> Iterator[tuple[Any, Any]]:
        for k, v in zip(node.keys, node.values, strict=True):
            if lo <= k <= hi:
                yield k, v
        for c in node.children:
            yield from walk(c)
    return walk(self.root)

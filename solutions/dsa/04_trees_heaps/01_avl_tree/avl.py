"""Reference solution for dsa-04-1."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class AVLNode:
    """A tree node; height is 1 for a leaf (an empty subtree has height 0)."""

    def __init__(self, key: Any) -> None:
        self.key = key
        self.left: AVLNode | None = None
        self.right: AVLNode | None = None
        self.height = 1


def height(node: AVLNode | None) -> int:
    """The stored height of a subtree, 0 for an empty one."""
    return node.height if node else 0


def update_height(node: AVLNode) -> None:
    """Recompute node.height from its children's stored heights."""
    node.height = 1 + max(height(node.left), height(node.right))


class AVLTree:
    """A set of keys in an AVL tree: after every operation each node's stored height is correct and
    its two subtrees' heights differ by at most 1."""

    def __init__(self) -> None:
        self.root: AVLNode | None = None
        self.size = 0

    def rotate_right(self, y: AVLNode) -> AVLNode:
        x = y.left
        y.left, x.right = x.right, y
        update_height(y)
        update_height(x)
        return x

    def rotate_left(self, x: AVLNode) -> AVLNode:
        y = x.right
        x.right, y.left = y.left, x
        update_height(x)
        update_height(y)
        return y

    def rebalance(self, node: AVLNode) -> AVLNode:
        update_height(node)
        balance = height(node.left) - height(node.right)
        if balance > 1:
            if height(node.left.left) < height(node.left.right):
                node.left = self.rotate_left(node.left)
            return self.rotate_right(node)
        if balance < -1:
            if height(node.right.right) < height(node.right.left):
                node.right = self.rotate_right(node.right)
            return self.rotate_left(node)
        return node

    def insert(self, key: Any) -> None:
        def walk(node: AVLNode | None) -> AVLNode:
            if node is None:
                self.size += 1
                return AVLNode(key)
            if key < node.key:
                node.left = walk(node.left)
            elif key > node.key:
                node.right = walk(node.right)
            else:
                return node
            return self.rebalance(node)
        self.root = walk(self.root)

    def remove(self, key: Any) -> None:
        def walk(node: AVLNode | None, key: Any) -> AVLNode | None:
            if node is None:
                raise KeyError(key)
            if key < node.key:
                node.left = walk(node.left, key)
            elif key > node.key:
                node.right = walk(node.right, key)
            else:
                if node.left is None or node.right is None:
                    self.size -= 1
                    return node.left or node.right
                succ = node.right
                while succ.left is not None:
                    succ = succ.left
                node.key = succ.key
                node.right = walk(node.right, succ.key)
            return self.rebalance(node)
        self.root = walk(self.root, key)

    def __contains__(self, key: Any) -> bool:
        node = self.root
        while node is not None:
            if key == node.key:
                return True
            node = node.left if key < node.key else node.right
        return False

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[Any]:
        stack, node = [], self.root
        while stack or node is not None:
            while node is not None:
                stack.append(node)
                node = node.left
            node = stack.pop()
            yield node.key
            node = node.right

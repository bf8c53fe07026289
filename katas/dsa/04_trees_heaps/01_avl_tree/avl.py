"""dsa-04-1: an AVL tree with ordered iteration. Edit this file; `grader check dsa-04-1` tests it."""
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
        """Rotate the subtree rooted at y (which has a left child x) to the right; x becomes its root
        and y x's right child. Updates both heights (y's first) and returns x."""
        raise NotImplementedError("rotate_right: three pointers, then the two heights")

    def rotate_left(self, x: AVLNode) -> AVLNode:
        """The mirror image of rotate_right: x's right child becomes the subtree's root; returns it."""
        raise NotImplementedError("rotate_left: the mirror of rotate_right")

    def rebalance(self, node: AVLNode) -> AVLNode:
        """Update node's height and, if its balance height(left) - height(right) is +2 or -2, rotate
        (once for left-left / right-right, twice for left-right / right-left). Returns the subtree's
        new root."""
        raise NotImplementedError("rebalance: single or double rotation where |balance| = 2")

    def insert(self, key: Any) -> None:
        """Add key (nothing changes if it is already present), then rebalance on the way up."""
        raise NotImplementedError("insert: BST insert, then update heights and rotate where |balance| = 2")

    def remove(self, key: Any) -> None:
        """Remove key (a node with two children takes its in-order successor's key), rebalancing.

        Raises:
            KeyError: if key is not in the tree.
        """
        raise NotImplementedError("remove: BST delete, then rebalance on the way up")

    def __contains__(self, key: Any) -> bool:
        """Whether key is in the tree."""
        raise NotImplementedError("__contains__: walk down from the root")

    def __len__(self) -> int:
        """The number of keys."""
        raise NotImplementedError("__len__")

    def __iter__(self) -> Iterator[Any]:
        """The keys in ascending order (an in-order traversal)."""
        raise NotImplementedError("__iter__: left subtree, node, right subtree")

"""Plausible wrong AVL trees that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from avl import AVLNode, AVLTree, height, update_height


@pitfall(replaces="AVLTree.rebalance", why="never rotates: a plain binary search tree, n deep on sorted input")
def no_rotation(self: AVLTree, node: AVLNode) -> AVLNode:
    update_height(node)
    return node


@pitfall(replaces="AVLTree.rebalance", why="single rotations only: the zig-zag (left-right / right-left) cases stay unbalanced")
def single_rotations(self: AVLTree, node: AVLNode) -> AVLNode:
    update_height(node)
    balance = height(node.left) - height(node.right)
    if balance > 1:
        return self.rotate_right(node)
    if balance < -1:
        return self.rotate_left(node)
    return node


@pitfall(replaces="AVLTree.rotate_right", why="updates the new root's height before the node that moved below it")
def heights_in_wrong_order(self: AVLTree, y: AVLNode) -> AVLNode:
    x = y.left
    y.left, x.right = x.right, y
    update_height(x)
    update_height(y)
    return x


@pitfall(replaces="AVLTree.remove", why="a node with two children takes its in-order PREDECESSOR's key but deletes the successor")
def wrong_replacement(self: AVLTree, key: Any) -> None:
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
            pred, succ = node.left, node.right
            while pred.right is not None:
                pred = pred.right
            while succ.left is not None:
                succ = succ.left
            node.key = pred.key
            node.right = walk(node.right, succ.key)
        return self.rebalance(node)
    self.root = walk(self.root, key)


@pitfall(replaces="AVLTree.insert", why="counts a repeated key again in len(), although the set does not change")
def size_counts_duplicates(self: AVLTree, key: Any) -> None:
    def walk(node: AVLNode | None) -> AVLNode:
        if node is None:
            return AVLNode(key)
        if key < node.key:
            node.left = walk(node.left)
        elif key > node.key:
            node.right = walk(node.right)
        else:
            return node
        return self.rebalance(node)
    self.size += 1
    self.root = walk(self.root)


@pitfall(replaces="AVLTree.remove", why="a missing key is ignored silently instead of raising KeyError")
def remove_missing_silently(self: AVLTree, key: Any) -> None:
    def walk(node: AVLNode | None) -> AVLNode | None:
        if node is None:
            return None
        if key < node.key:
            node.left = walk(node.left)
        elif key > node.key:
            node.right = walk(node.right)
        else:
            if node.left is None or node.right is None:
                self.size -= 1
                return node.left or node.right
            succ = node.right
            while succ.left is not None:
                succ = succ.left
            node.key = succ.key
            inner = AVLTree()
            inner.root, inner.size = node.right, 1
            inner.remove(succ.key)
            node.right = inner.root
        return self.rebalance(node)
    self.root = walk(self.root)

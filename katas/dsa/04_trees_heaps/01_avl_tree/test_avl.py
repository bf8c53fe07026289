"""Tests for dsa-04-1, an AVL tree.

Reference: a sorted Python list, driven side by side with the tree by a Hypothesis state machine
(RuleBasedStateMachine); after every step the AVL invariants are checked on the tree's nodes
(search order, stored heights, balance) and its iteration, length and membership against the list.
"""
import bisect

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

KEYS = st.integers(0, 30)


def check_node(node: object, lo: object, hi: object, history: list) -> int:
    """The node's true height, checking order, stored height and balance on the way."""
    if node is None:
        return 0
    assert (lo is None or lo < node.key) and (hi is None or node.key < hi), (
        f"after {history}: key {node.key} breaks search-tree order (it must lie strictly between {lo} and {hi})")
    hl, hr = check_node(node.left, lo, node.key, history), check_node(node.right, node.key, hi, history)
    assert node.height == 1 + max(hl, hr), (
        f"after {history}: node {node.key} stores height {node.height}, but its subtrees have heights {hl} and {hr}: "
        "update heights after every insert, remove and rotation (the lower node first)")
    assert abs(hl - hr) <= 1, f"after {history}: node {node.key} is unbalanced (left height {hl}, right height {hr})"
    return 1 + max(hl, hr)


def test_state_machine_against_a_sorted_list(kata):
    class TreeVsList(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.tree, self.model, self.history = kata.AVLTree(), [], []

        @rule(key=KEYS)
        def insert(self, key: int) -> None:
            self.tree.insert(key)
            self.history.append(f"insert({key})")
            i = bisect.bisect_left(self.model, key)
            if i == len(self.model) or self.model[i] != key:
                self.model.insert(i, key)

        @rule(key=KEYS)
        def remove(self, key: int) -> None:
            self.history.append(f"remove({key})")
            if key in self.model:
                self.tree.remove(key)
                self.model.remove(key)
            else:
                with pytest.raises(KeyError):
                    self.tree.remove(key)
                    pytest.fail(f"after {self.history}: remove({key}) of a missing key returned instead of raising KeyError")

        @rule(key=KEYS)
        def contains(self, key: int) -> None:
            assert (key in self.tree) == (key in self.model), (
                f"after {self.history}: {key} in tree = {key in self.tree}, expected {key in self.model}")

        @invariant()
        def matches_the_list(self) -> None:
            assert list(self.tree) == self.model, f"after {self.history}: iteration gives {list(self.tree)}, expected {self.model}"
            assert len(self.tree) == len(self.model), f"after {self.history}: len = {len(self.tree)}, expected {len(self.model)}"
            check_node(self.tree.root, None, None, self.history)

    run_state_machine_as_test(TreeVsList, settings=settings(max_examples=20, stateful_step_count=25))


@pytest.mark.parametrize("order", ["ascending", "descending", "zigzag"])
def test_sorted_insertions_stay_logarithmic(kata, order):
    n = 200
    keys = {"ascending": list(range(n)), "descending": list(range(n, 0, -1)),
            "zigzag": [k for i in range(n // 2) for k in (i, n - 1 - i)]}[order]
    tree = kata.AVLTree()
    for k in keys:
        tree.insert(k)
    height = check_node(tree.root, None, None, [f"inserting {n} keys in {order} order"])
    assert height <= 10, f"after {n} {order} insertions the tree is {height} deep; an AVL tree of 200 keys is at most 10"
    for k in keys[: n // 2]:
        tree.remove(k)
    check_node(tree.root, None, None, [f"inserting {n} keys in {order} order, then removing half"])
    assert list(tree) == sorted(keys[n // 2:]), f"after removing the first half of the {order} keys, iteration is wrong"


def chain(kata, keys: list, side: str) -> object:
    """A hand-built chain of nodes (each the `side` child of the previous), heights set correctly."""
    nodes = [kata.AVLNode(k) for k in keys]
    for parent, child in zip(nodes, nodes[1:], strict=False):
        setattr(parent, side, child)
    for i, node in enumerate(nodes):
        node.height = len(nodes) - i
    return nodes[0]


def shape(node: object) -> object:
    return None if node is None else (node.key, node.height, shape(node.left), shape(node.right))


def test_rotations_and_rebalance_cases(kata):
    tree = kata.AVLTree()
    got = shape(tree.rotate_right(chain(kata, [3, 2, 1], "left")))
    assert got == (2, 2, (1, 1, None, None), (3, 1, None, None)), f"rotate_right on the chain 3-2-1 gave {got} (key, height, left, right)"
    got = shape(tree.rotate_left(chain(kata, [1, 2, 3], "right")))
    assert got == (2, 2, (1, 1, None, None), (3, 1, None, None)), f"rotate_left on the chain 1-2-3 gave {got}"
    root = chain(kata, [3, 1], "left")
    root.left.right, root.left.height = kata.AVLNode(2), 2  # left-right zig-zag: 3 -> 1 -> (right) 2
    got = shape(tree.rebalance(root))
    assert got == (2, 2, (1, 1, None, None), (3, 1, None, None)), f"rebalance of the left-right zig-zag 3/1\\2 gave {got}"
    root = chain(kata, [1, 3], "right")
    root.right.left, root.right.height = kata.AVLNode(2), 2  # right-left zig-zag
    got = shape(tree.rebalance(root))
    assert got == (2, 2, (1, 1, None, None), (3, 1, None, None)), f"rebalance of the right-left zig-zag 1\\3/2 gave {got}"
    leaf = kata.AVLNode(5)
    leaf.height = 7
    assert shape(tree.rebalance(leaf)) == (5, 1, None, None), "rebalance must recompute the node's height first"


def build(kata, spec: object) -> object:
    """(key, left_spec, right_spec) or a bare key -> nodes with correct heights."""
    if spec is None:
        return None
    key, left, right = spec if isinstance(spec, tuple) else (spec, None, None)
    node = kata.AVLNode(key)
    node.left, node.right = build(kata, left), build(kata, right)
    node.height = 1 + max(node.left.height if node.left else 0, node.right.height if node.right else 0)
    return node


def mirror(spec: object) -> object:
    if not isinstance(spec, tuple):
        return None if spec is None else -spec
    return (-spec[0], mirror(spec[2]), mirror(spec[1]))


def test_rebalance_leaves_balanced_nodes_and_uses_single_rotations_when_it_must(kata):
    tree = kata.AVLTree()
    for spec in ((2, 1, None), (2, None, 3), (2, 1, 3)):  # balance +1, -1, 0: nothing to do
        got = shape(tree.rebalance(build(kata, spec)))
        want = shape(build(kata, spec))
        assert got == want, f"rebalance of the already balanced subtree {spec} changed it to {got}: rotate only at balance ±2"
    # After a removal the heavy child can be balanced (balance 0): that case needs a SINGLE rotation.
    # Root 8 (balance +2) with left child 4 (balance 0) whose right child 6 leans right: a double rotation unbalances 4.
    spec = (8, (4, (2, 1, 3), (6, None, 7)), 9)
    for case, s in (("left", spec), ("right (mirrored)", mirror(spec))):
        root = tree.rebalance(build(kata, s))
        check_node(root, None, None, [f"rebalance of {s}: the heavy {case} child has balance 0"])

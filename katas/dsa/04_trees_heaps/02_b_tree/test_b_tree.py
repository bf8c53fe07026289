"""Tests for dsa-04-2, a B-tree.

Reference: a Python dict (and sorted() for ranges), driven side by side with the tree by a
Hypothesis state machine (RuleBasedStateMachine) for t = 2, 3, 4; after every insert the B-tree
invariants are checked on the nodes (key counts, sorted keys between their separators, one child
more than keys, all leaves at one depth); get's node loads are counted against the tree's depth.
"""
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

KEYS = st.integers(0, 40)


def check_tree(tree: object, history: list) -> int:
    """Checks every invariant; returns the number of levels."""
    t, depths = tree.t, set()

    def walk(node: object, lo: object, hi: object, depth: int, is_root: bool) -> None:
        n = len(node.keys)
        where = f"after {history[-3:]}: node {node.keys}"
        assert len(node.values) == n, f"{where} has {n} keys but {len(node.values)} values"
        assert n <= 2 * t - 1, f"{where} holds {n} keys > 2t - 1 = {2 * t - 1} (t = {t}): split full nodes on the way down"
        assert is_root or n >= t - 1, f"{where} holds {n} keys < t - 1 = {t - 1} (t = {t}): a split must leave t - 1 keys on each side"
        assert node.keys == sorted(node.keys) and len(set(node.keys)) == n, f"{where} is not strictly sorted"
        assert all((lo is None or lo < k) and (hi is None or k < hi) for k in node.keys), (
            f"{where} has keys outside its separators ({lo}, {hi})")
        if not node.children:
            depths.add(depth)
            return
        assert len(node.children) == n + 1, f"{where} has {len(node.children)} children, expected {n + 1}"
        bounds = [lo, *node.keys, hi]
        for i, child in enumerate(node.children):
            walk(child, bounds[i], bounds[i + 1], depth + 1, False)

    walk(tree.root, None, None, 1, True)
    assert len(depths) == 1, f"after {history[-3:]}: leaves at depths {sorted(depths)}; a B-tree keeps every leaf at one depth"
    return depths.pop()


def test_state_machine_against_a_dict(kata):
    class TreeVsDict(RuleBasedStateMachine):
        @initialize(t=st.integers(2, 4))
        def make(self, t: int) -> None:
            self.tree, self.model, self.history = kata.BTree(t), {}, [f"BTree(t={t})"]

        @rule(key=KEYS, value=st.integers(0, 9))
        def insert(self, key: int, value: int) -> None:
            self.tree.insert(key, value)
            self.model[key] = value
            self.history.append(f"insert({key}, {value})")

        @rule(key=KEYS)
        def get(self, key: int) -> None:
            before = self.tree.loads
            got = self.tree.get(key, "missing")
            loads = self.tree.loads - before
            assert got == self.model.get(key, "missing"), f"after {self.history}: get({key}) = {got!r}, expected {self.model.get(key, 'missing')!r}"
            levels = check_tree(self.tree, self.history)
            assert 1 <= loads <= levels, (f"after {self.history}: get({key}) loaded {loads} nodes; the tree has {levels} levels "
                                          "and a lookup loads one node per level (load each node you visit, and only those)")
            assert self.tree.get(key) == self.model.get(key), f"after {self.history}: get({key}) with default None is wrong"

        @rule(lo=KEYS, hi=KEYS)
        def scan(self, lo: int, hi: int) -> None:
            got = list(self.tree.range_scan(lo, hi))
            want = sorted((k, v) for k, v in self.model.items() if lo <= k <= hi)
            assert [tuple(p) for p in got] == want, f"after {self.history}: range_scan({lo}, {hi}) = {got}, expected {want}"

        @invariant()
        def valid(self) -> None:
            if hasattr(self, "tree"):
                check_tree(self.tree, self.history)
                assert len(self.tree) == len(self.model), f"after {self.history}: len = {len(self.tree)}, expected {len(self.model)}"

    run_state_machine_as_test(TreeVsDict, settings=settings(max_examples=20, stateful_step_count=25))


@pytest.mark.parametrize("t", [2, 3])
def test_many_sorted_inserts_stay_shallow(kata, t):
    tree = kata.BTree(t)
    for k in range(500):
        tree.insert(k, -k)
    levels = check_tree(tree, [f"500 ascending inserts into BTree(t={t})"])
    assert levels <= 9, f"500 keys in a B-tree of t={t} need at most 9 levels, got {levels}"
    assert list(tree.range_scan(100, 104)) == [(k, -k) for k in range(100, 105)], "range_scan(100, 104) after 500 inserts"
    assert list(tree.range_scan(7, 3)) == [], "range_scan(lo > hi) must be empty"
    assert len(tree) == 500
    missing = [k for k in range(500) if tree.get(k) != -k]
    assert not missing, f"after 500 ascending inserts into BTree(t={t}), get misses keys {missing[:10]}... (keys in inner nodes?)"
    for k in (0, 250, 499):
        tree.insert(k, "new")
    assert len(tree) == 500 and tree.get(250) == "new", "re-inserting a key must replace its value, not add a key"


def test_split_child_moves_the_median_up(kata):
    tree = kata.BTree(2)
    parent, child = kata.BTreeNode(), kata.BTreeNode()
    child.keys, child.values = [1, 2, 3], ["a", "b", "c"]
    parent.children = [child]
    tree.split_child(parent, 0)
    got = (parent.keys, parent.values, [c.keys for c in parent.children], [c.values for c in parent.children])
    assert got == ([2], ["b"], [[1], [3]], [["a"], ["c"]]), f"split_child of [1, 2, 3] under an empty parent gave {got}"
    parent, full, right = kata.BTreeNode(), kata.BTreeNode(), kata.BTreeNode()
    full.keys, full.values, right.keys, right.values = [1, 2, 3], ["a", "b", "c"], [7], ["g"]
    parent.keys, parent.values, parent.children = [5], ["e"], [full, right]
    tree.split_child(parent, 0)
    got = (parent.keys, [c.keys for c in parent.children])
    assert got == ([2, 5], [[1], [3], [7]]), f"split_child(parent [5] over [1, 2, 3] and [7], 0) gave {got}: the new node goes right after the split one"


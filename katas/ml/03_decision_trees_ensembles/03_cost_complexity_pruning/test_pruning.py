"""Tests for ml-03-3, minimal cost-complexity (weakest-link) pruning.

References: sklearn's cost_complexity_pruning_path on the same fitted tree (classification and
regression, with and without sample weights); sklearn trees refitted with ccp_alpha (number of
leaves and predictions); and, on small trees, a brute force over every pruned subtree: the subtree
you return must minimise R(T) + alpha * |leaves(T)| and be the smallest such subtree.
"""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification, make_regression
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

# R(T) and the alphas are sums of <= 64 products of float64 numbers of size <= ~10: rounding ~1e-15
# relative. sklearn updates its branch sums incrementally, so compare to 1e-9 relative.
RTOL, ATOL = 1e-9, 1e-12


def grown_tree(seed: int, n: int, kind: str, weighted: bool, max_depth: int | None):
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.5, 2.0, size=n) if weighted else None
    if kind == "classifier":
        X, y = make_classification(n_samples=n, n_features=3, n_informative=3, n_redundant=0, n_classes=3,
                                   n_clusters_per_class=1, flip_y=0.25, random_state=seed)
        est = DecisionTreeClassifier(max_depth=max_depth, random_state=seed)
    else:
        X, y = make_regression(n_samples=n, n_features=3, noise=20.0, random_state=seed)
        y = y / 50  # MSE impurities of order 1
        est = DecisionTreeRegressor(max_depth=max_depth, random_state=seed)
    return est.fit(X, y, sample_weight=w), X, y, w


def refit_pruned(est, X, y, w, alpha: float):
    return type(est)(**{**est.get_params(), "ccp_alpha": alpha}).fit(X, y, sample_weight=w)


def collapse(alphas: np.ndarray, impurities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One entry per distinct alpha (the impurity after the last prune at that alpha): ties may be
    pruned one node at a time (sklearn) or all at once."""
    a_out, i_out = [], []
    for a, imp in zip(np.asarray(alphas, dtype=float), np.asarray(impurities, dtype=float), strict=True):
        if a_out and abs(a - a_out[-1]) <= ATOL + RTOL * abs(a):
            i_out[-1] = imp
        else:
            a_out.append(a)
            i_out.append(imp)
    return np.array(a_out), np.array(i_out)


def route(tree, kept: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Leaf of the pruned subtree (a node id of the original tree) for each row of X."""
    node = np.zeros(len(X), dtype=np.int64)
    for _ in range(tree.max_depth + 1):
        left = tree.children_left[node]
        go = (left != -1) & kept[np.maximum(left, 0)]
        down_left = X[np.arange(len(X)), tree.feature[node]] <= tree.threshold[node]
        node = np.where(go, np.where(down_left, left, tree.children_right[node]), node)
    return node


def check_subtree(tree, kept, call: str) -> None:
    kept = np.asarray(kept)
    assert kept.shape == (tree.node_count,) and kept.dtype == bool, (
        f"{call} returned {kept.dtype}{list(kept.shape)}, expected a bool mask of the {tree.node_count} nodes")
    assert kept[0], f"{call} removed the root"
    for v in np.flatnonzero(tree.children_left != -1):
        lk, rk = kept[tree.children_left[v]], kept[tree.children_right[v]]
        assert lk == rk, f"{call} keeps only one child of node {v}: prune whole branches, never one side"
        assert not lk or kept[v], f"{call} keeps the children of node {v} but not node {v} itself"


def all_subtrees(tree, v: int = 0) -> list[set[int]]:
    """Every pruned subtree rooted at v, as a set of node ids."""
    left, right = tree.children_left[v], tree.children_right[v]
    if left == -1:
        return [{v}]
    return [{v}] + [{v} | a | b for a in all_subtrees(tree, left) for b in all_subtrees(tree, right)]


TREES = dict(seed=seeds(), n=st.integers(8, 60), kind=st.sampled_from(["classifier", "regressor"]),
             weighted=st.booleans())


@settings(max_examples=15)  # a plain formula: 15 trees are plenty
@given(**TREES, max_depth=st.sampled_from([None, 2, 4]))
@example(seed=0, n=8, kind="classifier", weighted=False, max_depth=1)
@example(seed=1, n=60, kind="regressor", weighted=True, max_depth=None)
def test_node_risk_and_leaf_impurity(kata, seed, n, kind, weighted, max_depth):
    est, X, y, w = grown_tree(seed, n, kind, weighted, max_depth)
    t = est.tree_
    call = describe_call("node_risk", f"{type(est).__name__}.tree_")
    want = t.weighted_n_node_samples * t.impurity / t.weighted_n_node_samples[0]
    assert_close(kata.node_risk(t), want, rtol=RTOL, atol=ATOL, name="R(t) = W_t / W_root * impurity(t)", call=call)
    path = est.cost_complexity_pruning_path(X, y, sample_weight=w)
    everything = np.ones(t.node_count, dtype=bool)
    assert_close(kata.total_leaf_impurity(t, everything), path.impurities[0], rtol=RTOL, atol=ATOL,
                 name="R(T) of the unpruned tree (sklearn's impurities[0])",
                 call=describe_call("total_leaf_impurity", "tree_", everything))
    root = np.zeros(t.node_count, dtype=bool)
    root[0] = True
    assert_close(kata.total_leaf_impurity(t, root), t.impurity[0], rtol=RTOL, atol=ATOL,
                 name="R(T) of the root alone", call=describe_call("total_leaf_impurity", "tree_", root))


@given(**TREES, max_depth=st.sampled_from([None, 3, 5]))
@example(seed=2, n=8, kind="classifier", weighted=False, max_depth=None)
@example(seed=3, n=60, kind="classifier", weighted=True, max_depth=None)
def test_pruning_path_matches_sklearn(kata, seed, n, kind, weighted, max_depth):
    est, X, y, w = grown_tree(seed, n, kind, weighted, max_depth)
    call = describe_call("cost_complexity_pruning_path", f"{type(est).__name__}.tree_")
    alphas, impurities = kata.cost_complexity_pruning_path(est.tree_)
    alphas, impurities = np.asarray(alphas, dtype=float), np.asarray(impurities, dtype=float)
    assert alphas.shape == impurities.shape and alphas.ndim == 1, (
        f"{call} returned alphas {alphas.shape} and impurities {impurities.shape}: two 1-D arrays of equal length")
    assert alphas[0] == 0.0, f"{call}: the path starts at alpha 0 (the unpruned tree), got {alphas[0]}"
    path = est.cost_complexity_pruning_path(X, y, sample_weight=w)
    ga, gi = collapse(alphas, impurities)
    wa, wi = collapse(path.ccp_alphas, path.impurities)
    assert len(ga) == len(wa), (
        f"{call} has {len(ga)} distinct alphas, sklearn {len(wa)}:\n  yours   {np.round(ga, 6).tolist()}\n"
        f"  sklearn {np.round(wa, 6).tolist()}\n  (prune the internal node t with the smallest "
        "(R(t) - R(T_t)) / (|leaves(T_t)| - 1) each step, until only the root is left)")
    assert_close(ga, wa, rtol=RTOL, atol=ATOL, name="ccp_alphas (equal alphas merged)", call=call)
    assert_close(gi, wi, rtol=RTOL, atol=ATOL, name="impurities (equal alphas merged)", call=call)


@given(**TREES, max_depth=st.sampled_from([None, 3, 5]), pick=st.floats(0.0, 1.0))
@example(seed=4, n=40, kind="regressor", weighted=False, max_depth=None, pick=0.5)
@example(seed=5, n=40, kind="classifier", weighted=True, max_depth=None, pick=1.0)  # beyond the last alpha
def test_prune_matches_sklearn_ccp_alpha(kata, seed, n, kind, weighted, max_depth, pick):
    est, X, y, w = grown_tree(seed, n, kind, weighted, max_depth)
    t = est.tree_
    path = est.cost_complexity_pruning_path(X, y, sample_weight=w)
    alphas, _ = collapse(path.ccp_alphas, path.impurities)
    # Between two consecutive alphas of the path (never on one: there the choice is a tie), or past the last.
    gaps = np.append((alphas[:-1] + alphas[1:]) / 2, alphas[-1] * 1.5 + 1e-3)
    alpha = float(gaps[min(int(pick * len(gaps)), len(gaps) - 1)])
    call = describe_call("prune", f"{type(est).__name__}.tree_", ccp_alpha=alpha)
    kept = np.asarray(kata.prune(t, alpha))
    check_subtree(t, kept, call)
    ref = refit_pruned(est, X, y, w, alpha)
    n_leaves = int(np.sum(kept & ((t.children_left == -1) | ~kept[np.maximum(t.children_left, 0)])))
    assert n_leaves == ref.get_n_leaves(), (
        f"{call} keeps a subtree with {n_leaves} leaves; sklearn's tree with ccp_alpha={alpha:.6g} has "
        f"{ref.get_n_leaves()} (of {est.get_n_leaves()} unpruned)")
    ours = t.value[route(t, kept, X)].reshape(len(X), -1)
    want = ref.predict_proba(X) if kind == "classifier" else ref.predict(X)[:, None]
    assert_close(ours, want, rtol=RTOL, atol=ATOL, name="predictions of the pruned subtree", call=call)


@settings(max_examples=15)  # the other tests pin each subtree down; this one checks nesting only
@given(**TREES, a1=st.floats(0.0, 0.2), a2=st.floats(0.0, 0.2))
@example(seed=6, n=30, kind="classifier", weighted=False, a1=0.0, a2=0.2)
def test_pruned_trees_are_nested_subtrees(kata, seed, n, kind, weighted, a1, a2):
    """A larger alpha prunes more: T(a2) is a subtree of T(a1) when a2 >= a1."""
    est, *_ = grown_tree(seed, n, kind, weighted, None)
    t = est.tree_
    lo, hi = sorted((a1, a2))
    small, big = np.asarray(kata.prune(t, hi)), np.asarray(kata.prune(t, lo))
    check_subtree(t, small, describe_call("prune", "tree_", ccp_alpha=hi))
    check_subtree(t, big, describe_call("prune", "tree_", ccp_alpha=lo))
    extra = np.flatnonzero(small & ~big)
    assert extra.size == 0, (f"prune(tree_, {hi:.4g}) keeps nodes {extra.tolist()} that prune(tree_, {lo:.4g}) "
                             "removed: the pruned trees must be nested")


@given(seed=seeds(), n=st.integers(8, 50), kind=st.sampled_from(["classifier", "regressor"]),
       weighted=st.booleans(), max_depth=st.integers(1, 4), alpha=st.floats(0.0, 0.1))
@example(seed=7, n=50, kind="classifier", weighted=False, max_depth=4, alpha=0.01)
def test_pruned_tree_minimises_cost_complexity(kata, seed, n, kind, weighted, max_depth, alpha):
    """Breiman's theorem: T(alpha) minimises R(T) + alpha |leaves(T)|, and is the smallest minimiser."""
    est, *_ = grown_tree(seed, n, kind, weighted, max_depth)
    t = est.tree_
    r = t.weighted_n_node_samples * t.impurity / t.weighted_n_node_samples[0]
    costs = []
    for nodes in all_subtrees(t):
        leaves = [v for v in nodes if t.children_left[v] == -1 or t.children_left[v] not in nodes]
        costs.append((r[leaves].sum() + alpha * len(leaves), len(nodes), nodes))
    best = min(c for c, _, _ in costs)
    call = describe_call("prune", "tree_", ccp_alpha=alpha)
    kept = np.asarray(kata.prune(t, alpha))
    check_subtree(t, kept, call)
    mine = set(np.flatnonzero(kept).tolist())
    leaves = [v for v in mine if t.children_left[v] == -1 or t.children_left[v] not in mine]
    cost = r[leaves].sum() + alpha * len(leaves)
    assert cost <= best + 1e-9, (f"{call}: your subtree ({len(leaves)} leaves) has R + alpha|leaves| = {cost:.8g}, "
                                 f"but a pruned subtree with cost {best:.8g} exists")
    smallest = min(size for c, size, _ in costs if c <= best + 1e-9)
    # Several minimisers differ by a rounding-level cost only when alpha sits on a path alpha.
    near_tie = sum(1 for c, _, _ in costs if abs(c - best) <= 1e-9) > 1
    if not near_tie:
        assert_equal(len(mine), smallest, name="number of nodes kept (the smallest minimising subtree)", call=call)

"""Tests for ml-03-2, CART best-split search and recursive tree building.

Reference: sklearn.tree.DecisionTreeClassifier fitted on the same data with the same criterion,
max_depth, min_samples_split, min_samples_leaf and sample weights. Where the best split of a node is
unique, the whole tree is defined, so node arrays, thresholds (midpoints), impurities, predictions
and probabilities must agree. Where it is not (sklearn breaks ties between features at random), the
tests check what is defined: every split you make is one of the best, by a brute force.
"""
import numpy as np
from hypothesis import assume, example, given
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.tree import DecisionTreeClassifier

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

# Thresholds are midpoints of float32-representable values, exact in float64; impurities are short
# float64 sums that sklearn accumulates in another order.
THR_RTOL, IMP_ATOL = 1e-12, 1e-10
# Two candidate splits whose improvements differ by less than this are a tie (genuinely different
# improvements on <= 80 weighted samples differ by far more).
TIE = 1e-9
CRITERIA = st.sampled_from(["gini", "entropy"])


def dataset(seed: int, n: int, d: int, k: int, weighted: bool):
    X, y = make_classification(n_samples=n, n_features=d, n_informative=d, n_redundant=0, n_classes=k,
                               n_clusters_per_class=1, flip_y=0.1, class_sep=1.0, random_state=seed)
    X = X.astype(np.float32).astype(np.float64)  # sklearn's trees split float32 copies of X
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.5, 2.0, size=n) if weighted else None
    X_new = rng.normal(size=(40, d)).astype(np.float32).astype(np.float64) * 2
    labels = np.array(["ant", "bee", "cat", "dog"])[: k]
    return X, labels[y], w, X_new


def impurity(counts: np.ndarray, criterion: str) -> np.ndarray:
    tot = counts.sum(-1, keepdims=True)
    p = counts / np.where(tot > 0, tot, 1)
    if criterion == "gini":
        return 1 - (p ** 2).sum(-1)
    return -(p * np.log2(np.where(p > 0, p, 1))).sum(-1)


def all_improvements(X: np.ndarray, y: np.ndarray, w: np.ndarray, criterion: str, msl: int):
    """Every valid split of a node: list of (improvement, feature, threshold)."""
    _, codes = np.unique(y, return_inverse=True)
    onehot = np.zeros((len(y), codes.max() + 1))
    onehot[np.arange(len(y)), codes.ravel()] = w
    parent = onehot.sum(0)
    W, n = parent.sum(), len(y)
    out = []
    for j in range(X.shape[1]):
        o = np.argsort(X[:, j])
        xs, left = X[o, j], np.cumsum(onehot[o], axis=0)[:-1]  # row p-1: split between xs[p-1] and xs[p]
        right = parent - left
        gains = (impurity(parent, criterion) - left.sum(1) / W * impurity(left, criterion)
                 - right.sum(1) / W * impurity(right, criterion))
        p = np.arange(1, n)
        ok = (xs[1:] > xs[:-1]) & (p >= msl) & (n - p >= msl)
        out += [(float(gains[i]), j, (xs[i] + xs[i + 1]) / 2) for i in np.flatnonzero(ok)]
    return out


def has_unique_best_splits(est: DecisionTreeClassifier, X, y, w, criterion: str, msl: int) -> bool:
    t = est.tree_
    member = est.decision_path(X).toarray().astype(bool)
    for node in np.flatnonzero(t.children_left != -1):
        m = member[:, node]
        gains = sorted((g for g, _, _ in all_improvements(X[m], y[m], w[m], criterion, msl)), reverse=True)
        if len(gains) > 1 and gains[0] - gains[1] < TIE:
            return False
    return True


def check_tree_against_sklearn(kata, est, ours, X, X_new, call):
    t = est.tree_
    n_nodes = t.node_count
    assert len(ours.children_left_) == n_nodes, (
        f"{call} grew {len(ours.children_left_)} nodes, sklearn grew {n_nodes} "
        f"({t.n_leaves} leaves, depth {t.max_depth}): check the stopping rules (max_depth, min_samples_split, "
        "min_samples_leaf, pure nodes)")
    assert_equal(ours.children_left_, t.children_left, name="children_left_ (preorder numbering, -1 for leaves)",
                 call=call)
    assert_equal(ours.children_right_, t.children_right, name="children_right_", call=call)
    assert_equal(ours.feature_, t.feature, name="feature_ (-2 for leaves)", call=call)
    assert_close(ours.threshold_, t.threshold, rtol=THR_RTOL, atol=0, name="threshold_ (midpoints; -2 for leaves)",
                 call=call)
    assert_equal(ours.n_node_samples_, t.n_node_samples, name="n_node_samples_", call=call)
    assert_close(ours.impurity_, t.impurity, rtol=0, atol=IMP_ATOL, name="impurity_", call=call)
    assert_equal(ours.classes_, est.classes_, name="classes_", call=call)
    for data, label in ((X, "training X"), (X_new, "new points")):
        assert_close(ours.predict_proba(data), est.predict_proba(data), rtol=0, atol=1e-12,
                     name=f"predict_proba on {label}", call=call)
        assert_equal(ours.predict(data), est.predict(data), name=f"predict on {label}", call=call)


@given(seed=seeds(), n=st.integers(6, 60), d=st.integers(2, 4), k=st.integers(2, 4), criterion=CRITERIA,
       msl=st.integers(1, 4), weighted=st.booleans())
@example(seed=0, n=6, d=2, k=2, criterion="gini", msl=3, weighted=False)  # only one split is allowed
@example(seed=1, n=60, d=4, k=3, criterion="entropy", msl=1, weighted=True)
def test_best_split_matches_a_sklearn_stump(kata, seed, n, d, k, criterion, msl, weighted):
    X, y, w, _ = dataset(seed, n, d, k, weighted)
    ww = np.ones(n) if w is None else w
    cands = sorted(all_improvements(X, y, ww, criterion, msl), reverse=True)
    assume(len(cands) == 1 or (len(cands) > 1 and cands[0][0] - cands[1][0] >= TIE))  # a unique best split
    est = DecisionTreeClassifier(criterion=criterion, max_depth=1, min_samples_leaf=msl, random_state=0)
    est.fit(X, y, sample_weight=w)
    t = est.tree_
    assume(t.node_count == 3)  # the root is not pure
    call = describe_call("best_split", X, y, w, criterion=criterion, min_samples_leaf=msl)
    # string labels: call_unmodified compares float arrays, so X and w are watched here and y is not
    got = call_unmodified(lambda X, w: kata.best_split(X, y, w, criterion, msl), X, w, fn_name="best_split")
    assert got is not None, f"{call} returned None; sklearn splits on feature {t.feature[0]} at {t.threshold[0]:.6g}"
    assert got.feature == t.feature[0], (
        f"{call} chose feature {got.feature} (threshold {got.threshold:.6g}, improvement {got.improvement:.6g}); "
        f"the unique best split is feature {t.feature[0]} at {t.threshold[0]:.6g} (improvement {cands[0][0]:.6g})")
    assert_close(got.threshold, t.threshold[0], rtol=THR_RTOL, atol=0,
                 name="threshold (the midpoint between the two neighbouring values)", call=call)
    W = t.weighted_n_node_samples
    want = (W[0] * t.impurity[0] - W[1] * t.impurity[1] - W[2] * t.impurity[2]) / W[0]
    assert_close(got.improvement, want, rtol=0, atol=IMP_ATOL, name="improvement", call=call)


@given(shift=st.integers(-8, 8).map(lambda v: v / 4), copies=st.integers(2, 3), criterion=CRITERIA,
       names=st.sampled_from([(0, 1), (1, 0), (3, 1)]))
@example(shift=0.0, copies=2, criterion="gini", names=(0, 1))
def test_best_split_ties_keep_the_lowest_feature_then_threshold(kata, shift, copies, criterion, names):
    """x = 0, 1, 2 with labels A, B, A: cutting before or after the B gives the same improvement, bit for bit
    (one child is pure either way), and every copy of the column gives it again."""
    X = np.repeat(np.array([[0.0], [1.0], [2.0]]) + shift, copies, axis=1)
    y = np.array([names[0], names[1], names[0]])
    call = describe_call("best_split", X, y, None, criterion, 1)
    got = call_unmodified(kata.best_split, X, y, None, criterion, 1)
    want_thr = shift + 0.5
    assert got is not None and (got.feature, got.threshold) == (0, want_thr), (
        f"{call} returned {got}; the candidates (feature j, threshold {shift + 0.5} or {shift + 1.5}) all tie, and "
        f"the rule keeps the lowest feature, then the lowest threshold: feature 0, threshold {want_thr}. "
        "Replace the best only on a strictly larger improvement (> not >=), and take the first argmax")


@given(seed=seeds(), copies=st.integers(1, 3), criterion=CRITERIA)
def test_one_distinct_value_gives_a_single_leaf_and_ties_go_to_the_first_class(kata, seed, copies, criterion):
    """X with one distinct value cannot be split: the root is the only leaf, and its class fractions tie."""
    n = 2 * copies
    X = np.full((n, 2), float(seed % 7))
    y = np.array(["dog", "cat"] * copies)
    call = describe_call(f"CARTClassifier(criterion={criterion!r}).fit", X, y)
    ours = call_unmodified(lambda X: kata.CARTClassifier(criterion=criterion).fit(X, y), X, fn_name="fit")
    assert len(ours.children_left_) == 1, f"{call} grew {len(ours.children_left_)} nodes from constant X; expected 1"
    assert_close(ours.predict_proba(X[:1]), [[0.5, 0.5]], rtol=0, atol=1e-12, name="predict_proba", call=call)
    assert_equal(ours.predict(X[:1]), ["cat"], name="predict on a 50/50 leaf (classes_[0] = 'cat' on a tie)",
                 call=call)


@given(seed=seeds(), n=st.integers(1, 5), d=st.integers(1, 3), msl=st.integers(1, 3))
@example(seed=0, n=1, d=1, msl=1)
def test_best_split_is_none_when_no_split_is_allowed(kata, seed, n, d, msl):
    X, y = np.random.default_rng(seed).normal(size=(n, d)), np.arange(n) % 2
    if n >= 2 * msl:
        X[:] = 1.5  # every feature constant: no threshold separates the samples
    got = kata.best_split(X, y, None, "gini", msl)
    assert got is None, (f"best_split(X with {n} rows, min_samples_leaf={msl}) returned {got}: no split leaves "
                         f"min_samples_leaf rows on both sides between two different values")


@given(seed=seeds(), n=st.integers(10, 80), d=st.integers(2, 4), k=st.integers(2, 3), criterion=CRITERIA,
       max_depth=st.integers(1, 4), mss=st.integers(2, 12), msl=st.integers(1, 6), weighted=st.booleans())
@example(seed=2, n=40, d=2, k=2, criterion="gini", max_depth=1, mss=2, msl=1, weighted=False)
@example(seed=3, n=80, d=3, k=3, criterion="entropy", max_depth=4, mss=12, msl=6, weighted=True)
def test_tree_matches_sklearn(kata, seed, n, d, k, criterion, max_depth, mss, msl, weighted):
    X, y, w, X_new = dataset(seed, n, d, k, weighted)
    est = DecisionTreeClassifier(criterion=criterion, max_depth=max_depth, min_samples_split=mss,
                                 min_samples_leaf=msl, random_state=0).fit(X, y, sample_weight=w)
    # sklearn breaks ties between features at random: compare only trees whose every split is unique.
    assume(has_unique_best_splits(est, X, y, np.ones(n) if w is None else w, criterion, msl))
    call = describe_call(f"CARTClassifier({criterion!r}, max_depth={max_depth}, min_samples_split={mss}, "
                         f"min_samples_leaf={msl}).fit", X, y, sample_weight=w)
    ours = kata.CARTClassifier(criterion=criterion, max_depth=max_depth, min_samples_split=mss,
                               min_samples_leaf=msl)
    assert ours.fit(X, y, sample_weight=w) is ours, f"{call} must return self"
    check_tree_against_sklearn(kata, est, ours, X, X_new, call)


@given(seed=seeds(), n=st.integers(2, 50), d=st.integers(1, 3), k=st.integers(2, 3), criterion=CRITERIA)
@example(seed=4, n=2, d=1, k=2, criterion="gini")
def test_fully_grown_tree_is_pure_and_every_split_is_a_best_one(kata, seed, n, d, k, criterion):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(np.float32).astype(np.float64)
    assume(all(len(np.unique(X[:, j])) == n for j in range(d)))
    y = rng.integers(0, k, size=n) * 3 - 1  # labels -1, 2, 5
    call = describe_call(f"CARTClassifier({criterion!r}).fit", X, y)
    ours = kata.CARTClassifier(criterion=criterion).fit(X, y)
    assert_equal(ours.predict(X), y, name="prediction on its own training data (distinct X: every leaf is pure)",
                 call=call)
    leaves = ours.apply(X)
    for node in np.flatnonzero(ours.children_left_ != -1):
        member = np.zeros(n, dtype=bool)
        stack = [node]
        while stack:  # the training rows below `node` are those whose leaf is in its subtree
            v = stack.pop()
            if ours.children_left_[v] == -1:
                member |= leaves == v
            else:
                stack += [int(ours.children_left_[v]), int(ours.children_right_[v])]
        cands = all_improvements(X[member], y[member], np.ones(member.sum()), criterion, 1)
        best = max(g for g, _, _ in cands)
        f, thr = int(ours.feature_[node]), float(ours.threshold_[node])
        left = X[member, f] <= thr
        mine = [g for g, j, t in cands if j == f and np.isclose(t, thr, rtol=THR_RTOL, atol=0)]
        assert mine, (f"{call}: node {node} splits feature {f} at {thr:.6g}, which is not the midpoint between two "
                      f"neighbouring values of its {member.sum()} training rows")
        assert mine[0] >= best - TIE, (
            f"{call}: node {node} splits feature {f} at {thr:.6g} (improvement {mine[0]:.6g}, {left.sum()} rows "
            f"left), but a split with improvement {best:.6g} exists")


@given(seed=seeds(), n=st.integers(6, 40), d=st.integers(2, 3), k=st.integers(2, 3))
@example(seed=0, n=10, d=2, k=2)
def test_a_value_exactly_on_the_threshold_goes_left(kata, seed, n, d, k):
    """Rows with X[:, feature] <= threshold go left: a new row exactly on the root's threshold lands in its left subtree."""
    X, y, _, _ = dataset(seed, n, d, k, False)
    ours = kata.CARTClassifier(max_depth=2).fit(X, y)
    if ours.children_left_[0] == -1:
        return  # a pure root: nothing to route
    row = X[:1].copy()
    row[0, ours.feature_[0]] = ours.threshold_[0]
    leaf = int(np.asarray(ours.apply(row))[0])
    first_right = int(ours.children_right_[0])
    assert 1 <= leaf < first_right, (
        f"CARTClassifier(max_depth=2).fit(X, y).apply(row with x[{ours.feature_[0]}] = threshold {ours.threshold_[0]}) "
        f"is leaf {leaf}, in the root's right subtree (ids >= {first_right}): x <= threshold goes left")

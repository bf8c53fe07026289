"""Tests for ml-03-1, Gini and entropy impurity and the impurity decrease of a split.

References: the closed form 1 - sum p^2 and scipy.stats.entropy(p, base=2) on the class fractions;
the node impurities of a depth-1 sklearn DecisionTreeClassifier (root and both children); and a
brute force over every split of that tree's root, which must find sklearn's split the best one.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.stats import entropy as scipy_entropy
from sklearn.datasets import make_classification
from sklearn.tree import DecisionTreeClassifier

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

# Impurities are sums of <= ~10 float64 terms of size <= 1: a few ulps. sklearn accumulates its
# weighted counts in a different order, so compare to 1e-10.
TOL = 1e-10
CRITERIA = st.sampled_from(["gini", "entropy"])


@st.composite
def labelled(draw: st.DrawFn, min_size: int = 0, max_size: int = 40) -> tuple[np.ndarray, np.ndarray | None]:
    """Labels (any ints, not only 0..K-1, or strings) and, half of the time, non-negative weights (some 0)."""
    n = draw(st.integers(min_size, max_size))
    values = draw(st.lists(st.integers(-3, 50), min_size=1, max_size=5, unique=True))
    y = np.array(draw(st.lists(st.sampled_from(values), min_size=n, max_size=n)), dtype=np.int64)
    if draw(st.booleans()):  # "any values np.unique can sort": strings too
        y = np.array([f"class{v}" for v in y], dtype=str) if n else np.array([], dtype=str)
    if draw(st.booleans()):
        rng = np.random.default_rng(draw(seeds()))
        w = rng.uniform(0.25, 4.0, size=n) * (rng.random(n) < 0.8)  # a zero weight: a class can have p = 0
        if n and w.sum() == 0:
            w[0] = 1.0
        return y, w
    return y, None


def fractions(y: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    w = np.ones(len(y)) if w is None else w
    _, inv = np.unique(y, return_inverse=True)
    tot = np.bincount(inv.ravel(), weights=w)
    return tot / tot.sum()


@given(data=labelled())
@example(data=(np.array([], dtype=np.int64), None))
@example(data=(np.array([7, 7, 7]), None))  # pure: 0
@example(data=(np.array([0, 1, 0, 1]), None))  # two equal classes: 0.5
@example(data=(np.array([0, 1, 2]), np.array([1.0, 1.0, 2.0])))  # weights move the fractions to 1/4, 1/4, 1/2
def test_gini_closed_form(kata, data):
    y, w = data
    want = 0.0 if len(y) == 0 else 1.0 - float(np.sum(fractions(y, w) ** 2))
    got = call_unmodified(lambda w: kata.gini(y, w), w, fn_name="gini")  # the weights stay as given
    assert_close(got, want, rtol=0, atol=TOL, name="Gini impurity", call=describe_call("gini", y, w))


@given(data=labelled())
@example(data=(np.array([], dtype=np.int64), None))
@example(data=(np.array([3, 3]), None))  # pure: 0 bits, and no log(0)
@example(data=(np.array([0, 1, 2, 3]), None))  # uniform over 4 classes: exactly 2 bits
@example(data=(np.array([5, 9]), np.array([1.0, 3.0])))
@example(data=(np.array(["x", "y", "y"]), np.array([0.0, 1.0, 2.0])))  # class "x" is present with p = 0
def test_entropy_matches_scipy_in_bits(kata, data):
    y, w = data
    want = 0.0 if len(y) == 0 else float(scipy_entropy(fractions(y, w), base=2))
    got = call_unmodified(lambda w: kata.entropy(y, w), w, fn_name="entropy")
    call = describe_call("entropy", y, w)
    assert np.isfinite(got), f"{call} returned {got}: a class with p = 0 must contribute 0, not 0 * log 0 = nan"
    assert_close(got, want, rtol=0, atol=TOL, name="entropy (bits)", call=call)


def depth1_tree(seed: int, n: int, n_features: int, n_classes: int, criterion: str, weighted: bool):
    X, y = make_classification(n_samples=n, n_features=n_features, n_informative=n_features, n_redundant=0,
                               n_classes=n_classes, n_clusters_per_class=1, flip_y=0.2, random_state=seed)
    X = X.astype(np.float32).astype(np.float64)  # sklearn's trees split float32 copies of X
    w = np.random.default_rng(seed).uniform(0.25, 4.0, size=n) if weighted else None
    est = DecisionTreeClassifier(max_depth=1, criterion=criterion, random_state=0).fit(X, y, sample_weight=w)
    return X, y + 10, w, est  # labels 10, 11, ...: nothing may assume they start at 0


TREE_ARGS = dict(seed=seeds(), n=st.integers(6, 60), n_features=st.integers(2, 4), n_classes=st.integers(2, 4),
                 criterion=CRITERIA, weighted=st.booleans())


def check_node_impurities(kata, seed, n, n_features, n_classes, criterion, weighted):
    X, y, w, est = depth1_tree(seed, n, n_features, n_classes, criterion, weighted)
    t = est.tree_
    fn = getattr(kata, criterion)
    assert_close(fn(y, w), t.impurity[0], rtol=0, atol=TOL, name=f"{criterion} of the root (all of y)",
                 call=describe_call(criterion, y, w))
    if t.node_count == 1:
        return
    left = X[:, t.feature[0]] <= t.threshold[0]
    for node, side in ((1, left), (2, ~left)):
        ws = None if w is None else w[side]
        assert_close(fn(y[side], ws), t.impurity[node], rtol=0, atol=TOL,
                     name=f"{criterion} of sklearn's {'left' if node == 1 else 'right'} child",
                     call=describe_call(criterion, y[side], ws))
    W = t.weighted_n_node_samples
    want = (W[0] * t.impurity[0] - W[1] * t.impurity[1] - W[2] * t.impurity[2]) / W[0]
    assert_close(kata.impurity_decrease(y, left, criterion, w), want, rtol=0, atol=TOL,
                 name="impurity decrease of sklearn's root split",
                 call=describe_call("impurity_decrease", y, left, criterion, sample_weight=w))


NODE_ARGS = {k: v for k, v in TREE_ARGS.items() if k != "criterion"}


@given(**NODE_ARGS)
@example(seed=0, n=6, n_features=2, n_classes=2, weighted=False)
@example(seed=1, n=60, n_features=4, n_classes=4, weighted=True)
def test_node_impurities_match_sklearn_gini_tree(kata, seed, n, n_features, n_classes, weighted):
    check_node_impurities(kata, seed, n, n_features, n_classes, "gini", weighted)


@given(**NODE_ARGS)
@example(seed=0, n=6, n_features=2, n_classes=2, weighted=False)
@example(seed=1, n=60, n_features=4, n_classes=4, weighted=True)
def test_node_impurities_match_sklearn_entropy_tree(kata, seed, n, n_features, n_classes, weighted):
    """sklearn's "entropy" criterion measures in bits (log base 2)."""
    check_node_impurities(kata, seed, n, n_features, n_classes, "entropy", weighted)


@given(**TREE_ARGS)
@example(seed=2, n=12, n_features=2, n_classes=3, criterion="gini", weighted=True)
def test_sklearn_root_split_is_the_best_by_your_decrease(kata, seed, n, n_features, n_classes, criterion, weighted):
    """sklearn picks the split that maximises the decrease; with your function, brute force must agree."""
    X, y, w, est = depth1_tree(seed, n, n_features, n_classes, criterion, weighted)
    t = est.tree_
    best, best_at = -np.inf, None
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        for thr in (values[:-1] + values[1:]) / 2:
            d = kata.impurity_decrease(y, X[:, j] <= thr, criterion, w)
            if d > best:
                best, best_at = d, (j, thr)
    if t.node_count == 1:
        assert best <= TOL, f"the root is pure, yet your impurity_decrease found a split with decrease {best}"
        return
    W = t.weighted_n_node_samples
    sk = (W[0] * t.impurity[0] - W[1] * t.impurity[1] - W[2] * t.impurity[2]) / W[0]
    assert_close(best, sk, rtol=0, atol=TOL, name=f"largest {criterion} decrease over all {n_features} features", call=(
        f"max over every split of impurity_decrease(y, X[:, j] <= t, {criterion!r}, w) (attained at feature, "
        f"threshold {best_at}; sklearn split feature {t.feature[0]} at {t.threshold[0]:.6g})"))


@given(data=labelled(min_size=1), mask_seed=seeds(), criterion=CRITERIA)
@example(data=(np.array([0, 1]), None), mask_seed=0, criterion="gini")
def test_decrease_is_non_negative_and_zero_for_a_one_sided_split(kata, data, mask_seed, criterion):
    """Both impurities are concave, so a split can never increase the weighted impurity."""
    y, w = data
    left = np.random.default_rng(mask_seed).random(len(y)) < 0.5
    call = describe_call("impurity_decrease", y, left, criterion, sample_weight=w)
    d = call_unmodified(lambda left, w: kata.impurity_decrease(y, left, criterion, w), left, w,
                        fn_name="impurity_decrease")
    assert d >= -TOL, f"{call} returned {d} < 0: the children must be weighted by their share of the node"
    everything = np.ones(len(y), dtype=bool)
    assert_close(kata.impurity_decrease(y, everything, criterion, w), 0.0, rtol=0, atol=TOL,
                 name="decrease of a split that sends everything left",
                 call=describe_call("impurity_decrease", y, everything, criterion, sample_weight=w))


def test_rejects_unknown_criterion(kata):
    with pytest.raises(ValueError):
        kata.impurity_decrease(np.array([0, 1]), np.array([True, False]), "misclassification")


def closed_form_decrease(y, left, w, criterion):
    def imp(labels, weights):
        if weights.sum() == 0:
            return 0.0
        _, inv = np.unique(labels, return_inverse=True)
        frac = np.bincount(inv.ravel(), weights=weights) / weights.sum()
        frac = frac[frac > 0]
        return 1 - np.sum(frac**2) if criterion == "gini" else -np.sum(frac * np.log2(frac))
    W, WL = w.sum(), w[left].sum()
    if WL == 0 or WL == W:
        return 0.0
    return imp(y, w) - WL / W * imp(y[left], w[left]) - (W - WL) / W * imp(y[~left], w[~left])


@given(y=st.lists(st.integers(0, 2), min_size=2, max_size=8), data=st.data(), criterion=CRITERIA)
@example(y=[0, 0, 1], data=None, criterion="gini")  # the right child holds one sample of weight exactly 1
@example(y=[0, 1, 1, 0], data=None, criterion="entropy")  # quarter weights: the node's total weight is 1
@example(y=[1, 0, 1], data=None, criterion="gini")  # the left side has samples but zero weight: decrease 0
def test_decrease_matches_the_closed_form_on_small_weights(kata, y, data, criterion):
    y = np.array(y)
    n = len(y)
    if data is None:  # the three pinned cases, in the order of the examples above
        if n == 3 and y[0] == 0:
            left, w = np.array([True, True, False]), np.ones(3)
        elif n == 4:
            left, w = np.array([True, False, False, True]), np.full(4, 0.25)   # pure children: decrease > 0
        else:
            left, w = np.array([True, False, False]), np.array([0.0, 1.0, 1.0])
    else:
        left = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        w = np.array(data.draw(st.lists(st.integers(0, 8).map(lambda v: v / 4), min_size=n, max_size=n)))
        if w.sum() == 0:
            w[0] = 1.0
    call = describe_call("impurity_decrease", y, left, criterion, sample_weight=w)
    got = call_unmodified(kata.impurity_decrease, y, left, criterion, w)
    assert_close(got, closed_form_decrease(y, left, w, criterion), rtol=0, atol=TOL,
                 name="impurity decrease (a side of weight 0 counts as empty: decrease 0)", call=call)

"""Tests for rl-02-5, prioritized replay with a sum tree.

References: after every step of a drawn sequence of updates, the tree is checked against a plain
list of priorities (total = their sum; find(prefix) = np.searchsorted of their cumulative sum, at
drawn prefixes and exactly on every boundary); sampling frequencies against the priorities
(chi-square test); stratification (the k-th draw falls in the k-th segment of the total); and the
importance-sampling weights of Schaul et al. in closed form.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, describe_call

PRIORITIES = st.integers(0, 5).map(float) | st.floats(0.0, 10.0)


def expected_find(prios: np.ndarray, prefix: float) -> int:
    """The first leaf whose cumulative sum exceeds the prefix (zero-priority leaves are never found)."""
    return int(np.searchsorted(np.cumsum(prios), prefix, side="right"))


@given(capacity=st.integers(1, 12), data=st.data())
@example(capacity=3, data=None)
def test_tree_tracks_a_sequence_of_updates(kata, capacity, data):
    """Stateful check: a drawn sequence of updates (indices repeat), the tree compared after each one."""
    if data is None:  # [1, 0, 2]: the boundary at 1.0 skips the zero leaf; then update index 0 twice
        updates = [(0, 1.0), (2, 2.0), (0, 3.0), (0, 1.0)]
    else:
        updates = data.draw(st.lists(st.tuples(st.integers(0, capacity - 1), PRIORITIES), min_size=1, max_size=20),
                            label="updates")
    tree = kata.SumTree(capacity)
    prios = np.zeros(capacity)
    for step, (i, p) in enumerate(updates):
        tree.update(i, p)
        prios[i] = p
        call = f"SumTree({capacity}) after updates {updates[:step + 1]}"
        # Sums of <= 12 values <= 10 in a different order: 1e-9.
        assert_close(tree.total(), prios.sum(), rtol=0, atol=1e-9, name="total() (sum of current priorities; "
                     "an update replaces the old priority)", call=call)
        assert_equal(np.array([tree.priority(j) for j in range(capacity)]), prios, name="priority(j) for every j",
                     call=call)
        if prios.sum() <= 0:
            continue
        cum = np.cumsum(prios)
        prefixes = [0.0]
        if np.all(prios == np.round(prios)):  # integer priorities: boundaries are exact in any summation order
            prefixes += [float(c) for c in cum[:-1] if c < cum[-1]]  # exactly on every boundary
        if data is not None:
            fractions = data.draw(st.lists(st.floats(0.0, 1.0, exclude_max=True), max_size=5), label="fractions")
            prefixes += [f * float(prios.sum()) for f in fractions]
        for prefix in prefixes:
            prefix = min(prefix, float(np.nextafter(tree.total(), 0)))
            want = expected_find(prios, prefix)
            if want >= capacity:  # float rounding at the very top: the last positive leaf
                want = int(np.flatnonzero(prios > 0)[-1])
            assert_equal(tree.find(prefix), want,
                         name=f"find({prefix!r}) (first leaf whose cumulative priority exceeds the prefix)", call=call)


@settings(max_examples=10)
@given(capacity=st.integers(2, 10), data=st.data(), seed=seeds())
def test_prefix_sampling_matches_the_priorities(kata, capacity, data, seed):
    prios = np.array(data.draw(st.lists(st.integers(0, 4).map(float), min_size=capacity, max_size=capacity),
                               label="priorities"))
    if prios.sum() == 0:
        prios[0] = 1.0
    tree = kata.SumTree(capacity)
    for i, p in enumerate(prios):
        tree.update(i, p)
    rng = np.random.default_rng(seed)
    n = 4000
    idx = kata.stratified_sample(tree, n, rng)
    assert idx.shape == (n,) and idx.dtype.kind in "iu", f"stratified_sample returned {idx.dtype}{idx.shape}"
    counts = np.bincount(idx, minlength=capacity)
    assert np.all(counts[prios == 0] == 0), f"zero-priority leaves were sampled: counts {counts.tolist()}"
    live = prios > 0
    e = n * prios[live] / prios.sum()
    if live.sum() >= 2:
        stat = float(((counts[live] - e) ** 2 / e).sum())
        # Stratified draws vary less than independent ones: the test is conservative.
        assert stat < chi2.ppf(1 - 1e-6, df=int(live.sum()) - 1), (
            f"stratified_sample(tree with priorities {prios.tolist()}, {n}): counts {counts.tolist()}, expected "
            f"{np.round(n * prios / prios.sum()).tolist()} (P(i) = p_i / total). chi-square {stat:.1f}")


@given(capacity=st.integers(1, 10), batch_size=st.integers(1, 16), data=st.data(), seed=seeds())
def test_one_draw_per_segment(kata, capacity, batch_size, data, seed):
    """Draw k lies in the k-th of batch_size equal segments of [0, total)."""
    prios = np.array(data.draw(st.lists(PRIORITIES, min_size=capacity, max_size=capacity), label="priorities"))
    if prios.sum() == 0:
        prios[-1] = 1.0
    tree = kata.SumTree(capacity)
    for i, p in enumerate(prios):
        tree.update(i, p)
    idx = kata.stratified_sample(tree, batch_size, np.random.default_rng(seed))
    cum = np.concatenate([[0.0], np.cumsum(prios)])
    seg = prios.sum() / batch_size
    for k, i in enumerate(np.asarray(idx)):
        lo, hi = cum[i], cum[i + 1]
        assert hi > k * seg - 1e-9 and lo < (k + 1) * seg + 1e-9, (
            f"stratified_sample(priorities {prios.tolist()}, {batch_size}): draw {k} is leaf {i}, covering "
            f"[{lo:.4g}, {hi:.4g}), outside segment [{k * seg:.4g}, {(k + 1) * seg:.4g})")


@settings(max_examples=5)
@given(seed=seeds())
def test_same_rng_seed_same_samples(kata, seed):
    tree = kata.SumTree(8)
    for i in range(8):
        tree.update(i, float(i % 3 + 1))
    assert_seeded(lambda s: kata.stratified_sample(tree, 6, np.random.default_rng(s)), seed, name="sampled indices")


@given(capacity=st.integers(1, 8), n_stored=st.integers(1, 100), beta=st.sampled_from([0.0, 0.4, 1.0]) | st.floats(0, 1),
       data=st.data())
@example(capacity=3, n_stored=3, beta=1.0, data=None)
def test_importance_weights_closed_form(kata, capacity, n_stored, beta, data):
    if data is None:
        prios, indices = np.array([1.0, 2.0, 5.0]), np.array([0, 2, 2, 1])
    else:
        prios = np.array(data.draw(st.lists(st.floats(0.125, 10.0), min_size=capacity, max_size=capacity),
                                   label="priorities"))
        indices = np.array(data.draw(st.lists(st.integers(0, capacity - 1), min_size=1, max_size=6), label="indices"))
    tree = kata.SumTree(len(prios))
    for i, p in enumerate(prios):
        tree.update(i, p)
    w = (n_stored * prios[indices] / prios.sum()) ** (-beta)
    call = describe_call("importance_weights", "tree", indices, n_stored, beta)
    got = kata.importance_weights(tree, indices, n_stored, beta)
    # float64 powers of values in [1e-3, 1e3]: 1e-12 relative.
    assert_close(got, w / w.max(), rtol=1e-10, atol=1e-12,
                 name="weights (N * P(i)) ** -beta divided by their max over the batch", call=call)


@given(case=st.sampled_from(["capacity0", "index_high", "index_negative", "negative_priority", "nan_priority",
                             "prefix_negative", "prefix_total", "empty_sample", "batch0", "beta_high",
                             "read_index_high", "read_index_negative"]))
def test_rejects_bad_arguments(kata, case):
    if case == "capacity0":
        with pytest.raises(ValueError):
            kata.SumTree(0)
        return
    tree = kata.SumTree(4)
    if case == "empty_sample":
        with pytest.raises(ValueError):
            kata.stratified_sample(tree, 2, np.random.default_rng(0))
        return
    tree.update(1, 2.0)
    tree.update(3, 1.0)
    with pytest.raises(ValueError):
        {"index_high": lambda: tree.update(4, 1.0), "index_negative": lambda: tree.update(-1, 1.0),
         "negative_priority": lambda: tree.update(0, -0.5), "nan_priority": lambda: tree.update(0, float("nan")),
         "prefix_negative": lambda: tree.find(-0.1), "prefix_total": lambda: tree.find(3.0),
         "batch0": lambda: kata.stratified_sample(tree, 0, np.random.default_rng(0)),
         "beta_high": lambda: kata.importance_weights(tree, np.array([1]), 4, 1.5),
         "read_index_high": lambda: tree.priority(4), "read_index_negative": lambda: tree.priority(-1)}[case]()


def test_find_just_below_the_total_never_returns_padding(kata):
    """capacity 3 sits in a tree of 4 leaves; with these priorities the float sums round so that walking
    down from the largest prefix below the total drifts into the padding leaf: the answer is still leaf 2,
    the last leaf with positive priority."""
    tree = kata.SumTree(3)
    for i, p in enumerate([0.5, 0.1, 1.1]):
        tree.update(i, p)
    prefix = float(np.nextafter(tree.total(), 0.0))
    got = tree.find(prefix)
    assert int(got) == 2, f"SumTree(3) with priorities [0.5, 0.1, 1.1]: find({prefix!r}) = {got}, expected 2"

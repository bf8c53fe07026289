"""Tests for ml-03-10, CatBoost's ordered target statistics.

References: the closed form (sum of earlier same-category targets + a * prior) / (count + a)
evaluated by brute force; the no-leakage property (perturbing the target of any row at or after
row i in the permutation leaves row i's encoding unchanged); the degenerate case of unique
categories (every ordered statistic is the prior, whereas a greedy one reproduces y); and the
test-time statistic over the whole training set.
"""
import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

# Each statistic is a sum of <= 60 targets in [0, 1] divided once: ~1e-15; allow 1e-12.
TOL = 1e-12
PRIORS = st.sampled_from([0.5, 0.1, 0.0, 2.5])
SMOOTHING = st.sampled_from([1.0, 0.5, 3.0, 10.0])


@st.composite
def problems(draw: st.DrawFn, min_n: int = 1, max_n: int = 60):
    n = draw(st.integers(min_n, max_n))
    rng = np.random.default_rng(draw(seeds()))
    k = draw(st.integers(1, 8))
    labels = draw(st.sampled_from(["int", "str"]))
    cats = rng.integers(0, k, size=n)
    cats = np.array([f"city-{c}" for c in cats]) if labels == "str" else cats * 7 - 3
    y = (rng.random(n) < 0.4).astype(np.float64) if draw(st.booleans()) else rng.normal(size=n)
    return cats, y, rng.permutation(n)


def brute_force(cats, y, perm, prior, a):
    pos = np.empty(len(perm), dtype=np.int64)
    pos[perm] = np.arange(len(perm))  # position of each row in the permutation
    out = np.empty(len(y))
    for i in range(len(y)):
        before = (pos < pos[i]) & (cats == cats[i])
        out[i] = (y[before].sum() + a * prior) / (before.sum() + a)
    return out


@given(data=problems(), prior=PRIORS, a=SMOOTHING)
@example(data=(np.array([0]), np.array([1.0]), np.array([0])), prior=0.5, a=1.0)
@example(data=(np.array([1, 1, 1]), np.array([1.0, 0.0, 1.0]), np.array([2, 0, 1])), prior=0.5, a=1.0)
def test_matches_the_closed_form(kata, data, prior, a):
    cats, y, perm = data
    call = describe_call("ordered_target_statistics", cats, y, perm, prior, a)
    got = kata.ordered_target_statistics(cats, y, perm, prior, a)
    assert_close(got, brute_force(cats, y, perm, prior, a), rtol=0, atol=TOL,
                 name="encodings (row order, not permutation order)", call=call)


@given(data=problems(min_n=2), prior=PRIORS, a=SMOOTHING, cut=st.floats(0.0, 1.0), noise_seed=seeds())
@example(data=(np.array([4, 4]), np.array([0.0, 1.0]), np.array([1, 0])), prior=0.5, a=1.0, cut=0.0, noise_seed=0)
def test_no_target_leakage(kata, data, prior, a, cut, noise_seed):
    """Row i's encoding may use only the rows before it in the permutation: changing the targets of
    the row at position k and of every later row must leave positions 0..k unchanged."""
    cats, y, perm = data
    k = min(int(cut * len(y)), len(y) - 1)
    y2 = y.copy()
    later = perm[k:]
    y2[later] = np.random.default_rng(noise_seed).normal(size=len(later)) * 5 + 3
    call = describe_call("ordered_target_statistics", cats, y, perm, prior, a)
    before = kata.ordered_target_statistics(cats, y, perm, prior, a)
    after = kata.ordered_target_statistics(cats, y2, perm, prior, a)
    rows = perm[: k + 1]
    assert_close(np.asarray(after)[rows], np.asarray(before)[rows], rtol=0, atol=TOL,
                 name=f"encodings of the first {k + 1} rows in the permutation after changing the targets of rows "
                      f"{perm[k:].tolist()} (their own and later ones): target leakage", call=call)


@given(n=st.integers(1, 40), seed=seeds(), prior=PRIORS, a=SMOOTHING)
@example(n=5, seed=0, prior=0.5, a=1.0)
def test_unique_categories_get_the_prior(kata, n, seed, prior, a):
    """Every category occurs once: nothing is known before any row, so every encoding is the prior.
    (A greedy statistic over all rows would give (y_i + a prior) / (1 + a): y leaked into the feature.)"""
    rng = np.random.default_rng(seed)
    cats, y, perm = np.arange(n) * 2 + 1, rng.random(n), rng.permutation(n)
    call = describe_call("ordered_target_statistics", cats, y, perm, prior, a)
    assert_close(kata.ordered_target_statistics(cats, y, perm, prior, a), np.full(n, prior), rtol=0, atol=TOL,
                 name="encodings of categories seen only once", call=call)


@given(data=problems(), prior=PRIORS, a=SMOOTHING, m=st.integers(1, 20), seed=seeds())
@example(data=(np.array([1, 1, 2]), np.array([1.0, 0.0, 1.0]), np.array([0, 1, 2])), prior=0.5, a=1.0, m=1, seed=0)
def test_test_time_statistics_use_all_training_rows(kata, data, prior, a, m, seed):
    cats, y, _ = data
    pool = np.unique(cats)
    rng = np.random.default_rng(seed)
    unseen = np.array(["never-seen"]) if pool.dtype.kind in "US" else np.array([10**6])
    new = rng.choice(np.concatenate([pool, unseen]), size=m)
    want = np.array([(y[cats == c].sum() + a * prior) / ((cats == c).sum() + a) for c in new])
    call = describe_call("target_statistics", cats, y, new, prior, a)
    got = kata.target_statistics(cats, y, new, prior, a)
    assert_close(got, want, rtol=0, atol=TOL,
                 name="test-time encodings (all training rows of the category; the prior for an unseen one)",
                 call=call)


@given(data=problems(min_n=2), prior=PRIORS, a=SMOOTHING)
def test_first_occurrence_is_the_prior_and_inputs_untouched(kata, data, prior, a):
    cats, y, perm = data
    cats0, y0, perm0 = cats.copy(), y.copy(), perm.copy()
    call = describe_call("ordered_target_statistics", cats, y, perm, prior, a)
    got = np.asarray(kata.ordered_target_statistics(cats, y, perm, prior, a))
    assert_equal(cats, cats0, name="categories argument (must not be modified)", call=call)
    assert_equal(y, y0, name="y argument (must not be modified)", call=call)
    assert_equal(perm, perm0, name="permutation argument (must not be modified)", call=call)
    seen: set = set()
    firsts = []
    for i in perm:
        if cats[i] not in seen:
            seen.add(cats[i])
            firsts.append(i)
    assert_close(got[firsts], np.full(len(firsts), prior), rtol=0, atol=TOL,
                 name="encodings of the first row of each category in the permutation (nothing before it)",
                 call=call)

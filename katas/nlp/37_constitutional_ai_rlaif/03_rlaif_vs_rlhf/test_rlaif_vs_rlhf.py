"""Tests for nlp-37-3, RLAIF against RLHF on simulated alignment data.

References: sklearn.metrics.cohen_kappa_score for the agreement between annotators; brute-force
counting (ties one half) for a reward model's preference accuracy; np.argmax's first-index rule for
best-of-n. The trained comparison: reward models fitted on 150 "human" comparisons (unbiased,
noisy) and on 2000 "AI" comparisons (cheap); with an unbiased AI judge RLAIF matches RLHF on
held-out gold preferences, with a judge that likes length it falls behind, and best-of-n under its
reward model picks longer answers with lower true quality.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

pytestmark = pytest.mark.slow      # the last test fits nine reward models

W_TRUE = np.array([1.0, 0.8, -0.6, 0.5, 0.0])    # feature 4 is length: people are indifferent to it
LENGTH = np.array([0.0, 0.0, 0.0, 0.0, 1.0])


@given(seed=seeds(), n=dims(1, 40), p1=st.sampled_from([0.1, 0.5, 0.9]), p2=st.sampled_from([0.2, 0.5]))
@example(seed=0, n=2, p1=0.5, p2=0.5)
def test_kappa_matches_sklearn(kata, seed, n, p1, p2):
    rng = np.random.default_rng(seed)
    y1, y2 = rng.random(n) < p1, rng.random(n) < p2
    if (y1 == y1[0]).all() and (y2 == y1[0]).all():
        y2[0] = not y2[0]                                  # keep kappa defined
    call = describe_call("cohen_kappa", y1, y2)
    got = call_unmodified(kata.cohen_kappa, y1, y2)
    assert_close(got, cohen_kappa_score(y1, y2), rtol=1e-9, atol=1e-12, name="Cohen's kappa (reference: sklearn)",
                 call=call)


@given(case=st.sampled_from(["constant", "lengths", "empty"]))
@example(case="constant")      # both always say "a": chance agreement is 1 and kappa is 0/0
@example(case="lengths")
def test_kappa_rejects_bad_input(kata, case):
    y1, y2 = np.array([True, False, True]), np.array([True, True, False])
    if case == "constant":
        y1, y2 = np.ones(4, dtype=bool), np.ones(4, dtype=bool)
    elif case == "lengths":
        y2 = y2[:2]
    else:
        y1, y2 = y1[:0], y2[:0]
    with pytest.raises(ValueError):
        kata.cohen_kappa(y1, y2)
        pytest.fail(f"cohen_kappa with {case} labels returned instead of raising ValueError")


@given(seed=seeds(), n=dims(1, 30), grid=st.booleans())
@example(seed=0, n=4, grid=True)
def test_preference_accuracy_counts_agreements(kata, seed, n, grid):
    rng = np.random.default_rng(seed)
    features = rng.integers(-1, 2, (6, 3)).astype(float) if grid else rng.normal(size=(6, 3))   # grid: exact ties
    w = np.array([1.0, 1.0, 0.0]) if grid else rng.normal(size=3)
    a, b = rng.integers(0, 6, n), rng.integers(0, 6, n)
    labels = rng.random(n) < 0.5
    call = describe_call("preference_accuracy", w, features, a, b, labels)
    got = call_unmodified(kata.preference_accuracy, w, features, a, b, labels)
    ra, rb = features[a] @ w, features[b] @ w
    want = np.mean([0.5 if x == y else float((x > y) == lab) for x, y, lab in zip(ra, rb, labels, strict=True)])
    assert_close(got, want, rtol=0, atol=1e-12, name="fraction of pairs ranked as labelled (ties count 1/2)", call=call)


@given(case=st.sampled_from(["lengths", "empty"]))
@example(case="lengths")
def test_preference_accuracy_rejects_bad_input(kata, case):
    features, w = np.eye(3), np.ones(3)
    a, b, y = np.array([0, 1]), np.array([1, 2]), np.array([True, False])
    if case == "lengths":
        y = y[:1]
    else:
        a, b, y = a[:0], b[:0], y[:0]
    with pytest.raises(ValueError):
        kata.preference_accuracy(w, features, a, b, y)
        pytest.fail(f"preference_accuracy with {case} input returned instead of raising ValueError")


@given(seed=seeds(), n=dims(1, 10))
@example(seed=0, n=3)
def test_best_of_n(kata, seed, n):
    rng = np.random.default_rng(seed)
    candidates, w = rng.integers(0, 3, (n, 2)).astype(float), np.array([1.0, 1.0])   # many tied rewards
    got = kata.best_of_n(w, candidates)
    assert_equal(np.int64(got), np.int64(np.argmax(candidates @ w)), name="best candidate (first among ties)",
                 call=describe_call("best_of_n", w, candidates))


def test_rlaif_matches_rlhf_unless_the_judge_is_biased(kata):
    rows = []
    for seed in range(3):
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(300, 5))
        a_h = rng.integers(0, 300, 150)
        b_h = (a_h + rng.integers(1, 300, 150)) % 300
        a = rng.integers(0, 300, 2000)
        b = (a + rng.integers(1, 300, 2000)) % 300
        test_x = rng.normal(size=(400, 5))
        at, bt = rng.integers(0, 400, 2000), rng.integers(0, 400, 2000)
        at, bt = at[at != bt], bt[at != bt]
        gold = kata.simulate_labels(test_x, at, bt, W_TRUE, 1e-3, seed + 100)     # near-noiseless truth
        human = kata.fit_reward_model(x, a_h, b_h, kata.simulate_labels(x, a_h, b_h, W_TRUE, 1.0, seed))
        fair = kata.fit_reward_model(x, a, b, kata.simulate_labels(x, a, b, W_TRUE, 2.0, seed + 1))
        biased = kata.fit_reward_model(x, a, b, kata.simulate_labels(x, a, b, W_TRUE + 0.8 * LENGTH, 0.3, seed + 1))
        picks = np.array([[c[kata.best_of_n(w, c)] for w in (fair, biased)]
                          for c in (rng.normal(size=(16, 5)) for _ in range(100))])      # (100, 2, 5)
        rows.append([kata.preference_accuracy(w, test_x, at, bt, gold) for w in (human, fair, biased)]
                    + [(picks[:, i] @ W_TRUE).mean() for i in (0, 1)] + [picks[:, i, 4].mean() for i in (0, 1)])
    r = np.array(rows)
    shown = ("per seed [gold accuracy: RLHF (150 human labels), RLAIF fair judge, RLAIF length-loving judge; "
             f"best-of-16 true quality: fair, biased; chosen length: fair, biased]:\n{np.round(r, 3)}")
    assert (r[:, 1] > r[:, 0] - 0.04).all(), f"{shown}\n2000 labels from an unbiased (noisier) AI judge should match RLHF"
    assert (r[:, 2] < r[:, 0] - 0.06).all(), f"{shown}\na biased judge's reward model should fall behind RLHF"
    assert (r[:, 6] > r[:, 5] + 0.4).all() and (r[:, 4] < r[:, 3]).all(), (
        f"{shown}\nbest-of-n under the biased judge's reward model should pick longer, worse answers")

"""Tests for nlp-39-2, reward-model ensembles and a reward-hacking detector.

References: each ensemble member against sklearn.linear_model.LogisticRegression on the same
bootstrap resample of the comparisons (the documented draw order of np.random.default_rng(seed));
the ensemble statistics against numpy's mean and std (ddof = 1). The trained effect: an ensemble
fitted on comparisons where a spurious feature ("length") tracks a real one learns to reward the
spurious feature; best-of-n selection on the mean reward then picks padded, off-distribution
answers the true reward dislikes (reward hacking), the members disagree far more on exactly those
answers, and filtering by disagreement or penalising it recovers good picks.
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from grader.strategies import dims, seeds
from grader.testing import (
    assert_close,
    assert_equal,
    assert_seeded,
    assert_shape,
    call_unmodified,
    describe_call,
)

pytestmark = pytest.mark.slow      # the last test fits six ensembles

W_TRUE = np.array([1.0, 1.0, 1.0, -0.5])   # the truth slightly dislikes feature 3 ("length")


def answers(rng, n, pad=0.0):
    """Answer features; feature 3 tracks feature 0 (+ small noise) unless padded."""
    x = rng.normal(size=(n, 4))
    x[:, 3] = x[:, 0] + 0.1 * rng.normal(size=n) + pad
    return x


def comparisons(rng, x, n_pairs):
    a = rng.integers(0, len(x), n_pairs)
    b = (a + rng.integers(1, len(x), n_pairs)) % len(x)
    u = x @ W_TRUE
    a_wins = rng.random(n_pairs) < 1 / (1 + np.exp(-(u[a] - u[b])))
    return np.where(a_wins, a, b), np.where(a_wins, b, a)


def sklearn_member(d, l2):
    n = len(d)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = LogisticRegression(C=1 / (2 * n * l2), fit_intercept=False, tol=1e-12, max_iter=10_000)
        return m.fit(np.vstack([d, -d]), np.r_[np.ones(n), np.zeros(n)]).coef_[0]


@settings(max_examples=6)
@given(seed=seeds(), n_models=dims(1, 4), n_pairs=st.integers(1, 60), l2=st.sampled_from([1e-3, 1e-2, 0.1]))
@example(seed=0, n_models=1, n_pairs=1, l2=0.1)
@example(seed=1, n_models=3, n_pairs=40, l2=1e-3)
def test_members_are_bootstrap_fits(kata, seed, n_models, n_pairs, l2):
    rng = np.random.default_rng(seed + 1)
    x = answers(rng, 12)
    chosen, rejected = comparisons(rng, x, n_pairs)
    call = describe_call("fit_ensemble", x, chosen, rejected, n_models, seed, l2=l2)
    weights = call_unmodified(kata.fit_ensemble, x, chosen, rejected, n_models, seed, l2=l2)
    assert_shape(weights, (n_models, 4), name="member weights", call=call)
    d = x[chosen] - x[rejected]
    boot = np.random.default_rng(seed)
    for m in range(n_models):
        want = sklearn_member(d[boot.integers(0, n_pairs, n_pairs)], l2)
        # strictly convex fits to ~1e-12: members agree to ~1e-5
        assert_close(weights[m], want, rtol=1e-4, atol=1e-4,
                     name=f"member {m} (reference: sklearn on bootstrap draw {m} of default_rng(seed))", call=call)


def test_default_l2(kata):
    rng = np.random.default_rng(5)
    x = answers(rng, 10)
    chosen, rejected = comparisons(rng, x, 30)
    assert_close(kata.fit_ensemble(x, chosen, rejected, 2, 0), kata.fit_ensemble(x, chosen, rejected, 2, 0, l2=1e-3),
                 rtol=1e-9, atol=1e-12, name="weights", call="fit_ensemble(..., 2, 0) with the default l2 = 1e-3")


@given(seed=seeds())
def test_same_seed_same_ensemble(kata, seed):
    rng = np.random.default_rng(3)
    x = answers(rng, 10)
    chosen, rejected = comparisons(rng, x, 25)
    assert_seeded(lambda s: kata.fit_ensemble(x, chosen, rejected, 2, s), seed, name="ensemble weights")


@given(case=st.sampled_from(["no models", "no pairs", "lengths"]))
@example(case="no models")
@example(case="no pairs")
def test_fit_rejects_bad_input(kata, case):
    rng = np.random.default_rng(0)
    x = answers(rng, 6)
    chosen, rejected = comparisons(rng, x, 10)
    n_models = 0 if case == "no models" else 2
    if case == "no pairs":
        chosen, rejected = chosen[:0], rejected[:0]
    elif case == "lengths":
        rejected = rejected[:-1]
    with pytest.raises(ValueError):
        kata.fit_ensemble(x, chosen, rejected, n_models, 0)
        pytest.fail(f"fit_ensemble with {case} returned instead of raising ValueError")


@given(seed=seeds(), m=dims(1, 5), n=dims(1, 8), k=st.sampled_from([0.0, 0.5, 2.0]))
@example(seed=0, m=1, n=3, k=2.0)          # one member: no disagreement
def test_scores_and_conservative_reward(kata, seed, m, n, k):
    rng = np.random.default_rng(seed)
    weights, x = rng.normal(size=(m, 3)), rng.normal(size=(n, 3))
    call = describe_call("ensemble_scores", weights, x)
    mean, std = call_unmodified(kata.ensemble_scores, weights, x)
    rewards = x @ weights.T
    want_std = rewards.std(axis=1, ddof=1) if m > 1 else np.zeros(n)
    assert_close(mean, rewards.mean(axis=1), rtol=1e-12, atol=1e-12, name="mean reward", call=call)
    assert_close(std, want_std, rtol=1e-12, atol=1e-12, name="std of the members' rewards (ddof = 1)", call=call)
    call = describe_call("conservative_reward", weights, x, k=k)
    got = call_unmodified(kata.conservative_reward, weights, x, k=k)
    assert_close(got, rewards.mean(axis=1) - k * want_std, rtol=1e-12, atol=1e-12, name="mean - k * std", call=call)


def test_conservative_default_k(kata):
    weights, x = np.array([[0.0], [1.0], [2.0]]), np.array([[1.0], [3.0]])
    assert_close(kata.conservative_reward(weights, x), np.array([0.0, 0.0]), rtol=0, atol=1e-12,
                 name="mean - std", call="conservative_reward(members [0, 1, 2], x=[1, 3]) with the default k = 1")


@given(threshold=st.sampled_from([0.5, 1.0, 1.5]))
@example(threshold=1.0)          # std exactly on the threshold: not flagged
def test_flag_is_strictly_above_threshold(kata, threshold):
    weights, x = np.array([[0.0], [1.0], [2.0]]), np.array([[1.0], [0.0], [2.0]])   # stds 1, 0, 2 exactly
    call = describe_call("flag_hacking", weights, x, threshold)
    got = call_unmodified(kata.flag_hacking, weights, x, threshold)
    assert_equal(np.asarray(got, dtype=bool), np.array([1.0, 0.0, 2.0]) > threshold,
                 name="flags (std > threshold)", call=call)


def test_ensemble_exposes_and_stops_reward_hacking(kata):
    rows = []
    for seed in range(6):
        rng = np.random.default_rng(seed)
        train = answers(rng, 200)
        chosen, rejected = comparisons(rng, train, 400)
        weights = kata.fit_ensemble(train, chosen, rejected, 8, seed, l2=1e-2)
        pool = np.vstack([answers(rng, 100), answers(rng, 100, pad=6.0)])     # second half: padded, off-distribution
        off = np.arange(200) >= 100
        true = pool @ W_TRUE
        mean, std = kata.ensemble_scores(weights, pool)
        flags = kata.flag_hacking(weights, pool, 3 * kata.ensemble_scores(weights, train)[1].mean())
        filtered = np.where(flags, -np.inf, mean)
        careful = kata.conservative_reward(weights, pool, k=4.0)
        rows.append([std[off].mean() / std[~off].mean(), off[mean.argmax()], true[mean.argmax()],
                     true[filtered.argmax()], true[careful.argmax()], true[~off].max(), flags[off].mean(), flags[~off].mean()])
    r = np.array(rows)
    shown = ("per seed [std ratio off/in, best-of-n by mean is off-distribution, its true reward, true reward after "
             f"filtering, with k=4 penalty, best in-distribution, flagged off, flagged in]:\n{np.round(r, 2)}")
    assert (r[:, 0] > 2.5).all(), f"{shown}\nthe members should disagree > 2.5x more on padded answers"
    assert r[:, 1].sum() >= 4 and r[:, 2].mean() < r[:, 5].mean() - 1.5, (
        f"{shown}\nexpected the mean reward to be hacked: best-of-n picks padded answers the truth dislikes")
    assert r[:, 6].mean() >= 0.9 and r[:, 7].mean() <= 0.05, f"{shown}\nthe detector should flag padded answers only"
    assert r[:, 3].mean() > r[:, 5].mean() - 0.3 and r[:, 4].mean() > r[:, 2].mean() + 1, (
        f"{shown}\nfiltering flagged answers and penalising disagreement should recover good picks")

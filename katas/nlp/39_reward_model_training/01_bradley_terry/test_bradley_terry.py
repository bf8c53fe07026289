"""Tests for nlp-39-1, a Bradley-Terry reward model.

References: the simulated annotator's choice frequencies against the Bradley-Terry probabilities
(binomial bounds); the loss against its closed form in float64 (np.logaddexp); the fitted reward
weights against sklearn.linear_model.LogisticRegression on the differences of the compared items'
features (the same penalised likelihood). The trained effect: a reward model fitted on collected
comparisons ranks unseen items in the order of their hidden utilities.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression

from grader.strategies import dims, seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_seeded,
    assert_shape,
    call_unmodified,
    describe_call,
)

TEMPS = st.sampled_from([0.5, 1.0, 2.0])


@given(seed=seeds(), k=dims(2, 6), n_pairs=st.integers(0, 40), temperature=TEMPS)
@example(seed=0, k=2, n_pairs=1, temperature=1.0)
@example(seed=1, k=3, n_pairs=0, temperature=2.0)
def test_collected_pairs_are_valid(kata, seed, k, n_pairs, temperature):
    utilities = np.random.default_rng(seed).normal(0, 2, k)
    call = describe_call("collect_preferences", utilities, n_pairs, seed, temperature=temperature)
    chosen, rejected = call_unmodified(kata.collect_preferences, utilities, n_pairs, seed, temperature=temperature)
    assert_shape(chosen, (n_pairs,), name="chosen", call=call)
    assert_shape(rejected, (n_pairs,), name="rejected", call=call)
    assert np.issubdtype(np.asarray(chosen).dtype, np.integer), f"{call}: chosen has dtype {chosen.dtype}, expected integers"
    both = np.concatenate([chosen, rejected])
    assert ((both >= 0) & (both < k)).all(), f"{call}: indices {both.tolist()} outside 0..{k - 1}"
    same = np.flatnonzero(chosen == rejected)
    assert len(same) == 0, f"{call}: pair {same[0]} compares item {chosen[same[0]]} with itself"


@given(seed=seeds(), temperature=TEMPS)
def test_same_seed_same_pairs(kata, seed, temperature):
    utilities = np.array([0.3, -0.2, 1.0, 0.0])
    assert_seeded(lambda s: kata.collect_preferences(utilities, 40, s, temperature=temperature), seed,
                  name="collected pairs")


@settings(max_examples=4)
@given(seed=seeds(), temperature=TEMPS)
@example(seed=2, temperature=0.5)
@example(seed=3, temperature=2.0)
def test_choices_follow_bradley_terry(kata, seed, temperature):
    """Each unordered pair is drawn ~n/3 times and a beats b with probability σ((u_a - u_b)/T)."""
    utilities = np.array([0.0, 0.75, -1.0])
    n = 3000
    chosen, rejected = kata.collect_preferences(utilities, n, seed, temperature=temperature)
    for a, b in ((0, 1), (0, 2), (1, 2)):
        wins = int(np.sum((chosen == a) & (rejected == b)))
        count = wins + int(np.sum((chosen == b) & (rejected == a)))
        assert abs(count - n / 3) <= 5 * np.sqrt(n * (1 / 3) * (2 / 3)), (
            f"collect_preferences(u={utilities.tolist()}, {n}, seed={seed}): pair {{{a}, {b}}} drawn {count} "
            f"times, expected about {n / 3:.0f} (two distinct items, uniformly)")
        p = 1 / (1 + np.exp(-(utilities[a] - utilities[b]) / temperature))
        assert abs(wins - count * p) <= 5 * np.sqrt(count * p * (1 - p)) + 1, (
            f"collect_preferences(u={utilities.tolist()}, {n}, seed={seed}, temperature={temperature}): item {a} "
            f"beat item {b} in {wins} of {count} comparisons, expected about {count * p:.0f} "
            f"(P = σ((u_a - u_b)/T) = {p:.3f})")


@given(case=st.sampled_from(["one item", "one item, no pairs", "no items", "negative n", "zero temperature",
                             "negative temperature"]))
@example(case="zero temperature")
@example(case="one item, no pairs")      # nothing to draw, yet a single item is still no comparison set
@example(case="no items")
def test_collect_rejects_bad_arguments(kata, case):
    u, n, t = np.array([0.0, 1.0]), 5, 1.0
    if case == "one item":
        u = np.array([0.5])
    elif case == "one item, no pairs":
        u, n = np.array([0.5]), 0
    elif case == "no items":
        u, n = np.array([]), 0
    elif case == "negative n":
        n = -1
    elif case == "zero temperature":
        t = 0.0
    else:
        t = -1.0
    with pytest.raises(ValueError):
        kata.collect_preferences(u, n, 0, temperature=t)
        pytest.fail(f"collect_preferences with {case} returned instead of raising ValueError")


@given(seed=seeds(), batch=dims(1, 8), scale=st.sampled_from([1.0, 50.0, 2000.0]), dtype=torch_float_dtypes())
@example(seed=0, batch=1, scale=2000.0, dtype=torch.float32)     # log(sigmoid(-2000)) = log(0)
def test_loss_matches_closed_form(kata, seed, batch, scale, dtype):
    g = torch.Generator().manual_seed(seed)
    rc = (scale * torch.randn(batch, generator=g, dtype=torch.float64)).to(dtype)
    rr = (scale * torch.randn(batch, generator=g, dtype=torch.float64)).to(dtype)
    call = describe_call("bradley_terry_loss", rc, rr)
    got = call_unmodified(kata.bradley_terry_loss, rc, rr)
    assert_shape(got, (), name="loss", call=call)
    assert_dtype(got, dtype, name="loss", call=call)
    want = np.logaddexp(0.0, -(rc.double() - rr.double()).numpy()).mean()
    # float32 rewards up to ~8000: the difference carries ~1e-3 rounding, relative 1e-6
    assert_close(got, want, rtol=1e-5, atol=1e-5, name="mean -log σ(r_c - r_r)", call=call)


def pairs_and_features(seed: int, k: int, dim: int, n: int):
    rng = np.random.default_rng(seed)
    features = rng.normal(0, 1, (k, dim))
    utilities = features @ rng.normal(0, 1.5, dim)
    a = rng.integers(0, k, n)
    b = (a + rng.integers(1, k, n)) % k
    a_wins = rng.random(n) < 1 / (1 + np.exp(-(utilities[a] - utilities[b])))
    return features, np.where(a_wins, a, b), np.where(a_wins, b, a)


def objective(w, d, l2):
    return np.logaddexp(0.0, -(d @ w)).mean() + 0.5 * l2 * w @ w


@settings(max_examples=15)
@given(seed=seeds(), k=dims(3, 12), dim=dims(1, 4), n=st.integers(1, 150), l2=st.sampled_from([1e-3, 1e-2, 0.1, 1.0]))
@example(seed=4, k=3, dim=1, n=1, l2=1e-3)        # a single comparison
@example(seed=5, k=12, dim=4, n=150, l2=1.0)
def test_fit_matches_logistic_regression_on_differences(kata, seed, k, dim, n, l2):
    features, chosen, rejected = pairs_and_features(seed, k, dim, n)
    call = describe_call("fit_reward_model", features, chosen, rejected, l2=l2)
    w = call_unmodified(kata.fit_reward_model, features, chosen, rejected, l2=l2)
    assert_shape(w, (dim,), name="weights", call=call)
    assert_dtype(w, np.float64, name="weights", call=call)
    d = features[chosen] - features[rejected]
    # mean loss + (l2/2)|w|^2 is sklearn's 0.5|w|^2 + C Σ loss on [d; -d] with labels [1; 0], C = 1/(2 n l2)
    ref = LogisticRegression(C=1 / (2 * n * l2), fit_intercept=False, tol=1e-12, max_iter=10_000)
    ref.fit(np.vstack([d, -d]), np.r_[np.ones(n), np.zeros(n)])
    want = ref.coef_[0]
    got_obj, want_obj = objective(np.asarray(w), d, l2), objective(want, d, l2)
    assert got_obj <= want_obj + 1e-9, (
        f"{call}: penalised loss {got_obj:.10f} at your weights, {want_obj:.10f} at sklearn's: not the minimum "
        "of mean(-log σ(d·w)) + (l2/2)|w|²")
    # a strongly convex objective minimised to ~1e-12: the minimisers agree to ~1e-5
    assert_close(w, want, rtol=1e-4, atol=1e-4, name="reward weights (reference: sklearn LogisticRegression)",
                 call=call)


def test_default_l2(kata):
    features, chosen, rejected = pairs_and_features(8, 6, 3, 60)
    want = kata.fit_reward_model(features, chosen, rejected, l2=1e-2)
    assert_close(kata.fit_reward_model(features, chosen, rejected), want, rtol=1e-8, atol=1e-10,
                 name="weights", call="fit_reward_model(features, chosen, rejected) with the default l2 = 1e-2")


@given(dim=dims(1, 4))
def test_fit_without_pairs_is_zero(kata, dim):
    features = np.ones((3, dim))
    empty = np.zeros(0, dtype=np.int64)
    w = kata.fit_reward_model(features, empty, empty)
    assert_equal(np.asarray(w), np.zeros(dim), name="weights", call="fit_reward_model(features, [], [])")


@given(case=st.sampled_from(["l2 = 0", "l2 < 0", "lengths", "one rejected"]))
@example(case="l2 = 0")
@example(case="one rejected")        # a length-1 index array would broadcast silently
def test_fit_rejects_bad_arguments(kata, case):
    features, chosen, rejected = pairs_and_features(1, 4, 2, 10)
    l2 = {"l2 = 0": 0.0, "l2 < 0": -0.1}.get(case, 1e-2)
    if case == "lengths":
        rejected = rejected[:-1]
    elif case == "one rejected":
        rejected = rejected[:1]
    with pytest.raises(ValueError):
        kata.fit_reward_model(features, chosen, rejected, l2=l2)
        pytest.fail(f"fit_reward_model with {case} returned instead of raising ValueError")


@settings(max_examples=3)
@given(seed=seeds())
@example(seed=11)
def test_trained_model_ranks_unseen_items(kata, seed):
    """Collect 2000 noisy comparisons of 40 items, fit, and rank 30 items the model never saw."""
    rng = np.random.default_rng(seed)
    w_true = rng.normal(0, 1, 5)
    train_x, test_x = rng.normal(0, 1, (40, 5)), rng.normal(0, 1, (30, 5))
    chosen, rejected = kata.collect_preferences(train_x @ w_true, 2000, seed)
    w = kata.fit_reward_model(train_x, chosen, rejected, l2=1e-3)
    rho = spearmanr(test_x @ w, test_x @ w_true).statistic
    assert rho > 0.95, (f"reward model fitted on 2000 collected comparisons ranks 30 unseen items with Spearman "
                        f"{rho:.3f} against their hidden utilities: expected > 0.95")

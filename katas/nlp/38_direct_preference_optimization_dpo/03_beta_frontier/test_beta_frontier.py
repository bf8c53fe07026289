"""Tests for nlp-38-3, the β sweep of DPO and its reward-KL frontier.

References: torch.distributions.kl_divergence for the KL; for the trained policy, DPO's closed-form
optimum on a bandit: the Bradley-Terry maximum-likelihood rewards s of the preference pairs
(sklearn.linear_model.LogisticRegression, unpenalised, on one-hot differences) tilt the reference,
π*(y) ∝ π_ref(y) exp(s(y)/β); the Pareto front by brute force over all pairs of points. The trained
effect: sweeping β from 10 down to 0.05 on real preference data traces a frontier, every point
spending more KL and earning more true reward than the last.
"""
import warnings

import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

matplotlib.use("Agg")
pytestmark = pytest.mark.slow      # each β is a full DPO fit

BETAS = st.sampled_from([0.05, 0.3, 1.0, 5.0])


@given(seed=seeds(), k=dims(1, 8), scale=st.sampled_from([0.1, 1.0, 5.0]))
@example(seed=0, k=1, scale=1.0)          # one response: KL 0
def test_kl_matches_torch(kata, seed, k, scale):
    rng = np.random.default_rng(seed)
    logits, ref = rng.normal(0, scale, k), rng.normal(0, scale, k)
    call = describe_call("categorical_kl", logits, ref)
    got = call_unmodified(kata.categorical_kl, logits, ref)
    want = torch.distributions.kl_divergence(torch.distributions.Categorical(logits=torch.as_tensor(logits)),
                                             torch.distributions.Categorical(logits=torch.as_tensor(ref))).item()
    assert_close(got, want, rtol=1e-9, atol=1e-12, name="KL(π ‖ π_ref) (reference: torch.distributions)", call=call)


def preference_data(seed: int, k: int, n: int):
    """Pairs drawn from π_ref, labelled by a Bradley-Terry annotator; plus a cycle each way, so every
    response both wins and loses and the maximum-likelihood rewards are finite."""
    rng = np.random.default_rng(seed)
    ref, true_r = rng.normal(0, 1, k), rng.normal(0, 1, k)
    p_ref = np.exp(ref - np.logaddexp.reduce(ref))
    a, b = rng.choice(k, n, p=p_ref), rng.choice(k, n, p=p_ref)
    a, b = a[a != b], b[a != b]
    a_wins = rng.random(len(a)) < 1 / (1 + np.exp(-(true_r[a] - true_r[b])))
    cyc = np.arange(k)
    chosen = np.concatenate([np.where(a_wins, a, b), cyc, (cyc + 1) % k])
    rejected = np.concatenate([np.where(a_wins, b, a), (cyc + 1) % k, cyc])
    return ref, true_r, chosen, rejected


def closed_form_policy(ref, chosen, rejected, beta) -> np.ndarray:
    k = len(ref)
    x = np.zeros((len(chosen), k))
    x[np.arange(len(chosen)), chosen] += 1
    x[np.arange(len(chosen)), rejected] -= 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = LogisticRegression(C=1e10, fit_intercept=False, tol=1e-12, max_iter=10_000).fit(
            np.vstack([x, -x]), np.r_[np.ones(len(x)), np.zeros(len(x))]).coef_[0]
    logp = ref - np.logaddexp.reduce(ref) + s / beta
    return np.exp(logp - np.logaddexp.reduce(logp))


def softmax(z):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(z - np.logaddexp.reduce(z))


@settings(max_examples=6)
@given(seed=seeds(), k=dims(2, 5), n=st.integers(0, 300), beta=BETAS)
@example(seed=1, k=2, n=0, beta=1.0)          # only the two cycle pairs: one win each, equal rewards
@example(seed=2, k=5, n=300, beta=0.05)
def test_trained_policy_is_dpo_closed_form_optimum(kata, seed, k, n, beta):
    ref, _, chosen, rejected = preference_data(seed, k, n)
    call = describe_call("train_dpo_policy", ref, chosen, rejected, beta)
    logits = call_unmodified(kata.train_dpo_policy, ref, chosen, rejected, beta)
    assert np.shape(logits) == (k,), f"{call} returned shape {np.shape(logits)}, expected ({k},)"
    # a converged convex fit: probabilities agree to ~1e-8; 1e-6 leaves room for other optimisers
    assert_close(softmax(logits), closed_form_policy(ref, chosen, rejected, beta), rtol=0, atol=1e-6,
                 name="policy probabilities (reference: π_ref · exp(s/β), s = Bradley-Terry MLE)", call=call)


@given(case=st.sampled_from(["beta 0", "beta < 0", "lengths"]))
@example(case="beta 0")
@example(case="lengths")
def test_train_rejects_bad_input(kata, case):
    ref, _, chosen, rejected = preference_data(0, 3, 20)
    beta = {"beta 0": 0.0, "beta < 0": -0.5}.get(case, 0.1)
    if case == "lengths":
        rejected = rejected[:-1]
    with pytest.raises(ValueError):
        kata.train_dpo_policy(ref, chosen, rejected, beta)
        pytest.fail(f"train_dpo_policy with {case} returned instead of raising ValueError")


@settings(max_examples=2)
@given(seed=seeds(), betas=st.lists(BETAS, min_size=1, max_size=2))
@example(seed=3, betas=[0.3, 5.0])
def test_frontier_points_match_closed_form(kata, seed, betas):
    ref, true_r, chosen, rejected = preference_data(seed, 4, 200)
    betas = np.array(betas)
    call = describe_call("reward_kl_frontier", ref, true_r, chosen, rejected, betas)
    rewards, kls = call_unmodified(kata.reward_kl_frontier, ref, true_r, chosen, rejected, betas)
    p_ref = softmax(ref)
    pols = [closed_form_policy(ref, chosen, rejected, b) for b in betas]
    assert_close(rewards, [p @ true_r for p in pols], rtol=0, atol=1e-6, name="expected true reward E_π[r]", call=call)
    assert_close(kls, [(p * np.log(p / p_ref)).sum() for p in pols], rtol=1e-5, atol=1e-7, name="KL(π ‖ π_ref)",
                 call=call)


@given(seed=seeds(), n=dims(0, 12), grid=st.booleans())
@example(seed=0, n=0, grid=False)          # no points: an empty front
@example(seed=0, n=1, grid=False)
@example(seed=0, n=4, grid=True)
def test_pareto_front_matches_brute_force(kata, seed, n, grid):
    rng = np.random.default_rng(seed)
    rewards = rng.integers(0, 3, n).astype(float) if grid else rng.normal(size=n)   # grid: ties in both
    kls = rng.integers(0, 3, n).astype(float) if grid else rng.random(n)
    call = describe_call("pareto_front", rewards, kls)
    got = call_unmodified(kata.pareto_front, rewards, kls)
    keep = [i for i in range(n) if not any(kls[j] <= kls[i] and rewards[j] >= rewards[i]
                                             and (kls[j] < kls[i] or rewards[j] > rewards[i]) for j in range(n))]
    want = sorted(keep, key=lambda i: (kls[i], i))
    assert_equal(np.asarray(got, dtype=np.int64), np.array(want, dtype=np.int64),
                 name="non-dominated points, by KL then index", call=call)


def test_pareto_front_tie_rules(kata):
    rewards, kls = np.array([1.0, 1.0, 0.5, 2.0]), np.array([0.2, 0.2, 0.2, 0.1])
    got = kata.pareto_front(rewards, kls)
    assert_equal(np.asarray(got, dtype=np.int64), np.array([3], dtype=np.int64), name="front",
                 call="pareto_front(rewards=[1, 1, 0.5, 2], kls=[0.2, 0.2, 0.2, 0.1]): point 3 dominates all")
    rewards, kls = np.array([1.0, 1.0, 0.5]), np.array([0.2, 0.2, 0.2])
    got = kata.pareto_front(rewards, kls)
    assert_equal(np.asarray(got, dtype=np.int64), np.array([0, 1], dtype=np.int64), name="front",
                 call="pareto_front(rewards=[1, 1, 0.5], kls=[0.2, 0.2, 0.2]): equal points do not dominate each other")


def test_plot_frontier(kata):
    rewards, kls, betas = np.array([0.1, 0.5, 0.9]), np.array([0.01, 0.3, 1.2]), np.array([10.0, 1.0, 0.1])
    fig = kata.plot_frontier(rewards, kls, betas)
    ax = fig.axes[0]
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) == 3]
    assert lines, "plot_frontier drew no line through the three points"
    assert np.allclose(lines[0].get_xdata(), kls) and np.allclose(lines[0].get_ydata(), rewards), (
        "the frontier should put KL on the x axis and expected reward on the y axis")
    assert len(ax.texts) == 3, f"{len(ax.texts)} annotations; expected one β label per point"
    assert ax.get_xlabel() and ax.get_ylabel(), "label both axes"


def test_beta_sweep_traces_a_frontier(kata):
    ref, true_r, chosen, rejected = preference_data(0, 6, 3000)
    betas = np.array([10.0, 3.0, 1.0, 0.3, 0.1, 0.05])
    rewards, kls = kata.reward_kl_frontier(ref, true_r, chosen, rejected, betas)
    shown = f"β {betas.tolist()}: reward {np.round(rewards, 3).tolist()}, KL {np.round(kls, 3).tolist()}"
    assert (np.diff(kls) > 0).all() and (np.diff(rewards) > 0).all(), (
        f"{shown}: a smaller β should buy more true reward with more KL at every step")
    assert kls[0] < 0.01 and rewards[-1] > softmax(ref) @ true_r + 1.0, (
        f"{shown}: expected β = 10 to stay near π_ref (KL < 0.01) and β = 0.05 to gain > 1 reward over "
        f"π_ref's {softmax(ref) @ true_r:.3f}")
    front = kata.pareto_front(rewards, kls)
    assert_equal(np.asarray(front, dtype=np.int64), np.arange(len(betas))[np.argsort(kls)], name="front",
                 call="pareto_front of the sweep: every β should be on the frontier")

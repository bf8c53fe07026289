"""Tests for rl-05-3, maximum-entropy inverse RL on a gridworld.

References: the soft Bellman equation Q = r + gamma T logsumexp(Q) (residual) and its hard-max limit;
expected state-visitation counts against an explicit sum of matrix powers and against Monte Carlo
simulation; and MaxEnt IRL's optimality condition: after training on expert demonstrations, the
learned reward's soft-optimal policy matches the expert's expected feature counts.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def random_T(seed: int, n_s: int, n_a: int) -> np.ndarray:
    return np.random.default_rng(seed).dirichlet(np.ones(n_s) * 0.5, size=(n_s, n_a))


@given(seed=seeds(), n_s=st.integers(1, 6), n_a=st.integers(1, 4), gamma=st.sampled_from([0.0, 0.5, 0.9]),
       scale=st.sampled_from([1.0, 0.1, 3.0]))
def test_soft_value_iteration_solves_the_soft_bellman_equation(kata, seed, n_s, n_a, gamma, scale):
    T = random_T(seed, n_s, n_a)
    r = np.random.default_rng(seed + 1).normal(0, scale, size=n_s)
    call = describe_call("soft_value_iteration", T, r, gamma)
    pi = call_unmodified(kata.soft_value_iteration, T, r, gamma, fn_name="soft_value_iteration")
    assert_close(pi.sum(1), np.ones(n_s), rtol=0, atol=1e-10, name="policy row sums", call=call)
    # pi = exp(Q - V) with V = logsumexp(Q): recover Q up to a per-state constant and check the fixed point
    V = np.zeros(n_s)
    for _ in range(5000):
        new = logsumexp(r[:, None] + gamma * T @ V, axis=1)
        if np.abs(new - V).max() < 1e-13:
            break
        V = new
    Q = r[:, None] + gamma * T @ V
    assert_close(pi, np.exp(Q - V[:, None]), rtol=1e-6, atol=1e-8,
                 name="policy exp(Q(s, a) - V(s)), Q = r(s) + gamma T V, V = logsumexp_a Q", call=call)


@given(seed=seeds(), n_s=st.integers(2, 6))
def test_large_rewards_approach_the_greedy_policy(kata, seed, n_s):
    T = random_T(seed, n_s, 3)
    r = np.random.default_rng(seed + 1).normal(0, 1, size=n_s) * 200
    pi = kata.soft_value_iteration(T, r, 0.5)
    V = np.zeros(n_s)
    for _ in range(200):
        V = (r[:, None] + 0.5 * T @ V).max(1)
    Q = r[:, None] + 0.5 * T @ V
    gap = np.sort(Q, 1)[:, -1] - np.sort(Q, 1)[:, -2]
    clear = gap > 5  # states whose best action is clearly better
    assert np.all(pi[clear, Q[clear].argmax(1)] > 0.99), "with rewards x200 the soft policy should be nearly greedy"


@given(seed=seeds(), n_s=st.integers(1, 6), n_a=st.integers(1, 3), horizon=st.integers(1, 10))
def test_visitation_matches_the_forward_sum(kata, seed, n_s, n_a, horizon):
    rng = np.random.default_rng(seed)
    T, pi, p0 = random_T(seed, n_s, n_a), rng.dirichlet(np.ones(n_a), size=n_s), rng.dirichlet(np.ones(n_s))
    P_pi = np.einsum("sa,sat->st", pi, T)
    want = sum(p0 @ np.linalg.matrix_power(P_pi, t) for t in range(horizon))
    call = describe_call("state_visitation", T, pi, p0, horizon)
    got = call_unmodified(kata.state_visitation, T, pi, p0, horizon, fn_name="state_visitation")
    assert_close(got, want, rtol=1e-10, atol=1e-12,
                 name="expected visits sum_{t<H} p0 P_pi^t (sums to the horizon)", call=call)


@settings(max_examples=3)
@given(seed=seeds())
def test_visitation_matches_simulation(kata, seed):
    rng = np.random.default_rng(seed)
    n_s, n_a, H, N = 4, 2, 6, 4000
    T, pi, p0 = random_T(seed, n_s, n_a), rng.dirichlet(np.ones(n_a), size=n_s), rng.dirichlet(np.ones(n_s))
    counts = np.zeros(n_s)
    s = rng.choice(n_s, size=N, p=p0)
    for _ in range(H):
        np.add.at(counts, s, 1)
        a = (rng.random(N)[:, None] > np.cumsum(pi[s], 1)).sum(1)
        s = (rng.random(N)[:, None] > np.cumsum(T[s, a], 1)).sum(1).clip(0, n_s - 1)
    got = kata.state_visitation(T, pi, p0, H)
    se = np.sqrt(H * counts / N) / np.sqrt(N) + 1e-3
    assert np.all(np.abs(got - counts / N) < 6 * se + 0.02), (
        f"state_visitation {np.round(got, 3).tolist()} vs Monte Carlo {np.round(counts / N, 3).tolist()} ({N} rollouts)")


@given(case=st.sampled_from(["horizon0", "bad_policy", "gamma"]))
def test_rejects_bad_arguments(kata, case):
    T = random_T(0, 3, 2)
    with pytest.raises(ValueError):
        if case == "horizon0":
            kata.state_visitation(T, np.full((3, 2), 0.5), np.ones(3) / 3, 0)
        elif case == "bad_policy":
            kata.state_visitation(T, np.full((3, 2), 0.4), np.ones(3) / 3, 3)
        else:
            kata.soft_value_iteration(T, np.zeros(3), 1.0)


@pytest.mark.slow
@settings(max_examples=1)
@given(seed=seeds())
def test_irl_matches_the_expert_feature_counts(kata, seed):
    """Expert: soft-optimal for a goal in the far corner of a 5x5 grid; 200 demonstrations of 12 steps
    from the top-left corner. After MaxEnt IRL with one-hot state features, the learned reward's
    soft-optimal policy visits the states as often as the expert did (within 5% of the horizon, L1)."""
    size, H = 5, 12
    T = kata.gridworld(size)
    S = size * size
    true_r = np.zeros(S)
    true_r[-1] = 5.0
    expert = kata.soft_value_iteration(T, true_r, 0.9)
    rng = np.random.default_rng(seed)
    trajs = np.zeros((200, H), dtype=np.int64)
    for i in range(200):
        s = 0
        for t in range(H):
            trajs[i, t] = s
            s = int(np.argmax(T[s, rng.choice(4, p=expert[s])]))
    theta = kata.maxent_irl(T, np.eye(S), trajs, 0.9, lr=2.0, iters=40)
    p0 = np.eye(S)[0]
    mu_expert = np.eye(S)[trajs].sum(1).mean(0)
    mu = np.asarray(kata.state_visitation(T, kata.soft_value_iteration(T, theta, 0.9), p0, H))
    err = np.abs(mu_expert - mu).sum() / H
    assert err < 0.05, (f"maxent_irl(5x5 grid, 200 expert demos, seed={seed}): the learned reward's policy visits states "
                        f"with L1 distance {err:.3f} x horizon from the expert's counts; expected < 0.05")
    assert int(np.argmax(theta)) == S - 1, f"the learned reward should peak at the goal state {S - 1}, peaks at {int(np.argmax(theta))}"

"""Tests for rl-05-3, maximum-entropy inverse RL on a gridworld.

References: the soft Bellman equation Q = r + gamma T logsumexp(Q) (residual) and its hard-max limit;
expected state-visitation counts against an explicit sum of matrix powers and against Monte Carlo
simulation; and MaxEnt IRL's optimality condition: after training on expert demonstrations, the
learned reward's soft-optimal policy matches the expert's expected feature counts.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
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


def replay_soft_vi(T: np.ndarray, r: np.ndarray, gamma: float, tol: float, max_iter: int) -> np.ndarray:
    """The documented sweeps: V from 0, V = logsumexp_a Q each sweep, stop after the first sweep that
    changed V by less than tol (max over states) or after max_iter sweeps; softmax of Q from the final V."""
    V = np.zeros(len(r))
    for _ in range(max_iter):
        new = logsumexp(r[:, None] + gamma * T @ V, axis=1)
        done = np.abs(new - V).max() < tol
        V = new
        if done:
            break
    Q = r[:, None] + gamma * T @ V
    return np.exp(Q - logsumexp(Q, axis=1, keepdims=True))


@settings(max_examples=10)
@given(seed=seeds(), n_s=st.integers(1, 5), n_a=st.integers(2, 3), gamma=st.sampled_from([0.5, 0.9]),
       tol=st.none() | st.sampled_from([1e-3, 0.1, 1.0]), max_iter=st.none() | st.integers(1, 4))
@example(seed=0, n_s=3, n_a=2, gamma=0.9, tol=None, max_iter=1)
@example(seed=0, n_s=3, n_a=2, gamma=0.9, tol=0.1, max_iter=None)
def test_soft_value_iteration_stops_as_documented(kata, seed, n_s, n_a, gamma, tol, max_iter):
    """Before convergence the policy depends on how many sweeps ran: tol and max_iter are replayed."""
    T = random_T(seed, n_s, n_a)
    r = np.random.default_rng(seed + 1).normal(0, 2, size=n_s)
    kw = {k: v for k, v in (("tol", tol), ("max_iter", max_iter)) if v is not None}
    want = replay_soft_vi(T, r, gamma, kw.get("tol", 1e-10), kw.get("max_iter", 10_000))
    call = describe_call("soft_value_iteration", T, r, gamma, **kw)
    assert_close(kata.soft_value_iteration(T, r, gamma, **kw), want, rtol=1e-9, atol=1e-12,
                 name="policy after the documented sweeps (stop on the first sweep with max |V_new - V| < tol, "
                      "or after max_iter sweeps)", call=call)


def test_soft_value_iteration_tolerance_is_strict(kata):
    """Rewards (0, -0.5, -1) and V = 0: the first sweep gives V = r + log 2, so it changes V by exactly
    log 2 (state 0, whose two Q-values are 0). With tol = log 2 that is not < tol: a second sweep runs."""
    T = np.zeros((3, 2, 3))
    for s, (a0, a1) in enumerate([(1, 2), (0, 2), (2, 0)]):
        T[s, 0, a0] = T[s, 1, a1] = 1.0
    r, tol = np.array([0.0, -0.5, -1.0]), float(np.log(2.0))
    want = replay_soft_vi(T, r, 0.5, tol, 10_000)
    assert_close(kata.soft_value_iteration(T, r, 0.5, tol=tol), want, rtol=1e-9, atol=1e-12,
                 name="policy (the first sweep's change equals tol exactly: it is not < tol, so sweeping goes on)",
                 call=describe_call("soft_value_iteration", T, r, 0.5, tol=tol))


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


@given(seed=seeds(), n_s=st.integers(1, 6), n_a=st.integers(1, 3), horizon=st.integers(1, 10),
       deterministic=st.booleans())
@example(seed=0, n_s=3, n_a=2, horizon=3, deterministic=True)  # policy entries exactly 0 are valid
def test_visitation_matches_the_forward_sum(kata, seed, n_s, n_a, horizon, deterministic):
    rng = np.random.default_rng(seed)
    T, pi, p0 = random_T(seed, n_s, n_a), rng.dirichlet(np.ones(n_a), size=n_s), rng.dirichlet(np.ones(n_s))
    if deterministic:
        pi = np.eye(n_a)[rng.integers(n_a, size=n_s)]
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


@given(case=st.sampled_from(["horizon0", "bad_policy", "negative_policy", "gamma"]))
def test_rejects_bad_arguments(kata, case):
    T = random_T(0, 3, 2)
    with pytest.raises(ValueError):
        if case == "horizon0":
            kata.state_visitation(T, np.full((3, 2), 0.5), np.ones(3) / 3, 0)
        elif case == "bad_policy":
            kata.state_visitation(T, np.full((3, 2), 0.4), np.ones(3) / 3, 3)
        elif case == "negative_policy":  # rows sum to 1 but one entry is negative
            kata.state_visitation(T, np.array([[1.5, -0.5], [0.5, 0.5], [0.5, 0.5]]), np.ones(3) / 3, 3)
        else:
            kata.soft_value_iteration(T, np.zeros(3), 1.0)


def reference_visits(T: np.ndarray, pi: np.ndarray, p0: np.ndarray, H: int) -> np.ndarray:
    P_pi = np.einsum("sa,sat->st", pi, T)
    return sum(p0 @ np.linalg.matrix_power(P_pi, t) for t in range(H))


@settings(max_examples=8)
@given(seed=seeds(), n_s=st.integers(2, 5), n_f=st.integers(1, 3), N=st.integers(1, 4), H=st.integers(1, 4),
       gamma=st.sampled_from([0.0, 0.5]), lr=st.sampled_from([0.1, 0.7]), iters=st.integers(0, 3))
@example(seed=0, n_s=4, n_f=2, N=3, H=3, gamma=0.5, lr=0.7, iters=2)
def test_maxent_irl_replays_the_documented_steps(kata, seed, n_s, n_f, N, H, gamma, lr, iters):
    """A few gradient steps on random features and trajectories, against the update written out with
    a converged soft value iteration and the matrix-power visitation sum."""
    rng = np.random.default_rng(seed)
    T, F = random_T(seed, n_s, 2), rng.normal(size=(n_s, n_f))
    trajs = rng.integers(n_s, size=(N, H))
    mu_E = F[trajs].sum(1).mean(0)
    p0 = np.bincount(trajs[:, 0], minlength=n_s) / N
    theta = np.zeros(n_f)
    for _ in range(iters):
        pi = replay_soft_vi(T, F @ theta, gamma, 1e-13, 10_000)
        theta = theta + lr * (mu_E - reference_visits(T, pi, p0, H) @ F) / H
    call = describe_call("maxent_irl", T, F, trajs, gamma, lr=lr, iters=iters)
    got = call_unmodified(kata.maxent_irl, T, F, trajs, gamma, lr=lr, iters=iters, fn_name="maxent_irl")
    assert_close(got, theta, rtol=1e-7, atol=1e-8,
                 name="theta after `iters` steps theta += lr (mu_E - mu) / horizon (p0 = empirical first states)",
                 call=call)


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

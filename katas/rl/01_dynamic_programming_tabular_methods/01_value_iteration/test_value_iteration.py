"""Tests for rl-01-1, policy evaluation and value iteration on FrozenLake's transition model.

References: the Bellman equation of a fixed policy solved exactly as a linear system
(numpy.linalg.solve); brute force over every deterministic policy of small drawn MDPs for V*;
gymnasium's own FrozenLake transition model `env.unwrapped.P` on drawn random maps; and the
sweep-and-stop rule of the docstring replayed here step by step.
"""
import itertools

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.envs.toy_text.frozen_lake import generate_random_map
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

GAMMAS = st.sampled_from([0.0, 0.5, 0.9, 0.95]) | st.floats(0.0, 0.96)


def random_mdp(seed: int, n_s: int, n_a: int) -> dict:
    """A gymnasium-style P[s][a] = [(prob, s_next, reward, terminated), ...] with 1-3 outcomes each."""
    rng = np.random.default_rng(seed)
    P = {}
    for s in range(n_s):
        P[s] = {}
        for a in range(n_a):
            k = int(rng.integers(1, 4))
            probs = rng.dirichlet(np.ones(k))
            P[s][a] = [(float(probs[i]), int(rng.integers(n_s)), float(rng.uniform(-5, 5)), bool(rng.random() < 0.3))
                       for i in range(k)]
    return P


def frozen_lake_P(size: int, p: float, map_seed: int, slippery: bool) -> tuple[dict, str]:
    desc = generate_random_map(size=size, p=p, seed=map_seed)
    env = gym.make("FrozenLake-v1", desc=desc, is_slippery=slippery)
    return env.unwrapped.P, f"FrozenLake(desc={desc}, is_slippery={slippery}).unwrapped.P"


def arrays_of(P: dict) -> tuple[np.ndarray, np.ndarray]:
    """T[s, a, s'] = P(s' reached and the episode continues), R[s, a] = expected reward."""
    n_s, n_a = len(P), len(P[0])
    T, R = np.zeros((n_s, n_a, n_s)), np.zeros((n_s, n_a))
    for s, a in itertools.product(range(n_s), range(n_a)):
        for p, s2, r, done in P[s][a]:
            R[s, a] += p * r
            if not done:
                T[s, a, s2] += p
    return T, R


def exact_value(P: dict, policy: np.ndarray, gamma: float) -> np.ndarray:
    """V^pi from (I - gamma T_pi) V = R_pi."""
    T, R = arrays_of(P)
    T_pi, R_pi = np.einsum("sa,sat->st", policy, T), (policy * R).sum(1)
    return np.linalg.solve(np.eye(len(P)) - gamma * T_pi, R_pi)


def replay_sweeps(P: dict, gamma: float, tol: float, max_iter: int, policy: np.ndarray | None) -> np.ndarray:
    """The docstring's rule: V_0 = 0, synchronous sweeps, stop once max|V_k - V_k-1| < tol or k = max_iter."""
    T, R = arrays_of(P)
    V = np.zeros(len(P))
    for _ in range(max_iter):
        Q = R + gamma * T @ V
        new = Q.max(1) if policy is None else (policy * Q).sum(1)
        change = np.abs(new - V).max()
        V = new
        if change < tol:
            break
    return V


@st.composite
def mdps(draw: st.DrawFn, max_states: int = 6, max_actions: int = 4) -> dict:
    return random_mdp(draw(seeds()), draw(st.integers(1, max_states)), draw(st.integers(1, max_actions)))


@st.composite
def policies(draw: st.DrawFn, n_s: int, n_a: int) -> np.ndarray:
    rng = np.random.default_rng(draw(seeds()))
    if draw(st.booleans()):  # deterministic
        return np.eye(n_a)[rng.integers(n_a, size=n_s)]
    return rng.dirichlet(np.ones(n_a), size=n_s)


@given(P=mdps(), gamma=GAMMAS, seed=seeds())
@example(P={0: {0: [(1.0, 0, 1.0, True)]}}, gamma=0.9, seed=0)  # a terminating step: just its reward
@example(P={0: {0: [(0.25, 0, 1.0, False), (0.75, 1, -1.0, True)]}, 1: {0: [(1.0, 0, 2.0, False)]}}, gamma=0.5,
         seed=1)
def test_expected_backup_matches_closed_form(kata, P, gamma, seed):
    """Q[s, a] = sum over outcomes of p * (r + gamma * V[s'] * (not terminated))."""
    V = np.random.default_rng(seed).uniform(-3, 3, size=len(P))
    T, R = arrays_of(P)
    want = R + gamma * T @ V
    call = describe_call("expected_backup", "P", V, gamma)
    got = call_unmodified(kata.expected_backup, P, V, gamma, fn_name="expected_backup")
    assert_shape(got, want.shape, call=call)
    assert_dtype(got, np.float64, call=call)
    # float64 sums of <= 3 terms of size <= ~10: a few ulps.
    assert_close(got, want, rtol=0, atol=1e-12, name="Q (a terminated outcome contributes only its reward)",
                 call=call)


@given(P=mdps(), gamma=GAMMAS, data=st.data())
@example(P={0: {0: [(1.0, 0, 1.0, False)], 1: [(1.0, 0, 0.0, True)]}}, gamma=0.9, data=None)
def test_policy_evaluation_matches_linear_solve(kata, P, gamma, data):
    n_s, n_a = len(P), len(P[0])
    policy = np.full((n_s, n_a), 1.0 / n_a) if data is None else data.draw(policies(n_s, n_a), label="policy")
    want = exact_value(P, policy, gamma)
    call = describe_call("policy_evaluation", "P", policy, gamma, tol=1e-12)
    got = call_unmodified(kata.policy_evaluation, P, policy, gamma, tol=1e-12, fn_name="policy_evaluation")
    assert_shape(got, (n_s,), call=call)
    assert_dtype(got, np.float64, call=call)
    # Stopped at a change < 1e-12: the error is <= 1e-12 * gamma / (1 - gamma) <= 3e-11, plus solve rounding.
    assert_close(got, want, rtol=0, atol=1e-9, name="V^pi (vs the linear solve of the Bellman equation)", call=call)


STOP_TOLS = st.sampled_from([0.0, 1e-3, 0.1, 1.0])


@given(P=mdps(), gamma=GAMMAS, tol=STOP_TOLS, max_iter=st.integers(1, 25), data=st.data())
@example(P={0: {0: [(1.0, 0, 1.0, False)]}}, gamma=0.5, tol=0.0, max_iter=1, data=None)
@example(P={0: {0: [(1.0, 0, 1.0, False)]}}, gamma=0.5, tol=0.3, max_iter=25, data=None)
@example(P={0: {0: [(1.0, 0, 1.0, False)]}}, gamma=0.5, tol=0.25, max_iter=25, data=None)  # changes 1, 0.5, 0.25, 0.125: 0.25 is not < 0.25
def test_policy_evaluation_sweeps_and_stopping_rule(kata, P, gamma, tol, max_iter, data):
    """V_k is exactly k synchronous sweeps from V_0 = 0, stopping at the first max|V_k - V_k-1| < tol."""
    n_s, n_a = len(P), len(P[0])
    policy = np.full((n_s, n_a), 1.0 / n_a) if data is None else data.draw(policies(n_s, n_a), label="policy")
    call = describe_call("policy_evaluation", "P", policy, gamma, tol=tol, max_iter=max_iter)
    got = kata.policy_evaluation(P, policy, gamma, tol=tol, max_iter=max_iter)
    # The same arithmetic in a possibly different summation order: ulps only.
    assert_close(got, replay_sweeps(P, gamma, tol, max_iter, policy), rtol=0, atol=1e-10,
                 name="V (synchronous sweeps from zeros; return V_k of the sweep that met the stopping test)",
                 call=call)


@given(P=mdps(), gamma=GAMMAS, tol=STOP_TOLS, max_iter=st.integers(1, 25))
@example(P={0: {0: [(1.0, 0, 1.0, False)]}}, gamma=0.5, tol=0.0, max_iter=1)
@example(P={0: {0: [(1.0, 0, 1.0, False)]}}, gamma=0.5, tol=0.3, max_iter=25)
@example(P={0: {0: [(1.0, 0, 1.0, False)]}}, gamma=0.5, tol=0.25, max_iter=25)  # changes 1, 0.5, 0.25, 0.125: 0.25 is not < 0.25
def test_value_iteration_sweeps_and_stopping_rule(kata, P, gamma, tol, max_iter):
    """V_k is exactly k synchronous optimality sweeps from V_0 = 0, stopping at the first change < tol."""
    call = describe_call("value_iteration", "P", gamma, tol=tol, max_iter=max_iter)
    got = kata.value_iteration(P, gamma, tol=tol, max_iter=max_iter)[0]
    assert_close(got, replay_sweeps(P, gamma, tol, max_iter, None), rtol=0, atol=1e-10,
                 name="V (synchronous sweeps from zeros; return V_k of the sweep that met the stopping test)",
                 call=call)


@given(P=mdps(max_states=4, max_actions=3), gamma=GAMMAS)
@example(P={0: {0: [(1.0, 0, 1.0, False)], 1: [(1.0, 0, 5.0, True)]}}, gamma=0.9)  # wait forever beats quitting
@example(P={0: {0: [(1.0, 0, 1.0, False)], 1: [(1.0, 0, 5.0, True)]}}, gamma=0.5)  # quitting beats waiting
def test_value_iteration_is_best_over_all_deterministic_policies(kata, P, gamma):
    """Brute force: V*(s) = max over all n_a ** n_s deterministic policies of V^pi(s)."""
    n_s, n_a = len(P), len(P[0])
    eye = np.eye(n_a)
    values = np.array([exact_value(P, eye[list(acts)], gamma) for acts in itertools.product(range(n_a), repeat=n_s)])
    call = describe_call("value_iteration", "P", gamma, tol=1e-12)
    V, pi = kata.value_iteration(P, gamma, tol=1e-12)
    assert_close(V, values.max(0), rtol=0, atol=1e-9, name="V* (vs the best of all deterministic policies)",
                 call=call)
    pi = np.asarray(pi)
    assert_shape(pi, (n_s,), name="greedy policy", call=call)
    assert pi.dtype.kind in "iu", f"{call}: the policy should be integer actions, got dtype {pi.dtype}"
    assert_close(exact_value(P, eye[pi], gamma), values.max(0), rtol=0, atol=1e-8,
                 name="value of the returned greedy policy (it should be optimal)", call=call)


@pytest.mark.parametrize("slippery", [False, True])
@settings(max_examples=10)
@given(size=st.integers(2, 6), p=st.sampled_from([0.6, 0.8, 0.9]), map_seed=seeds(), gamma=GAMMAS)
@example(size=4, p=0.8, map_seed=0, gamma=0.99)
def test_frozen_lake_optimal_values(kata, slippery, size, p, map_seed, gamma):
    """On gymnasium's own transition model: Bellman optimality holds, the greedy policy attains V*,
    and V* dominates the uniformly random policy (whose value comes from the linear solve)."""
    P, name = frozen_lake_P(size, p, map_seed, slippery)
    n_s, n_a = len(P), len(P[0])
    call = describe_call("value_iteration", name, gamma, tol=1e-12)
    V, pi = kata.value_iteration(P, gamma, tol=1e-12)
    T, R = arrays_of(P)
    # Stopped at a sweep change < 1e-12: the Bellman residual is below that.
    assert_close(V, (R + gamma * T @ V).max(1), rtol=0, atol=1e-9,
                 name="V* (Bellman optimality residual V - max_a [R + gamma T V])", call=call)
    assert_close(exact_value(P, np.eye(n_a)[np.asarray(pi)], gamma), V, rtol=0, atol=1e-7,
                 name="value of the returned greedy policy", call=call)
    V_rand = exact_value(P, np.full((n_s, n_a), 1 / n_a), gamma)
    assert np.all(V >= V_rand - 1e-9), f"{call}: V* is below the random policy's value somewhere: {V} vs {V_rand}"
    if gamma >= 0.5:  # the goal is reachable on generated maps, so the start has positive value
        assert V[0] > 0, f"{call}: V*(start) = {V[0]}, expected > 0 (a path to the goal exists)"


@given(gamma=st.sampled_from([1.0, -0.1, 1.5]))
def test_rejects_gamma_outside_unit_interval(kata, gamma):
    P = random_mdp(0, 2, 2)
    with pytest.raises(ValueError):
        kata.value_iteration(P, gamma)
    with pytest.raises(ValueError):
        kata.policy_evaluation(P, np.full((2, 2), 0.5), gamma)


@given(max_iter=st.integers(-2, 0))
def test_rejects_max_iter_below_one(kata, max_iter):
    P = random_mdp(0, 2, 2)
    with pytest.raises(ValueError):
        kata.value_iteration(P, 0.9, max_iter=max_iter)
    with pytest.raises(ValueError):
        kata.policy_evaluation(P, np.full((2, 2), 0.5), 0.9, max_iter=max_iter)


@given(bad=st.sampled_from(["row_sum", "negative", "shape", "broadcastable shape", "shape, one state"]))
def test_rejects_a_policy_that_is_not_a_distribution(kata, bad):
    P = random_mdp(0, 1 if bad == "shape, one state" else 2, 2)
    policy = {"row_sum": np.array([[0.5, 0.4], [0.5, 0.5]]), "negative": np.array([[1.5, -0.5], [0.5, 0.5]]),
              "shape": np.full((2, 3), 1 / 3), "broadcastable shape": np.ones((2, 1)),  # rows sum to 1, but 1 action
              "shape, one state": np.full((1, 3), 1 / 3)}[bad]
    with pytest.raises(ValueError):
        kata.policy_evaluation(P, policy, 0.9)


@given(seed=seeds())
def test_defaults_converge(kata, seed):
    """Default tol and max_iter reach the fixed point (gamma = 0.9)."""
    P = random_mdp(seed, 4, 2)
    policy = np.full((4, 2), 0.5)
    assert_close(kata.policy_evaluation(P, policy, 0.9), exact_value(P, policy, 0.9), rtol=0, atol=1e-8,
                 name="V^pi with default tol/max_iter", call=describe_call("policy_evaluation", "P", policy, 0.9))
    V, _ = kata.value_iteration(P, 0.9)
    assert_close(V, replay_sweeps(P, 0.9, 1e-10, 10_000, None), rtol=0, atol=1e-10,
                 name="V* with default tol=1e-10, max_iter=10_000", call="value_iteration(P, 0.9)")

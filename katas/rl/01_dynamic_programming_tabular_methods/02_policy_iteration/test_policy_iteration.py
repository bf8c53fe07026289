"""Tests for rl-01-2, policy iteration.

References: the Bellman expectation equation (the returned V^pi must satisfy it; it has exactly one
solution); the policy improvement theorem (the improved policy is at least as good everywhere);
brute force over every deterministic policy of small drawn MDPs; value iteration run here on
gymnasium's FrozenLake model for drawn random maps; and the docstring's tie and stopping rules
replayed step by step.
"""
import itertools

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.envs.toy_text.frozen_lake import generate_random_map
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_no_alias,
    assert_shape,
    call_unmodified,
    describe_call,
)

GAMMAS = st.sampled_from([0.0, 0.5, 0.9, 0.95]) | st.floats(0.0, 0.96)
TIE_MDP = {0: {0: [(1.0, 0, 1.0, True)], 1: [(1.0, 0, 1.0, True)]}}  # both actions worth exactly 1


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


def arrays_of(P: dict) -> tuple[np.ndarray, np.ndarray]:
    n_s, n_a = len(P), len(P[0])
    T, R = np.zeros((n_s, n_a, n_s)), np.zeros((n_s, n_a))
    for s, a in itertools.product(range(n_s), range(n_a)):
        for p, s2, r, done in P[s][a]:
            R[s, a] += p * r
            if not done:
                T[s, a, s2] += p
    return T, R


def value_of(P: dict, pi: np.ndarray, gamma: float) -> np.ndarray:
    T, R = arrays_of(P)
    rows = np.arange(len(P))
    return np.linalg.solve(np.eye(len(P)) - gamma * T[rows, pi], R[rows, pi])


def improve_rule(P: dict, V: np.ndarray, pi: np.ndarray, gamma: float, tol: float) -> np.ndarray:
    """The docstring's rule: keep pi[s] if Q[s, pi[s]] >= max Q[s] - tol, else the first such action."""
    T, R = arrays_of(P)
    Q = R + gamma * T @ V
    best = Q.max(1)
    keep = Q[np.arange(len(P)), pi] >= best - tol
    return np.where(keep, pi, np.argmax(Q >= best[:, None] - tol, axis=1))


@st.composite
def mdps(draw: st.DrawFn, max_states: int = 6, max_actions: int = 4) -> dict:
    return random_mdp(draw(seeds()), draw(st.integers(1, max_states)), draw(st.integers(1, max_actions)))


def actions(seed: int, P: dict) -> np.ndarray:
    return np.random.default_rng(seed).integers(len(P[0]), size=len(P))


@given(P=mdps(), gamma=GAMMAS, seed=seeds())
@example(P={0: {0: [(1.0, 0, 1.0, False)]}}, gamma=0.5, seed=0)  # V = 1 / (1 - gamma) = 2
@example(P={0: {0: [(1.0, 0, 1.0, True)]}}, gamma=0.5, seed=0)  # terminates: V = 1
def test_policy_value_solves_the_bellman_equation(kata, P, gamma, seed):
    pi = actions(seed, P)
    call = describe_call("policy_value", "P", pi, gamma)
    V = call_unmodified(kata.policy_value, P, pi, gamma, fn_name="policy_value")
    assert_shape(V, (len(P),), call=call)
    assert_dtype(V, np.float64, call=call)
    T, R = arrays_of(P)
    rows = np.arange(len(P))
    # A direct solve of a well-conditioned (gamma <= 0.96) system of size <= 6: 1e-9 is ample.
    assert_close(V, R[rows, pi] + gamma * T[rows, pi] @ V, rtol=0, atol=1e-9,
                 name="V^pi (Bellman residual: V - (R_pi + gamma T_pi V) must be 0)", call=call)


@given(P=mdps(), gamma=GAMMAS, seed=seeds(), tol=st.sampled_from([1e-9, 0.0, 0.5, 2.0]),
       use_own_value=st.booleans())
@example(P=TIE_MDP, gamma=0.9, seed=1, tol=1e-9, use_own_value=True)
def test_policy_improvement_rule(kata, P, gamma, seed, tol, use_own_value):
    """Keep pi[s] when it is within tol of the best action, else the first action within tol of the best."""
    pi = actions(seed, P) if P is not TIE_MDP else np.array([1])
    V = value_of(P, pi, gamma) if use_own_value else np.random.default_rng(seed).uniform(-5, 5, len(P))
    call = describe_call("policy_improvement", "P", V, pi, gamma, tol=tol)
    new = call_unmodified(kata.policy_improvement, P, V, pi, gamma, tol=tol, fn_name="policy_improvement")
    assert np.asarray(new).dtype.kind in "iu", f"{call}: expected integer actions, got {np.asarray(new).dtype}"
    assert_equal(np.asarray(new), improve_rule(P, V, pi, gamma, tol),
                 name="improved policy (ties within tol keep the current action)", call=call)
    if use_own_value:  # the policy improvement theorem
        better, old = value_of(P, np.asarray(new), gamma), V
        assert np.all(better >= old - 1e-8), (
            f"{call}: the improved policy is worse somewhere: V_new={better}, V_old={old}")


@given(P=mdps(max_states=4, max_actions=3), gamma=GAMMAS, seed=seeds(), default_start=st.booleans())
@example(P={0: {0: [(1.0, 0, 1.0, False)], 1: [(1.0, 0, 5.0, True)]}}, gamma=0.9, seed=0, default_start=True)
def test_policy_iteration_finds_the_best_deterministic_policy(kata, P, gamma, seed, default_start):
    """Brute force: V* = max over all n_a ** n_s deterministic policies of V^pi."""
    n_s, n_a = len(P), len(P[0])
    best = np.max([value_of(P, np.array(acts), gamma) for acts in itertools.product(range(n_a), repeat=n_s)], axis=0)
    pi0 = None if default_start else actions(seed, P)
    call = describe_call("policy_iteration", "P", gamma, pi0=pi0)
    V, pi, n_evals = call_unmodified(kata.policy_iteration, P, gamma, pi0=pi0, fn_name="policy_iteration")
    assert_close(V, best, rtol=0, atol=1e-9, name="V* (vs the best of all deterministic policies)", call=call)
    assert_close(value_of(P, np.asarray(pi), gamma), V, rtol=0, atol=1e-9,
                 name="value of the returned policy (V and pi must belong together)", call=call)
    assert isinstance(n_evals, int | np.integer) and 1 <= n_evals <= n_a ** n_s, (
        f"{call}: n_evals = {n_evals!r}, expected an int in [1, {n_a ** n_s}]")


@given(P=mdps(), gamma=GAMMAS, seed=seeds(), max_iter=st.integers(1, 6), default_start=st.booleans())
@example(P=TIE_MDP, gamma=0.5, seed=0, max_iter=100, default_start=False)  # pi0 = [1] is already optimal
@example(P=TIE_MDP, gamma=0.5, seed=0, max_iter=100, default_start=True)
def test_policy_iteration_replays_step_by_step(kata, P, gamma, seed, max_iter, default_start):
    """Evaluate, improve, stop when the improvement changes nothing or after max_iter evaluations;
    values never decrease from one policy to the next."""
    pi = np.zeros(len(P), dtype=np.int64) if default_start else (
        np.array([1]) if P is TIE_MDP else actions(seed, P))
    pi0 = None if default_start else pi.copy()
    values = []
    for n in range(1, max_iter + 1):
        V = value_of(P, pi, gamma)
        values.append(V)
        new = improve_rule(P, V, pi, gamma, 1e-9)
        if np.array_equal(new, pi) or n == max_iter:
            break
        pi = new
    call = describe_call("policy_iteration", "P", gamma, pi0=pi0, max_iter=max_iter)
    got_V, got_pi, got_n = kata.policy_iteration(P, gamma, pi0=pi0, max_iter=max_iter)
    assert_equal(got_n, n, name="n_evals (number of policy evaluations done)", call=call)
    assert_equal(np.asarray(got_pi), pi, name="policy (the last one evaluated)", call=call)
    assert np.asarray(got_pi).dtype.kind in "iu", f"{call}: pi should hold integer actions, got {np.asarray(got_pi).dtype}"
    assert_close(got_V, values[-1], rtol=0, atol=1e-9, name="V of the returned policy", call=call)
    if pi0 is not None:
        assert_no_alias(got_pi, pi0, name="returned policy (a new array, also when pi0 is already stable)", call=call)
    for a, b in itertools.pairwise(values):
        assert np.all(b >= a - 1e-8), f"policy improvement theorem violated in the replay: {a} -> {b}"


@pytest.mark.parametrize("slippery", [False, True])
@settings(max_examples=8)
@given(size=st.integers(2, 6), p=st.sampled_from([0.6, 0.8, 0.9]), map_seed=seeds(), gamma=GAMMAS)
@example(size=4, p=0.8, map_seed=0, gamma=0.99)
def test_frozen_lake_agrees_with_value_iteration(kata, slippery, size, p, map_seed, gamma):
    desc = generate_random_map(size=size, p=p, seed=map_seed)
    P = gym.make("FrozenLake-v1", desc=desc, is_slippery=slippery).unwrapped.P
    T, R = arrays_of(P)
    V_star = np.zeros(len(P))
    for _ in range(20_000):
        new = (R + gamma * T @ V_star).max(1)
        if np.abs(new - V_star).max() < 1e-13:
            break
        V_star = new
    call = describe_call("policy_iteration", f"FrozenLake(desc={desc}, is_slippery={slippery}).unwrapped.P", gamma)
    V, _pi, _n = kata.policy_iteration(P, gamma)
    # VI stopped at a change < 1e-13: within 1e-13 * gamma / (1 - gamma) of V*.
    assert_close(V, V_star, rtol=0, atol=1e-8, name="V* (vs value iteration)", call=call)


@given(case=st.sampled_from(["gamma_high", "gamma_negative", "short", "out_of_range", "negative", "floats"]))
def test_rejects_bad_arguments(kata, case):
    P = random_mdp(0, 3, 2)
    gamma = {"gamma_high": 1.0, "gamma_negative": -0.5}.get(case, 0.9)
    pi = {"short": np.array([0, 1]), "out_of_range": np.array([0, 2, 1]), "negative": np.array([0, -1, 1]),
          "floats": np.array([0.0, 1.0, 0.0])}.get(case, np.array([0, 1, 0]))
    for name, call in [("policy_value", lambda: kata.policy_value(P, pi, gamma)),
                       ("policy_improvement", lambda: kata.policy_improvement(P, np.zeros(3), pi, gamma)),
                       ("policy_iteration", lambda: kata.policy_iteration(P, gamma, pi0=pi))]:
        with pytest.raises(ValueError):
            call()
            pytest.fail(f"{name} with {case} (gamma={gamma}, pi={pi}) did not raise ValueError")


def test_improvement_keeps_an_action_exactly_tol_below_the_best(kata):
    """Q = (1, 0.75) (terminal rewards, exact in binary), tol = 0.25: action 1 has Q >= max Q − tol
    with equality, so it is kept; an action further below would give way to action 0."""
    P = {0: {0: [(1.0, 0, 1.0, True)], 1: [(1.0, 0, 0.75, True)], 2: [(1.0, 0, 0.5, True)]}}
    for pi, want in ((1, 1), (2, 0)):
        call = describe_call("policy_improvement", "P", np.zeros(1), np.array([pi]), 0.5, tol=0.25)
        got = kata.policy_improvement(P, np.zeros(1), np.array([pi]), 0.5, tol=0.25)
        assert_equal(np.asarray(got), np.array([want]), name="improved policy (keep when Q >= max − tol)", call=call)


@given(max_iter=st.integers(-2, 0))
def test_rejects_max_iter_below_one(kata, max_iter):
    with pytest.raises(ValueError):
        kata.policy_iteration(random_mdp(0, 3, 2), 0.9, max_iter=max_iter)

"""Tests for rl-05-5, the POMDP belief update (Bayes filter).

References: Bayes' rule by brute force, enumerating every hidden state sequence of short histories
(P(s_t | a_1..t, o_1..t) from the joint probability of whole paths); the classic tiger problem in
closed form; and the probability of the next observation against the same enumeration.
"""
import itertools

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call


def random_pomdp(seed: int, S: int, A: int, n_obs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (rng.dirichlet(np.ones(S)), rng.dirichlet(np.ones(S), size=(S, A)),
            rng.dirichlet(np.ones(n_obs), size=(A, S)))


def brute_force(b0: np.ndarray, actions: list[int], obs: list[int], T: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """Posterior over the last state by summing the joint probability of every state path."""
    S = len(b0)
    post = np.zeros(S)
    for path in itertools.product(range(S), repeat=len(actions) + 1):
        p = b0[path[0]]
        for t, (a, o) in enumerate(zip(actions, obs, strict=True)):
            p *= T[path[t], a, path[t + 1]] * Z[a, path[t + 1], o]
        post[path[-1]] += p
    return post / post.sum()


@given(seed=seeds(), S=st.integers(1, 4), A=st.integers(1, 3), n_obs=st.integers(1, 3), steps=st.integers(0, 4),
       data=st.data())
def test_filter_matches_bayes_by_enumeration(kata, seed, S, A, n_obs, steps, data):
    b0, T, Z = random_pomdp(seed, S, A, n_obs)
    actions = data.draw(st.lists(st.integers(0, A - 1), min_size=steps, max_size=steps), label="actions")
    obs = data.draw(st.lists(st.integers(0, n_obs - 1), min_size=steps, max_size=steps), label="observations")
    a_arr, o_arr = np.array(actions, dtype=np.int64), np.array(obs, dtype=np.int64)
    call = describe_call("bayes_filter", b0, a_arr, o_arr, T, Z)
    beliefs = call_unmodified(kata.bayes_filter, b0, a_arr, o_arr, T, Z, fn_name="bayes_filter")
    assert np.asarray(beliefs).shape == (steps + 1, S), f"{call} returned shape {np.asarray(beliefs).shape}, expected {(steps + 1, S)}"
    assert_dtype(beliefs, np.float64, call=call)
    for t in range(steps + 1):
        # float64 products of <= 9 probabilities: 1e-10.
        assert_close(beliefs[t], brute_force(b0, actions[:t], obs[:t], T, Z), rtol=1e-9, atol=1e-12,
                     name=f"belief after {t} steps (vs Bayes' rule over every hidden state path)", call=call)


@given(seed=seeds(), S=st.integers(1, 4), steps=st.integers(0, 2))
@settings(max_examples=10)
@example(seed=0, S=2, steps=0)  # the empty history: the result is b0 alone, still float64
def test_bayes_filter_returns_float64_for_float32_belief(kata, seed, S, steps):
    b0, T, Z = random_pomdp(seed, S, 2, 2)
    b0 = b0.astype(np.float32)
    rng = np.random.default_rng(seed)
    actions, obs = rng.integers(0, 2, size=steps), rng.integers(0, 2, size=steps)
    call = describe_call("bayes_filter", b0, actions, obs, T, Z)
    beliefs = call_unmodified(kata.bayes_filter, b0, actions, obs, T, Z, fn_name="bayes_filter")
    assert_dtype(beliefs, np.float64, name="beliefs (promised float64 whatever b0's dtype)", call=call)
    assert_close(beliefs[0], b0.astype(np.float64), rtol=0, atol=0, name="row 0 = b0", call=call)


@given(seed=seeds(), S=st.integers(1, 4), A=st.integers(1, 3), n_obs=st.integers(1, 3), data=st.data())
def test_observation_probability(kata, seed, S, A, n_obs, data):
    b, T, Z = random_pomdp(seed, S, A, n_obs)
    a, o = data.draw(st.integers(0, A - 1)), data.draw(st.integers(0, n_obs - 1))
    want = sum(b[s] * T[s, a, s2] * Z[a, s2, o] for s in range(S) for s2 in range(S))
    call = describe_call("observation_probability", b, a, o, T, Z)
    got = call_unmodified(kata.observation_probability, b, a, o, T, Z, fn_name="observation_probability")
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="P(o | b, a) = sum_s,s' b(s) T(s, a, s') Z(o | s', a)",
                 call=call)
    total = sum(kata.observation_probability(b, a, k, T, Z) for k in range(n_obs))
    assert_close(total, 1.0, rtol=0, atol=1e-10, name="sum over observations of P(o | b, a)", call=call)


def tiger() -> tuple[np.ndarray, np.ndarray]:
    """States: tiger left / right. Actions: listen (0), open left (1), open right (2). Listening keeps the
    state and hears the correct side with probability 0.85; opening resets uniformly, hears nothing useful."""
    T = np.zeros((2, 3, 2))
    T[:, 0, :] = np.eye(2)
    T[:, 1:, :] = 0.5
    Z = np.full((3, 2, 2), 0.5)
    Z[0] = [[0.85, 0.15], [0.15, 0.85]]
    return T, Z


@given(p_left=st.floats(0.0, 1.0), hear=st.sampled_from([0, 1]))
@example(p_left=0.5, hear=0)  # one growl on the left: 0.85
def test_tiger_listening(kata, p_left, hear):
    T, Z = tiger()
    b = np.array([p_left, 1 - p_left])
    like = np.array([0.85, 0.15]) if hear == 0 else np.array([0.15, 0.85])
    want = b * like / (b * like).sum()
    assert_close(kata.belief_update(b, 0, hear, T, Z), want, rtol=1e-12, atol=1e-12,
                 name="tiger belief after listening (Bayes: b(s) * 0.85 or 0.15, normalised)",
                 call=describe_call("belief_update", b, 0, hear, "T", "Z"))


def test_rejects_impossible_observations_and_bad_shapes(kata):
    T = np.array([[[1.0, 0.0]], [[0.0, 1.0]]])  # 2 states, 1 action, deterministic stay
    Z = np.array([[[1.0, 0.0], [1.0, 0.0]]])  # observation 1 never happens
    with pytest.raises(ValueError):
        kata.belief_update(np.array([0.5, 0.5]), 0, 1, T, Z)
    with pytest.raises(ValueError):
        kata.belief_update(np.array([0.5, 0.3, 0.2]), 0, 0, T, Z)
    with pytest.raises(ValueError):
        kata.bayes_filter(np.array([0.5, 0.5]), np.array([0, 0]), np.array([0]), T, Z)

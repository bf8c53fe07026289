"""Tests for rl-03-2, Generalized Advantage Estimation.

References: GAE's explicit-sum definition A_t = sum_l (gamma lambda)^l delta_{t+l}, truncated at the
first termination and bootstrapped from last_value at the end of the rollout (computed here term by
term in float64); its two limits (lambda = 0: the TD error; lambda = 1: the discounted return minus
V); column-by-column agreement for (T, N) rollouts; dtypes, inputs and errors.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

UNIT = st.sampled_from([0.0, 1.0, 0.95, 0.99]) | st.floats(0.0, 1.0)


def explicit(rewards: np.ndarray, values: np.ndarray, term: np.ndarray, last: float, gamma: float,
             lam: float) -> np.ndarray:
    """A_t = sum_{l >= 0} (gamma lam)^l delta_{t+l}, stopping after the first terminated step."""
    r, v, T = rewards.astype(np.float64), values.astype(np.float64), len(rewards)
    nxt = np.append(v[1:], float(last))
    delta = r + gamma * nxt * (1 - term) - v
    out = np.zeros(T)
    for t in range(T):
        for k in range(t, T):
            out[t] += (gamma * lam) ** (k - t) * delta[k]
            if term[k]:
                break
    return out


def monte_carlo(rewards: np.ndarray, values: np.ndarray, term: np.ndarray, last: float, gamma: float) -> np.ndarray:
    """lambda = 1: G_t - V_t with G_t the discounted return up to the episode end (or last_value at the cut)."""
    T, out = len(rewards), np.zeros(len(rewards))
    for t in range(T):
        g, disc = 0.0, 1.0
        for k in range(t, T):
            g += disc * rewards[k]
            disc *= gamma
            if term[k]:
                break
        else:
            g += disc * last
        out[t] = g - values[t]
    return out


@st.composite
def rollouts(draw: st.DrawFn, n_envs: int | None = None) -> tuple:
    T = draw(st.integers(1, 12))
    rng = np.random.default_rng(draw(seeds()))
    shape = (T,) if n_envs is None else (T, n_envs)
    p_term = draw(st.sampled_from([0.0, 0.2, 0.5]))
    return (rng.normal(0, 1, shape), rng.normal(0, 2, shape), rng.random(shape) < p_term,
            rng.normal(0, 2, shape[1:]) if n_envs else float(rng.normal(0, 2)))


@given(ro=rollouts(), gamma=UNIT, lam=UNIT, dtype=float_dtypes())
@example(ro=(np.array([1.0, 1.0, 1.0]), np.array([0.5, 0.5, 0.5]), np.array([False, True, False]), 2.0),
         gamma=0.9, lam=0.8, dtype=np.float64)  # an episode boundary in the middle of the rollout
@example(ro=(np.array([1.0, 2.0]), np.array([0.0, 0.0]), np.array([False, False]), 10.0),
         gamma=0.5, lam=1.0, dtype=np.float64)  # bootstrap from last_value at the cut
@example(ro=(np.array([1.0, 2.0]), np.array([0.0, 0.0]), np.array([False, True]), 10.0),
         gamma=0.5, lam=1.0, dtype=np.float32)  # ... unless the last step terminated
def test_matches_the_explicit_sum(kata, ro, gamma, lam, dtype):
    rewards, values, term, last = ro
    rewards, values = rewards.astype(dtype), values.astype(dtype)
    call = describe_call("gae", rewards, values, term, last, gamma, lam)
    adv, ret = call_unmodified(kata.gae, rewards, values, term, last, gamma, lam, fn_name="gae")
    assert_shape(adv, rewards.shape, name="advantages", call=call)
    assert_dtype(adv, dtype, name="advantages", call=call)
    assert_dtype(ret, dtype, name="returns", call=call)
    want = explicit(rewards, values, term, last, gamma, lam)
    # float32: values of size <= ~30 accumulated over <= 12 steps, 1e-4; float64: 1e-10.
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert_close(adv, want, rtol=tol, atol=tol,
                 name="advantages (vs sum_l (gamma lam)^l delta_{t+l}, cut after a termination)", call=call)
    assert_close(ret, want + values.astype(np.float64), rtol=tol, atol=tol, name="returns (advantages + values)",
                 call=call)


@given(ro=rollouts(), gamma=UNIT)
def test_lambda_limits(kata, ro, gamma):
    """lambda = 0 gives the one-step TD error; lambda = 1 the Monte Carlo return minus V."""
    rewards, values, term, last = ro
    nxt = np.append(values[1:], last)
    adv0, _ = kata.gae(rewards, values, term, last, gamma, 0.0)
    assert_close(adv0, rewards + gamma * nxt * (1 - term) - values, rtol=1e-10, atol=1e-10,
                 name="advantages with lam=0 (the TD errors delta_t)", call=describe_call("gae", "...", gamma, 0.0))
    adv1, _ = kata.gae(rewards, values, term, last, gamma, 1.0)
    assert_close(adv1, monte_carlo(rewards, values, term, last, gamma), rtol=1e-9, atol=1e-9,
                 name="advantages with lam=1 (discounted return minus V)", call=describe_call("gae", "...", gamma, 1.0))


@given(n_envs=st.integers(1, 4), data=st.data(), gamma=UNIT, lam=UNIT, last_scalar=st.booleans())
def test_parallel_envs_are_independent_columns(kata, n_envs, data, gamma, lam, last_scalar):
    rewards, values, term, last = data.draw(rollouts(n_envs), label="rollout")
    if last_scalar:
        last = float(last[0])
    call = describe_call("gae", rewards, values, term, last, gamma, lam)
    adv, ret = call_unmodified(kata.gae, rewards, values, term, last, gamma, lam, fn_name="gae")
    assert_shape(adv, rewards.shape, name="advantages", call=call)
    lasts = np.broadcast_to(last, (n_envs,))
    for j in range(n_envs):
        want = explicit(rewards[:, j], values[:, j], term[:, j], float(lasts[j]), gamma, lam)
        assert_close(adv[:, j], want, rtol=1e-10, atol=1e-10, name=f"advantages of env column {j}", call=call)
        assert_close(ret[:, j], want + values[:, j], rtol=1e-10, atol=1e-10, name=f"returns of env column {j}",
                     call=call)


@given(case=st.sampled_from(["values_short", "term_shape", "3d", "gamma", "lam"]))
def test_rejects_bad_arguments(kata, case):
    r, v, d = np.zeros(4), np.zeros(4), np.zeros(4, dtype=bool)
    gamma, lam = {"gamma": 1.5}.get(case, 0.9), {"lam": -0.5}.get(case, 0.9)
    if case == "values_short":
        v = np.zeros(3)
    elif case == "term_shape":
        d = np.zeros((4, 2), dtype=bool)
    elif case == "3d":
        r, v, d = np.zeros((2, 2, 2)), np.zeros((2, 2, 2)), np.zeros((2, 2, 2), dtype=bool)
    with pytest.raises(ValueError):
        kata.gae(r, v, d, 0.0, gamma, lam)

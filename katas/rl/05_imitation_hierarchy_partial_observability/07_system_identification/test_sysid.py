"""Tests for rl-05-7, system identification of pendulum dynamics by least squares.

References: gymnasium's Pendulum-v1 simulator itself: rollouts with drawn gravity, mass and length
(set on the environment) must give back those parameters; the angle decoded from observations
against the simulator's internal state; the design matrix against the dynamics equation of the
gymnasium source, theta_dot' = theta_dot + (3g / 2l sin(theta) + 3 / (m l^2) u) dt, clipped at 8.
"""
import gymnasium as gym
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def rollouts(seed: int, g: float, m: float, length: float, steps: int = 400):
    env = gym.make("Pendulum-v1", g=g)
    env.unwrapped.m, env.unwrapped.l = m, length
    rng = np.random.default_rng(seed)
    o, _ = env.reset(seed=seed)
    X, A, N, states = [], [], [], []
    for _ in range(steps):
        a = rng.uniform(-2, 2, size=1).astype(np.float32)
        states.append(np.array(env.unwrapped.state, dtype=np.float64))
        n, _r, term, trunc, _ = env.step(a)
        X.append(o)
        A.append(a)
        N.append(n)
        o = env.reset()[0] if term or trunc else n
    return np.array(X), np.array(A), np.array(N), np.array(states)


PARAMS = dict(g=st.floats(2.0, 20.0), m=st.floats(0.5, 2.0), length=st.floats(0.5, 1.5))


@settings(max_examples=10)
@given(seed=seeds(), **PARAMS)
@example(seed=0, g=20.0, m=0.5, length=0.5)  # fast swings: many transitions hit the speed limit
@example(seed=0, g=10.0, m=1.0, length=1.0)  # the default pendulum
def test_recovers_the_simulator_parameters(kata, seed, g, m, length):
    obs, act, nxt, _ = rollouts(seed, g, m, length)
    call = describe_call("fit_pendulum", obs, act, nxt, dt=0.05, length=length)
    got = call_unmodified(kata.fit_pendulum, obs, act, nxt, dt=0.05, length=length, fn_name="fit_pendulum")
    # float32 observations: the finite difference of theta_dot carries ~1e-6 / dt noise; 400 samples: 1e-3.
    for key, want in {"g": g, "m": m, "a": 1.5 * g / length, "b": 3 / (m * length**2)}.items():
        assert key in got, f"{call} returned keys {sorted(got)}; missing {key!r}"
        assert_close(got[key], want, rtol=2e-3, atol=0, name=f"{key!r} (the Pendulum-v1 simulator used {key}={want:.4g})",
                     call=call)


@given(seed=seeds())
def test_angle_from_observations(kata, seed):
    obs, _, _, states = rollouts(seed, 10.0, 1.0, 1.0, steps=60)
    th, thdot = kata.obs_to_state(obs)
    wrapped = (states[:, 0] + np.pi) % (2 * np.pi) - np.pi
    assert_close(th, wrapped, rtol=0, atol=1e-5, name="theta = atan2(sin, cos) in (-pi, pi] (vs the simulator state)",
                 call=describe_call("obs_to_state", obs))
    assert_close(thdot, states[:, 1], rtol=0, atol=1e-5, name="theta_dot", call=describe_call("obs_to_state", obs))


@given(seed=seeds(), **PARAMS, max_speed=st.sampled_from([8.0, 4.0]))
def test_design_matrix_follows_the_dynamics(kata, seed, g, m, length, max_speed):
    obs, act, nxt, states = rollouts(seed, g, m, length, steps=80)
    call = describe_call("design_matrix", obs, act, nxt, 0.05, max_speed=max_speed)
    X, y = call_unmodified(kata.design_matrix, obs, act, nxt, 0.05, max_speed=max_speed, fn_name="design_matrix")
    th = np.arctan2(obs[:, 1].astype(np.float64), obs[:, 0])
    nthdot = nxt[:, 2].astype(np.float64)
    keep = np.abs(nthdot) < max_speed
    assert X.shape == (int(keep.sum()), 2) and y.shape == (int(keep.sum()),), (
        f"{call} returned X {X.shape}, y {y.shape}; expected {(int(keep.sum()), 2)} rows: one per transition whose next "
        f"|theta_dot| < max_speed")
    assert_close(X, np.stack([np.sin(th), act[:, 0]], 1)[keep], rtol=0, atol=1e-6, name="X = [sin(theta), u]", call=call)
    assert_close(y, ((nthdot - obs[:, 2]) / 0.05)[keep], rtol=0, atol=1e-4, name="y = (theta_dot' - theta_dot) / dt",
                 call=call)


def test_rejects_too_little_data(kata):
    obs, act, nxt, _ = rollouts(0, 10.0, 1.0, 1.0, steps=1)
    with pytest.raises(ValueError):
        kata.fit_pendulum(obs, act, nxt)

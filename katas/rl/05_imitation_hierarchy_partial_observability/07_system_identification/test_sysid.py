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
from grader.testing import assert_close, assert_dtype, assert_no_alias, call_unmodified, describe_call


def rollouts(seed: int, g: float, m: float, length: float, steps: int = 400, dt: float = 0.05):
    env = gym.make("Pendulum-v1", g=g)
    env.unwrapped.m, env.unwrapped.l, env.unwrapped.dt = m, length, dt
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
@given(seed=seeds(), **PARAMS, dt=st.sampled_from([0.05, 0.02, 0.1]))
@example(seed=0, g=20.0, m=0.5, length=0.5, dt=0.02)  # fast swings, a simulator step other than 0.05
@example(seed=0, g=10.0, m=1.0, length=1.0, dt=0.05)  # the default pendulum
def test_recovers_the_simulator_parameters(kata, seed, g, m, length, dt):
    obs, act, nxt, _ = rollouts(seed, g, m, length, dt=dt)
    call = describe_call("fit_pendulum", obs, act, nxt, dt=dt, length=length)
    got = call_unmodified(kata.fit_pendulum, obs, act, nxt, dt=dt, length=length, fn_name="fit_pendulum")
    # float32 observations: the finite difference of theta_dot carries ~1e-6 / dt noise; 400 samples: 1e-3.
    for key, want in {"g": g, "m": m, "a": 1.5 * g / length, "b": 3 / (m * length**2)}.items():
        assert key in got, f"{call} returned keys {sorted(got)}; missing {key!r}"
        assert_close(got[key], want, rtol=2e-3, atol=0, name=f"{key!r} (the Pendulum-v1 simulator used {key}={want:.4g})",
                     call=call)


@given(seed=seeds(), dtype=st.sampled_from([np.float32, np.float64]))
@example(seed=0, dtype=np.float32)  # gymnasium's own observations
@example(seed=0, dtype=np.float64)  # already float64: the result must still be a new array
def test_angle_from_observations(kata, seed, dtype):
    obs, _, _, states = rollouts(seed, 10.0, 1.0, 1.0, steps=60)
    obs = obs.astype(dtype)
    call = describe_call("obs_to_state", obs)
    th, thdot = call_unmodified(kata.obs_to_state, obs, fn_name="obs_to_state")
    for name, out in (("theta", th), ("theta_dot", thdot)):
        assert_dtype(out, np.float64, name=f"{name} (promised as a new float64 array)", call=call)
        assert_no_alias(out, obs, name=f"{name} (promised as a new array, not a view of obs)", call=call)
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


def transition(env, th: float, thdot: float, u: float):
    """One Pendulum-v1 step from the state (th, thdot) under torque u: (obs, action, next_obs)."""
    env.unwrapped.state = np.array([th, thdot])
    obs = env.unwrapped._get_obs()
    action = np.array([u], dtype=np.float32)
    return obs, action, env.step(action)[0]


@settings(max_examples=5)
@given(th=st.tuples(st.floats(0.3, 1.2), st.floats(-1.2, -0.3)), u=st.tuples(st.floats(0.5, 2.0), st.floats(0.5, 2.0)),
       **PARAMS)
@example(th=(0.5, -0.8), u=(1.5, 1.0), g=10.0, m=1.0, length=1.0)
def test_fit_pendulum_from_exactly_two_unclipped_transitions(kata, th, u, g, m, length):
    """Three transitions, one of them clipped at the speed limit: two usable ones are enough."""
    env = gym.make("Pendulum-v1", g=g)
    env.unwrapped.m, env.unwrapped.l = m, length
    env.reset(seed=0)
    rows = [transition(env, th[0], 0.0, u[0]), transition(env, 0.0, 7.99, 2.0), transition(env, th[1], 0.0, u[1])]
    obs, act, nxt = (np.array(col) for col in zip(*rows, strict=True))
    assert abs(nxt[1, 2]) == 8.0 and np.all(np.abs(nxt[[0, 2], 2]) < 8.0)
    call = describe_call("fit_pendulum", obs, act, nxt, length=length)
    got = call_unmodified(kata.fit_pendulum, obs, act, nxt, length=length, fn_name="fit_pendulum")
    # Two equations, two unknowns; sin(theta) of opposite signs and torques of one sign keep |det X| > 0.29:
    # float32 noise ~1e-5 relative.
    for key, want in {"g": g, "m": m}.items():
        assert_close(got[key], want, rtol=1e-3, atol=0,
                     name=f"{key!r} from two unclipped transitions (exactly determined; the simulator used {want:.4g})",
                     call=call)
    with pytest.raises(ValueError):  # the clipped one and one usable transition: too few
        kata.fit_pendulum(obs[:2], act[:2], nxt[:2], length=length)


def test_rejects_too_little_data(kata):
    obs, act, nxt, _ = rollouts(0, 10.0, 1.0, 1.0, steps=1)
    with pytest.raises(ValueError):
        kata.fit_pendulum(obs, act, nxt)

"""Tests for rl-02-3, Double-DQN targets.

References: the Double-DQN target in closed form (numpy argmax of the online values, value read
from the target values), exact on fixed networks; and the statistical property it exists for: with
true action values all equal and independent estimation noise in the two networks, the plain DQN
target max_a Q_target is biased upwards while the Double-DQN target is unbiased.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call


def reference(rewards: torch.Tensor, q_online: torch.Tensor, q_target: torch.Tensor, terminated: torch.Tensor,
              gamma: float) -> np.ndarray:
    best = np.argmax(q_online.double().numpy(), axis=1)  # numpy: the first maximal action on ties
    value = q_target.double().numpy()[np.arange(len(best)), best]
    return rewards.double().numpy() + gamma * (1 - terminated.double().numpy()) * value


def net(seed: int, n_actions: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, n_actions))


@given(n=st.integers(1, 12), n_actions=st.integers(1, 5), gamma=st.sampled_from([0.0, 0.99, 1.0]) | st.floats(0, 1),
       dtype=torch_float_dtypes(), seed=seeds(), float_flags=st.booleans(), ties=st.booleans())
@example(n=1, n_actions=3, gamma=0.9, dtype=torch.float32, seed=-1, float_flags=False, ties=False)
@example(n=1, n_actions=3, gamma=0.9, dtype=torch.float64, seed=-2, float_flags=True, ties=True)
def test_double_dqn_targets_closed_form(kata, n, n_actions, gamma, dtype, seed, float_flags, ties):
    if seed == -1:  # online prefers action 2, the target network prefers action 0
        rewards, q_on = torch.tensor([1.0], dtype=dtype), torch.tensor([[0.0, 1.0, 5.0]], dtype=dtype)
        q_tg, term = torch.tensor([[9.0, 2.0, 3.0]], dtype=dtype), torch.tensor([False])
    elif seed == -2:  # online values tied between actions 0 and 2: the first maximal one (0) is chosen
        rewards, q_on = torch.tensor([0.5], dtype=dtype), torch.tensor([[4.0, 1.0, 4.0]], dtype=dtype)
        q_tg, term = torch.tensor([[1.0, 2.0, 3.0]], dtype=dtype), torch.tensor([False])
    else:
        g = torch.Generator().manual_seed(seed)
        rewards = torch.randn(n, generator=g, dtype=dtype)
        q_on = torch.randn(n, n_actions, generator=g, dtype=dtype)
        if ties:
            q_on = q_on.round()
        q_tg = torch.randn(n, n_actions, generator=g, dtype=dtype) * 3
        term = torch.rand(n, generator=g) < 0.3
    flags = term.to(dtype) if float_flags else term
    call = describe_call("double_dqn_targets", rewards, q_on, q_tg, flags, gamma)
    got = call_unmodified(kata.double_dqn_targets, rewards, q_on, q_tg, flags, gamma, fn_name="double_dqn_targets")
    assert_dtype(got, dtype, call=call)
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert_close(got, reference(rewards, q_on, q_tg, term, gamma), rtol=tol, atol=tol,
                 name=("targets r + gamma (1 - terminated) Q_target(s', argmax_a Q_online(s', a)) "
                       "(first maximal action on ties)"), call=call)
    other = torch.float64 if dtype == torch.float32 else torch.float32
    got = kata.double_dqn_targets(rewards.to(other), q_on, q_tg, flags, gamma)
    assert_dtype(got, dtype, name="targets (next_q_target's dtype, whatever the rewards' dtype)",
                 call=describe_call("double_dqn_targets", rewards.to(other), q_on, q_tg, flags, gamma))


def test_rejects_mismatched_shapes(kata):
    with pytest.raises(ValueError):
        kata.double_dqn_targets(torch.zeros(2), torch.zeros(2, 3), torch.zeros(2, 4), torch.zeros(2), 0.9)


@given(seed=seeds(), n=st.integers(1, 10), n_actions=st.integers(1, 4), gamma=st.floats(0.0, 1.0))
def test_batch_targets_from_networks(kata, seed, n, n_actions, gamma):
    q_net, target_net = net(seed, n_actions), net(seed + 1, n_actions)
    g = torch.Generator().manual_seed(seed)
    batch = {"obs": torch.randn(n, 3, generator=g), "actions": torch.randint(n_actions, (n,), generator=g),
             "rewards": torch.randn(n, generator=g), "next_obs": torch.randn(n, 3, generator=g),
             "terminated": torch.rand(n, generator=g) < 0.3}
    call = describe_call("double_dqn_batch_targets", "q_net", "target_net", "batch", gamma)
    got = call_unmodified(kata.double_dqn_batch_targets, q_net, target_net, batch, gamma,
                          fn_name="double_dqn_batch_targets")
    assert not got.requires_grad, f"{call}: the targets require grad; compute them under torch.no_grad()"
    with torch.no_grad():
        want = reference(batch["rewards"], q_net(batch["next_obs"]), target_net(batch["next_obs"]),
                         batch["terminated"], gamma)
    # float32 forward passes of an 8-unit MLP: 1e-5.
    assert_close(got, want, rtol=1e-5, atol=1e-6,
                 name="targets (online net picks the next action on next_obs, target net evaluates it)", call=call)


@settings(max_examples=5)
@given(seed=seeds(), n_actions=st.integers(2, 8))
@example(seed=0, n_actions=8)
def test_removes_the_overestimation_bias(kata, seed, n_actions):
    """True Q = 0 for every action; each network's estimate adds independent N(0, 1) noise.
    max_a Q_target is biased up by E[max of n_actions normals] > 0; the Double-DQN value is unbiased."""
    n = 20_000
    g = torch.Generator().manual_seed(seed)
    q_on = torch.randn(n, n_actions, generator=g, dtype=torch.float64)
    q_tg = torch.randn(n, n_actions, generator=g, dtype=torch.float64)
    zeros, term = torch.zeros(n, dtype=torch.float64), torch.zeros(n, dtype=torch.bool)
    double = kata.double_dqn_targets(zeros, q_on, q_tg, term, 1.0).numpy()
    plain = kata.dqn_targets(zeros, q_tg, term, 1.0).numpy()
    se = double.std() / np.sqrt(n)
    assert abs(double.mean()) < 5 * se, (
        f"double_dqn_targets with all true values 0 and independent unit noise ({n_actions} actions, {n} samples): "
        f"mean target {double.mean():.4f}, expected 0 within {5 * se:.4f} (plain DQN's mean is {plain.mean():.3f}: "
        "is the same network both choosing and evaluating the action?)")
    assert plain.mean() > 0.5, f"sanity: plain DQN's mean target {plain.mean():.3f} should be clearly positive"

"""Tests for rl-03-4, synchronous advantage actor-critic (A2C).

References: bootstrapped n-step targets as explicit discounted sums (cut at episode ends, bootstrapped
from the last values at the rollout's end); the A2C loss in closed form and its gradients with
respect to the logits and the values (hand-derived: the policy term sends no gradient to the critic);
entropy against torch.distributions.Categorical; and a training run on gymnasium's synchronous
vector environment of CartPoles whose episode returns must improve.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_seeded, call_unmodified, describe_call


def explicit_targets(r: np.ndarray, d: np.ndarray, last: np.ndarray, gamma: float) -> np.ndarray:
    T, N = r.shape
    out = np.zeros((T, N))
    for j in range(N):
        for t in range(T):
            g, disc = 0.0, 1.0
            for k in range(t, T):
                g += disc * r[k, j]
                disc *= gamma
                if d[k, j]:
                    break
            else:
                g += disc * last[j]
            out[t, j] = g
    return out


@given(T=st.integers(1, 8), N=st.integers(1, 4), gamma=st.sampled_from([0.0, 1.0, 0.99]) | st.floats(0, 1),
       dtype=torch_float_dtypes(), seed=seeds(), p_done=st.sampled_from([0.0, 0.3]))
@example(T=3, N=1, gamma=0.5, dtype=torch.float64, seed=0, p_done=0.3)
def test_n_step_targets(kata, T, N, gamma, dtype, seed, p_done):
    g = torch.Generator().manual_seed(seed)
    rewards = torch.randn(T, N, generator=g, dtype=torch.float64).to(dtype)
    dones = torch.rand(T, N, generator=g) < p_done
    last = (torch.randn(N, generator=g, dtype=torch.float64) * 3).to(dtype)
    call = describe_call("n_step_targets", rewards, dones, last, gamma)
    got = call_unmodified(kata.n_step_targets, rewards, dones, last, gamma, fn_name="n_step_targets")
    assert_dtype(got, dtype, call=call)
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert_close(got, explicit_targets(rewards.double().numpy(), dones.numpy(), last.double().numpy(), gamma),
                 rtol=tol, atol=tol, name="targets (discounted rewards to the episode end, or + gamma^k V_last at the cut)",
                 call=call)


def test_n_step_targets_reject_bad_shapes(kata):
    with pytest.raises(ValueError):
        kata.n_step_targets(torch.zeros(4, 2), torch.zeros(4, 2, dtype=torch.bool), torch.zeros(3), 0.9)
    with pytest.raises(ValueError):
        kata.n_step_targets(torch.zeros(4), torch.zeros(4, dtype=torch.bool), torch.zeros(()), 0.9)


@given(B=st.integers(1, 12), A=st.integers(2, 5), vf=st.sampled_from([0.5, 0.0, 1.0]),
       ent=st.sampled_from([0.01, 0.0, 0.5]), seed=seeds())
def test_loss_and_gradients(kata, B, A, vf, ent, seed):
    g = torch.Generator().manual_seed(seed)
    logits = (torch.randn(B, A, generator=g, dtype=torch.float64) * 2).requires_grad_(True)
    actions = torch.randint(A, (B,), generator=g)
    values = torch.randn(B, generator=g, dtype=torch.float64).requires_grad_(True)
    returns = torch.randn(B, generator=g, dtype=torch.float64) * 2
    call = describe_call("a2c_loss", logits, actions, values, returns, vf_coef=vf, ent_coef=ent)
    out = call_unmodified(kata.a2c_loss, logits, actions, values, returns, vf_coef=vf, ent_coef=ent, fn_name="a2c_loss")
    L, V, R, act = logits.detach().numpy(), values.detach().numpy(), returns.numpy(), actions.numpy()
    logp = L - np.log(np.exp(L).sum(1, keepdims=True))
    p = np.exp(logp)
    adv = R - V
    want = {"policy": -(logp[np.arange(B), act] * adv).mean(), "value": 0.5 * (adv**2).mean(),
            "entropy": float(torch.distributions.Categorical(logits=logits.detach()).entropy().mean())}
    want["loss"] = want["policy"] + vf * want["value"] - ent * want["entropy"]
    for key, value in want.items():
        assert key in out, f"{call} returned keys {sorted(out)}; missing {key!r}"
        assert_close(out[key], value, rtol=1e-10, atol=1e-10, name=f"{key!r}", call=call)
    g_logits, g_values = torch.autograd.grad(out["loss"], (logits, values))
    onehot = np.eye(A)[act]
    # d/dlogits: policy term -(onehot - p) adv / B; entropy term -ent * dH/dlogits
    dH = -p * (logp - (p * logp).sum(1, keepdims=True)) / B
    assert_close(g_logits, -(onehot - p) * adv[:, None] / B - ent * dH, rtol=1e-9, atol=1e-10,
                 name="d loss / d logits", call=call)
    # the critic only gets gradient from the value term: vf_coef * (V - R) / B
    assert_close(g_values, vf * (V - R) / B, rtol=1e-9, atol=1e-10,
                 name="d loss / d values (only vf_coef * (V - R) / B: the advantage in the policy term is detached)",
                 call=call)


@settings(max_examples=1)
@given(seed=seeds())
def test_same_seed_same_run(kata, seed):
    def run(s: int) -> list[torch.Tensor]:
        model, _ = kata.train_a2c("CartPole-v1", 2, 5, 3, s)
        return [p.detach().clone() for p in model.parameters()]
    assert_seeded(run, seed, name="A2C parameters after 3 updates")


@settings(max_examples=1)
@given(seed=seeds(), which=st.sampled_from(["lr", "gamma", "vf_coef", "ent_coef"]))
def test_every_hyperparameter_is_used(kata, seed, which):
    base = dict(lr=7e-3, gamma=0.99, vf_coef=0.5, ent_coef=0.01)
    changed = dict(base, **{which: {"lr": 1e-3, "gamma": 0.5, "vf_coef": 1.0, "ent_coef": 0.2}[which]})
    a = [p.detach().clone() for p in kata.train_a2c("CartPole-v1", 2, 5, 2, seed, **base)[0].parameters()]
    b = [p.detach().clone() for p in kata.train_a2c("CartPole-v1", 2, 5, 2, seed, **changed)[0].parameters()]
    assert any(not torch.equal(x, y) for x, y in zip(a, b, strict=True)), (
        f"train_a2c gave identical parameters with {which}={base[which]} and {which}={changed[which]}: ignored?")


@pytest.mark.slow
@settings(max_examples=1)
@given(seed=seeds())
@example(seed=0)
def test_learns_cartpole(kata, seed):
    """8 synchronous CartPoles, 5-step rollouts, 300 updates: the last 20 finished episodes average at
    least twice the first 20 (a correct implementation goes from about 20 to 60-200)."""
    _, finished = kata.train_a2c("CartPole-v1", 8, 5, 300, seed)
    assert len(finished) >= 40, f"train_a2c finished only {len(finished)} episodes; expected many more"
    first, last = np.mean(finished[:20]), np.mean(finished[-20:])
    assert last > 2 * first, (f"train_a2c(CartPole-v1, 8 envs, 5 steps, 300 updates, seed={seed}): first 20 episodes "
                              f"average {first:.1f}, last 20 average {last:.1f}; expected at least a doubling")

"""Tests for rl-03-4, synchronous advantage actor-critic (A2C).

References: bootstrapped n-step targets as explicit discounted sums (cut at episode ends, bootstrapped
from the last values at the rollout's end); the A2C loss in closed form and its gradients with
respect to the logits and the values (hand-derived: the policy term sends no gradient to the critic);
entropy against torch.distributions.Categorical; and a training run on gymnasium's synchronous
vector environment of CartPoles whose episode returns must improve; and a short run on CartPoles
that record every step they see, replayed with the docstring's recipe: the same actions drawn from the
seeded generator, the same finished-episode returns, and the same parameters after the updates.
"""
import gymnasium as gym
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


RECORDERS: list = []
RECORDED_ID = "KataRecordedCartPole-v0"


class Recorder(gym.Wrapper):
    """A CartPole that passes everything through and records each step: (obs seen, action, reward, done)."""

    def __init__(self, env: gym.Env):
        super().__init__(env)
        self.steps: list[tuple[np.ndarray, int, float, bool]] = []
        RECORDERS.append(self)

    def reset(self, *, seed=None, options=None):
        obs, info = self.env.reset(seed=seed, options=options)
        self.obs = np.array(obs, dtype=np.float32)
        return obs, info

    def step(self, action):
        obs, r, terminated, truncated, info = self.env.step(action)
        self.steps.append((self.obs, int(action), float(r), bool(terminated or truncated)))
        self.obs = np.array(obs, dtype=np.float32)
        return obs, r, terminated, truncated, info


gym.registry.pop(RECORDED_ID, None)  # bind the id to this module's RECORDERS, also on a re-import
gym.register(RECORDED_ID, entry_point=lambda: Recorder(gym.make("CartPole-v1")))


def replay_a2c(kata, recs: list, n_steps: int, updates: int, seed: int, lr: float, gamma: float, vf: float,
               ent: float) -> tuple[torch.nn.Module, list[str]]:
    """The docstring's recipe on the recorded steps: the model it ends with, and where the recorded
    actions differ from the draws of torch.multinomial(softmax(logits), 1, generator=seeded)."""
    S = n_steps * updates
    obs = np.array([[r.steps[k][0] for r in recs] for k in range(S)] + [[r.obs for r in recs]])
    act, rew, done = (np.array([[r.steps[k][i] for r in recs] for k in range(S)]) for i in (1, 2, 3))
    torch.manual_seed(seed)
    model = kata.ActorCritic(obs.shape[-1], 2)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    wrong = []
    for u in range(updates):
        rows = slice(u * n_steps, (u + 1) * n_steps)
        for k in range(u * n_steps, (u + 1) * n_steps):
            with torch.no_grad():
                logits, _ = model(torch.as_tensor(obs[k]))
            a = torch.multinomial(torch.softmax(logits, -1), 1, generator=gen).squeeze(1).numpy()
            wrong += [f"step {k}, env {j}: action {act[k, j]}, the generator draws {a[j]}"
                      for j in np.flatnonzero(a != act[k])]
        with torch.no_grad():
            _, last_v = model(torch.as_tensor(obs[(u + 1) * n_steps]))
        R = torch.tensor(explicit_targets(rew[rows], done[rows], last_v.double().numpy(), gamma)).reshape(-1)
        logits, values = model(torch.as_tensor(obs[rows]).reshape(-1, obs.shape[-1]))
        logp = torch.log_softmax(logits, -1)
        chosen = logp[torch.arange(len(R)), torch.as_tensor(act[rows].reshape(-1))]
        entropy = -(logp.exp() * logp).sum(-1).mean()
        loss = (-(chosen * (R - values).detach()).mean() + vf * 0.5 * ((R - values) ** 2).mean()
                - ent * entropy)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, wrong


@settings(max_examples=1)
@given(seed=seeds(), n_envs=st.integers(1, 3), n_steps=st.sampled_from([5, 3]), lr=st.sampled_from([7e-3, 3e-2]),
       gamma=st.sampled_from([0.99, 0.9]), vf=st.sampled_from([0.5, 1.0]), ent=st.sampled_from([0.01, 0.1]))
@example(seed=0, n_envs=2, n_steps=5, lr=3e-2, gamma=0.9, vf=1.0, ent=0.1)
@example(seed=1, n_envs=1, n_steps=3, lr=7e-3, gamma=0.99, vf=0.5, ent=0.01)
def test_train_a2c_matches_recipe(kata, seed, n_envs, n_steps, lr, gamma, vf, ent):
    """8 updates on CartPoles that record every step; everything must be what the docstring's recipe
    gives on those very steps."""
    updates = 8
    RECORDERS.clear()
    run = (f"train_a2c(CartPole-v1, n_envs={n_envs}, n_steps={n_steps}, updates={updates}, seed={seed}, lr={lr}, "
           f"gamma={gamma}, vf_coef={vf}, ent_coef={ent})")
    model, finished = kata.train_a2c(RECORDED_ID, n_envs, n_steps, updates, seed, lr=lr, gamma=gamma, vf_coef=vf,
                                     ent_coef=ent)
    recs = list(RECORDERS)
    assert len(recs) == n_envs, f"{run} made {len(recs)} environments, expected {n_envs} (make_envs)"
    counts = [len(r.steps) for r in recs]
    assert counts == [n_steps * updates] * n_envs, (
        f"{run} stepped the environments {counts} times, expected n_steps * updates = {n_steps * updates} each")
    want_finished, running = [], np.zeros(n_envs)
    for k in range(n_steps * updates):
        for j, r in enumerate(recs):
            running[j] += r.steps[k][2]
            if r.steps[k][3]:
                want_finished.append(float(running[j]))
                running[j] = 0.0
    assert_close(finished, want_finished, rtol=0, atol=1e-9, call=run,
                 name="list of finished episodes' returns (in the order they end; same step: env order)")
    want, wrong = replay_a2c(kata, recs, n_steps, updates, seed, lr, gamma, vf, ent)
    assert not wrong, (f"{run}: {len(wrong)} actions are not torch.multinomial(softmax(logits, -1), 1, "
                       f"generator=torch.Generator().manual_seed(seed)) draws, e.g. {wrong[:3]}")
    # Each Adam step moves a parameter by about lr; float32 runs agree to ~1e-4 * lr (measured), a wrong
    # gamma, vf_coef, ent_coef, lr or target moves it by far more.
    for (name, got), ref in zip(model.named_parameters(), want.parameters(), strict=True):
        assert_close(got, ref, rtol=0, atol=2e-3 * lr, call=run,
                     name=f"parameter {name} after {updates} updates (vs the recipe replayed on your steps)")


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

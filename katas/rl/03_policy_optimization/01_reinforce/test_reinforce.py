"""Tests for rl-03-1, REINFORCE with a baseline on CartPole.

References: reward-to-go as an explicit discounted sum; the loss and its gradient in closed form;
the policy gradient theorem made exact on a tiny random MDP (a tabular softmax policy, J(theta)
from a linear solve, its gradient from torch.autograd): the average of your per-episode gradient
estimates over sampled episodes must match it (unbiasedness, with or without a baseline), and a
state-value baseline must shrink the estimator's variance (measured); and a short training run on
gymnasium's CartPole, whose returns must improve; and train_reinforce's parameters after a few
episodes against the docstring's recipe replayed (in float64) on the episodes your run produced, as a
wrapper around the environment recorded them.
"""
import gymnasium as gym
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import arrays, seeds
from grader.testing import assert_close, assert_dtype, assert_seeded, call_unmodified, describe_call


def explicit_returns(rewards: np.ndarray, gamma: float) -> np.ndarray:
    rewards = np.asarray(rewards, dtype=np.float64)
    T = len(rewards)
    return np.array([sum(gamma ** (k - t) * rewards[k] for k in range(t, T)) for t in range(T)])


@given(rewards=arrays(st.integers(1, 12), -3.0, 3.0), gamma=st.sampled_from([0.0, 1.0, 0.99]) | st.floats(0, 1))
@example(rewards=np.array([1.0, 1.0, 1.0]), gamma=0.5)
@example(rewards=np.array([0.1, 0.7, 0.3, 1.3, 0.9, 2.1, 0.2], dtype=np.float32), gamma=0.99)  # summed in float64
def test_discounted_returns(kata, rewards, gamma):
    call = describe_call("discounted_returns", rewards, gamma)
    got = call_unmodified(kata.discounted_returns, rewards, gamma, fn_name="discounted_returns")
    assert_dtype(got, np.float64, call=call)
    # <= 12 float64 terms of size <= 3: 1e-12.
    assert_close(got, explicit_returns(rewards, gamma), rtol=0, atol=1e-12,
                 name="reward-to-go G_t = sum_k>=t gamma^(k-t) r_k", call=call)


@given(gamma=st.sampled_from([-0.1, 1.5]))
def test_discounted_returns_rejects_gamma(kata, gamma):
    with pytest.raises(ValueError):
        kata.discounted_returns(np.ones(3), gamma)


@given(T=st.integers(1, 10), gamma=st.sampled_from([1.0, 0.9]) | st.floats(0, 1), seed=seeds(),
       dtype=st.sampled_from([torch.float64, torch.float32]))
@example(T=4, gamma=0.9, seed=0, dtype=torch.float32)
def test_loss_value_and_gradient(kata, T, gamma, seed, dtype):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(T, 3, generator=g, dtype=torch.float64)
    log_probs = torch.log_softmax(logits, -1)[:, 0].to(dtype).detach().requires_grad_(True)
    returns = torch.randn(T, generator=g, dtype=torch.float64) * 5
    baselines = (torch.randn(T, generator=g, dtype=torch.float64) * 5).requires_grad_(True)
    call = describe_call("reinforce_loss", log_probs, returns, baselines, gamma)
    loss = call_unmodified(kata.reinforce_loss, log_probs, returns, baselines, gamma, fn_name="reinforce_loss")
    disc = gamma ** np.arange(T)
    adv = returns.numpy() - baselines.detach().numpy()
    assert loss.dim() == 0, f"{call} returned shape {tuple(loss.shape)}, expected a scalar"
    assert_dtype(loss, dtype, name="loss (log_probs' dtype)", call=call)
    # float64: 1e-10; float32 log-probabilities: the sum of <= 10 terms of size <= ~100 in float32, 1e-4.
    tol = 1e-10 if dtype == torch.float64 else 1e-4
    assert_close(loss, -(disc * adv * log_probs.detach().double().numpy()).sum(), rtol=tol, atol=tol,
                 name="loss -sum_t gamma^t (G_t - b_t) log pi(a_t|s_t)", call=call)
    loss.backward()
    assert_close(log_probs.grad, -disc * adv, rtol=tol, atol=tol,
                 name="d loss / d log_probs (= -gamma^t (G_t - b_t))", call=call)
    assert baselines.grad is None or torch.all(baselines.grad == 0), (
        f"{call}: gradient reached the baselines; the advantage must be detached (the baseline is trained separately)")


def test_loss_rejects_mismatched_lengths(kata):
    with pytest.raises(ValueError):
        kata.reinforce_loss(torch.zeros(3), torch.zeros(3), torch.zeros(2), 0.9)


def tiny_mdp(seed: int, n_s: int, n_a: int) -> dict:
    rng = np.random.default_rng(seed)
    return {"P": rng.dirichlet(np.ones(n_s), size=(n_s, n_a)), "R": rng.uniform(1.0, 3.0, size=(n_s, n_a)),
            "term": rng.uniform(0.3, 0.6, size=(n_s, n_a)), "rho": rng.dirichlet(np.ones(n_s)),
            "theta": rng.normal(0, 1, size=(n_s, n_a))}


def exact_gradient(m: dict, gamma: float) -> tuple[np.ndarray, np.ndarray]:
    """grad J(theta) by autograd through the exact J = rho . (I - gamma P_pi)^-1 r_pi; also V^pi."""
    theta = torch.tensor(m["theta"], requires_grad=True)
    pi = torch.softmax(theta, -1)
    P = torch.tensor(m["P"]) * (1 - torch.tensor(m["term"]))[..., None]
    P_pi, r_pi = torch.einsum("sa,sat->st", pi, P), (pi * torch.tensor(m["R"])).sum(-1)
    V = torch.linalg.solve(torch.eye(len(r_pi), dtype=torch.float64) - gamma * P_pi, r_pi)
    J = torch.tensor(m["rho"]) @ V
    (grad,) = torch.autograd.grad(J, theta)
    return grad.numpy(), V.detach().numpy()


def sample_episode(m: dict, rng: np.random.Generator) -> tuple[list[int], list[int], list[float]]:
    pi = np.exp(m["theta"]) / np.exp(m["theta"]).sum(-1, keepdims=True)
    s = int(rng.choice(len(m["rho"]), p=m["rho"]))
    states, actions, rewards = [], [], []
    for _ in range(60):
        a = int(rng.choice(pi.shape[1], p=pi[s]))
        states.append(s)
        actions.append(a)
        rewards.append(float(m["R"][s, a]))
        if rng.random() < m["term"][s, a]:
            break
        s = int(rng.choice(len(m["rho"]), p=m["P"][s, a]))
    return states, actions, rewards


def batch_gradients(kata, m: dict, gamma: float, baseline: str, seed: int, n_batches: int = 20,
                    per_batch: int = 100) -> np.ndarray:
    """Average of your per-episode gradient estimates -grad(loss), in n_batches batches."""
    _, V = exact_gradient(m, gamma)
    rng = np.random.default_rng(seed)
    theta = torch.tensor(m["theta"], requires_grad=True)
    out = []
    for _ in range(n_batches):
        total = 0.0
        for _ in range(per_batch):
            states, actions, rewards = sample_episode(m, rng)
            G = torch.as_tensor(kata.discounted_returns(np.array(rewards), gamma))
            b = {"zero": np.zeros(len(states)), "constant": np.full(len(states), 4.0), "value": V[states]}[baseline]
            log_probs = torch.log_softmax(theta, -1)[states, actions]
            total = total + kata.reinforce_loss(log_probs, G, torch.as_tensor(b), gamma)
        (grad,) = torch.autograd.grad(total / per_batch, theta)
        out.append(-grad.numpy())
    return np.array(out)


@settings(max_examples=3)
@given(seed=seeds(), n_s=st.integers(1, 3), gamma=st.sampled_from([0.9, 0.7, 1.0]),
       baseline=st.sampled_from(["zero", "constant", "value"]))
@example(seed=0, n_s=2, gamma=0.8, baseline="constant")
def test_gradient_estimate_is_unbiased(kata, seed, n_s, gamma, baseline):
    m = tiny_mdp(seed, n_s, 2)
    want, _ = exact_gradient(m, gamma)
    grads = batch_gradients(kata, m, gamma, baseline, seed)
    mean, se = grads.mean(0), grads.std(0, ddof=1) / np.sqrt(len(grads))
    bad = np.abs(mean - want) > 5 * se + 1e-3
    assert not bad.any(), (
        f"REINFORCE on a tiny MDP ({n_s} states, 2 actions, gamma={gamma}, {baseline} baseline), 2000 episodes: "
        f"mean of -grad(reinforce_loss) = {np.round(mean, 3).tolist()}, exact policy gradient "
        f"{np.round(want, 3).tolist()}, standard error {np.round(se, 3).tolist()}.\n  A biased estimator: is "
        "the gamma^t factor missing, or the return not the reward-to-go from t?")


@settings(max_examples=1)
@given(seed=seeds(), n_s=st.integers(1, 3))
@example(seed=0, n_s=2)
def test_value_baseline_reduces_variance(kata, seed, n_s):
    m = tiny_mdp(seed, n_s, 2)
    var0 = batch_gradients(kata, m, 0.9, "zero", seed).var(0, ddof=1).sum()
    varv = batch_gradients(kata, m, 0.9, "value", seed).var(0, ddof=1).sum()
    assert varv < var0, (f"gradient-estimate variance with the V(s) baseline {varv:.4g} is not below the variance "
                         f"without a baseline {var0:.4g} (rewards are all positive, so it should be far lower)")


@settings(max_examples=1)
@given(seed=seeds())
def test_same_seed_same_run(kata, seed):
    assert_seeded(lambda s: kata.train_reinforce(gym.make("CartPole-v1"), 3, s)[1], seed,
                  name="episode returns of train_reinforce")


@pytest.mark.slow
@settings(max_examples=1)
@given(seed=seeds(), baseline=st.booleans())
@example(seed=0, baseline=True)
def test_learns_cartpole(kata, seed, baseline):
    """Mean return over the last 20 of 150 episodes is at least 1.5 times that of the first 20 (a correct
    implementation typically goes from about 20 to 100-400)."""
    policy, returns = kata.train_reinforce(gym.make("CartPole-v1"), 150, seed, baseline=baseline)
    first, last = np.mean(returns[:20]), np.mean(returns[-20:])
    assert len(returns) == 150, f"train_reinforce returned {len(returns)} episode returns, expected 150"
    assert last > 1.5 * first, (f"train_reinforce(CartPole-v1, 150 episodes, seed={seed}, baseline={baseline}): mean "
                              f"return {first:.1f} over the first 20 episodes, {last:.1f} over the last 20; expected "
                              "at least 1.5 times as much")


class Recorder(gym.Wrapper):
    """Passes everything through to the environment and records each episode it sees."""

    def __init__(self, env: gym.Env):
        super().__init__(env)
        self.reset_seeds: list = []
        self.episodes: list[tuple[list[np.ndarray], list[int], list[float]]] = []

    def reset(self, **kwargs):
        obs, info = self.env.reset(**kwargs)
        self.reset_seeds.append(kwargs.get("seed"))
        self.episodes.append(([], [], []))
        self._obs = obs
        return obs, info

    def step(self, action):
        states, actions, rewards = self.episodes[-1]
        states.append(np.array(self._obs, dtype=np.float32, copy=True))
        actions.append(int(action))
        obs, r, terminated, truncated, info = self.env.step(action)
        rewards.append(float(r))
        self._obs = obs
        return obs, r, terminated, truncated, info


def replay_reinforce(kata, episodes: list, seed: int, gamma: float, lr: float, baseline: bool) -> nn.Module:
    """The docstring's recipe, in float64, on recorded episodes: the policy it must end with."""
    torch.manual_seed(seed)
    policy, value = kata.make_policy(4, 2).double(), kata.make_value(4).double()
    opt_pi, opt_v = torch.optim.Adam(policy.parameters(), lr=lr), torch.optim.Adam(value.parameters(), lr=lr)
    for states, actions, rewards in episodes:
        T = len(actions)
        s = torch.tensor(np.array(states), dtype=torch.float64)
        G = torch.tensor(explicit_returns(np.array(rewards), gamma))
        log_probs = torch.log_softmax(policy(s), -1)[torch.arange(T), torch.tensor(actions)]
        b = torch.zeros(T, dtype=torch.float64)
        if baseline:
            v = value(s).squeeze(-1)
            opt_v.zero_grad()
            ((v - G) ** 2).mean().backward()
            opt_v.step()
            b = v.detach()
        opt_pi.zero_grad()
        (-(gamma ** torch.arange(T, dtype=torch.float64) * (G - b) * log_probs).sum()).backward()
        opt_pi.step()
    return policy


@settings(max_examples=2)
@given(seed=seeds(), gamma=st.sampled_from([0.99, 0.9, 1.0]), lr=st.sampled_from([1e-3, 5e-3, 3e-2]),
       baseline=st.booleans())
@example(seed=0, gamma=0.99, lr=3e-2, baseline=True)
@example(seed=1, gamma=0.9, lr=1e-3, baseline=False)
def test_train_reinforce_matches_recipe(kata, seed, gamma, lr, baseline):
    """12 episodes of CartPole through a recording wrapper; the policy must be the one the docstring's
    recipe gives on those very episodes (whatever actions your sampler chose)."""
    env = Recorder(gym.make("CartPole-v1"))
    policy, history = kata.train_reinforce(env, 12, seed, gamma=gamma, lr=lr, baseline=baseline)
    run = f"train_reinforce(CartPole-v1, 12, seed={seed}, gamma={gamma}, lr={lr}, baseline={baseline})"
    episodes = [e for e in env.episodes if e[1]]
    assert len(episodes) == 12, f"{run} played {len(episodes)} episodes, expected 12"
    assert env.reset_seeds[0] == seed and all(s is None for s in env.reset_seeds[1:]), (
        f"{run} reset the environment with seeds {env.reset_seeds}: expected {seed} first, then no seed")
    assert_close(history, [sum(r) for _, _, r in episodes], rtol=0, atol=1e-9,
                 name="list of undiscounted episode returns", call=run)
    want = replay_reinforce(kata, episodes, seed, gamma, lr, baseline)
    # Each Adam step moves a parameter by about lr; a float32 run drifts from the float64 replay by about
    # 1e-4 * lr over 12 steps (measured), while a wrong lr, gamma, baseline or value loss moves it by >= 1e-2 * lr.
    for (name, got), ref in zip(policy.named_parameters(), want.parameters(), strict=True):
        assert_close(got, ref, rtol=0, atol=2e-3 * lr, call=run,
                     name=f"policy parameter {name} after 12 updates (vs the recipe replayed on your episodes: "
                          "Adam(lr), gamma^t (G_t - b_t), b_t = V(s_t) before the value step, or b_t = 0 without "
                          "a baseline)")

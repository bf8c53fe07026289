"""Reference solution for rl-03-1."""
from __future__ import annotations

import gymnasium as gym
import numpy as np
import torch
from torch import nn


def make_policy(obs_dim: int, n_actions: int, hidden: int = 32) -> nn.Module:
    """A small MLP that maps observations to action logits (given)."""
    return nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(), nn.Linear(hidden, n_actions))


def make_value(obs_dim: int, hidden: int = 32) -> nn.Module:
    """A small MLP state-value baseline V(s) (given); squeeze its (B, 1) output."""
    return nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(), nn.Linear(hidden, 1))


def discounted_returns(rewards: np.ndarray, gamma: float) -> np.ndarray:
    if not 0.0 <= gamma <= 1.0:
        raise ValueError(f"gamma must be in [0, 1], got {gamma}")
    rewards = np.asarray(rewards, dtype=np.float64)
    out = np.empty(len(rewards))
    g = 0.0
    for t in reversed(range(len(rewards))):
        g = rewards[t] + gamma * g
        out[t] = g
    return out


def reinforce_loss(log_probs: torch.Tensor, returns: torch.Tensor, baselines: torch.Tensor,
                   gamma: float) -> torch.Tensor:
    if not (log_probs.shape == returns.shape == baselines.shape) or log_probs.dim() != 1:
        raise ValueError("log_probs, returns and baselines must be 1-D of the same length")
    T = log_probs.shape[0]
    discount = gamma ** torch.arange(T, dtype=log_probs.dtype)
    advantage = (returns - baselines).detach().to(log_probs.dtype)
    return -(discount * advantage * log_probs).sum()


def train_reinforce(env: gym.Env, episodes: int, seed: int, gamma: float = 0.99, lr: float = 5e-3,
                    baseline: bool = True) -> tuple[nn.Module, list[float]]:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    obs_dim, n_actions = env.observation_space.shape[0], env.action_space.n
    policy, value = make_policy(obs_dim, n_actions), make_value(obs_dim)
    opt_pi = torch.optim.Adam(policy.parameters(), lr=lr)
    opt_v = torch.optim.Adam(value.parameters(), lr=lr)
    history = []
    for episode in range(episodes):
        obs, _ = env.reset(seed=seed if episode == 0 else None)
        states, actions, rewards = [], [], []
        while True:
            with torch.no_grad():
                probs = torch.softmax(policy(torch.as_tensor(obs, dtype=torch.float32)), -1).double().numpy()
            a = int(rng.choice(n_actions, p=probs / probs.sum()))
            states.append(obs)
            actions.append(a)
            obs, r, terminated, truncated, _ = env.step(a)
            rewards.append(float(r))
            if terminated or truncated:
                break
        history.append(float(sum(rewards)))
        s = torch.as_tensor(np.array(states), dtype=torch.float32)
        G = torch.as_tensor(discounted_returns(np.array(rewards), gamma), dtype=torch.float32)
        log_probs = torch.log_softmax(policy(s), -1)[torch.arange(len(actions)), torch.as_tensor(actions)]
        if baseline:
            v = value(s).squeeze(-1)
            opt_v.zero_grad()
            ((v - G) ** 2).mean().backward()
            opt_v.step()
            b = v.detach()
        else:
            b = torch.zeros_like(G)
        opt_pi.zero_grad()
        reinforce_loss(log_probs, G, b, gamma).backward()
        opt_pi.step()
    return policy, history

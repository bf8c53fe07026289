"""rl-03-1: REINFORCE with a baseline on CartPole. Edit this file; `grader check rl-03-1` tests it."""
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
    """Reward-to-go of one episode: G_t = sum_{k >= t} gamma^(k - t) r_k.

    rewards (a list or an array of any real dtype, float32 included) is not modified; the sums are
    accumulated in float64.

    Raises:
        ValueError: gamma outside [0, 1].

    Shapes:
        rewards: (T,)
        returns: (T,) float64
    """
    raise NotImplementedError("discounted_returns: accumulate backwards, g = r_t + gamma * g")


def reinforce_loss(log_probs: torch.Tensor, returns: torch.Tensor, baselines: torch.Tensor,
                   gamma: float) -> torch.Tensor:
    """The REINFORCE-with-baseline surrogate loss of one episode:

        loss = - sum_t gamma^t * (G_t - b_t) * log pi(a_t | s_t)

    so that -grad(loss) is an unbiased estimate of the policy gradient grad J(theta) for the
    discounted objective J = E[G_0]. The advantage (G_t - b_t) is treated as a constant: no gradient
    reaches `returns` or `baselines`. Inputs are not modified.

    Raises:
        ValueError: the three inputs are not 1-D of the same length.

    Shapes:
        log_probs, returns, baselines: (T,)
        loss: a scalar tensor of log_probs' dtype (returns and baselines may be float64 while
            log_probs is float32)
    """
    raise NotImplementedError("reinforce_loss: -sum gamma^t * detached advantage * log-probability")


def train_reinforce(env: gym.Env, episodes: int, seed: int, gamma: float = 0.99, lr: float = 5e-3,
                    baseline: bool = True) -> tuple[nn.Module, list[float]]:
    """Train a policy on `env` with REINFORCE, one update per episode; return it and each episode's return.

    `env` has a 1-D float32 Box observation space and Discrete actions (CartPole-v1 in the tests).
    Seed everything from `seed`: torch.manual_seed(seed), then policy = make_policy(obs_dim, n_actions)
    and then value = make_value(obs_dim) (default hidden sizes), np.random.default_rng(seed) for
    sampling actions from softmax(policy(obs)), env.reset(seed=seed) for the first episode (plain
    env.reset() after). After each episode: G = discounted_returns (in float32 for the nets is fine);
    with baseline=True take one Adam(lr) step of the value net on mean_t (V(s_t) - G_t)^2 and use
    b_t = V(s_t) from the value net as it was before that step; with baseline=False, b_t = 0; then one
    Adam(lr) step of the policy on reinforce_loss. Both optimisers are torch.optim.Adam with default
    betas and eps, created once before the first episode. The returned list holds each episode's
    undiscounted return. Same seed, same run.
    """
    raise NotImplementedError("train_reinforce: roll out an episode, compute returns, step the optimisers")

"""rl-04-1: learned dynamics model plus MPC (random shooting / CEM) on Pendulum. Edit this file; `grader check rl-04-1` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn


class DynamicsModel(nn.Module):
    """Predicts the next observation as obs + MLP(obs, action) (given)."""

    def __init__(self, obs_dim: int, act_dim: int, hidden: int = 64) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim + act_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, obs_dim))

    def forward(self, obs: torch.Tensor, action: torch.Tensor) -> torch.Tensor:
        return obs + self.net(torch.cat([obs, action], dim=-1))


def pendulum_cost(obs: torch.Tensor, action: torch.Tensor) -> torch.Tensor:
    """Pendulum-v1's negated reward from an observation (cos th, sin th, th_dot) and action (given)."""
    th = torch.atan2(obs[..., 1], obs[..., 0])
    return th**2 + 0.1 * obs[..., 2] ** 2 + 0.001 * action[..., 0] ** 2


def fit_dynamics(obs: np.ndarray, actions: np.ndarray, next_obs: np.ndarray, seed: int, epochs: int = 300,
                 lr: float = 1e-2) -> DynamicsModel:
    """Fit a DynamicsModel to transitions by full-batch Adam(lr) on the mean squared error of the
    predicted next observation, for `epochs` steps. torch.manual_seed(seed) before building the model
    (same seed, same model). Inputs are not modified.

    Shapes:
        obs, next_obs: (N, obs_dim); actions: (N, act_dim); float32 or float64 (train in float32)
    """
    raise NotImplementedError("fit_dynamics: regress next_obs on (obs, action)")


def rollout_costs(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
                  action_seqs: np.ndarray, cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> np.ndarray:
    """Total predicted cost of each candidate action sequence from `obs`:
        s_0 = obs;  cost_i = sum_t cost_fn(s_t, a_i,t);  s_t+1 = model(s_t, a_i,t)
    all candidates in one batch (float32 tensors into model and cost_fn), without gradient.
    Inputs are not modified.

    Shapes:
        obs: (obs_dim,); action_seqs: (n_candidates, horizon, act_dim)
        returns: (n_candidates,) float64
    """
    raise NotImplementedError("rollout_costs: simulate every candidate with the model and sum the costs")


def random_shooting(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
                    cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], horizon: int, n_candidates: int,
                    rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Random-shooting MPC: draw candidates = rng.uniform(low, high, size=(n_candidates, horizon, act_dim))
    (one call), score them with rollout_costs, return the first action of the cheapest.

    Shapes:
        low, high: (act_dim,); returns: (act_dim,)
    """
    raise NotImplementedError("random_shooting: sample sequences, keep the best one's first action")


def cem_plan(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
             cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], horizon: int, n_candidates: int,
             n_elites: int, iters: int, rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Cross-entropy-method MPC. Start from mean = (low + high) / 2 and std = (high - low) / 2 for every
    (t, action dim). Each of `iters` iterations: candidates = clip(mean + std * rng.standard_normal(
    (n_candidates, horizon, act_dim)), low, high); score with rollout_costs; elites = the n_elites
    cheapest (ties: the earlier candidate, a stable sort); mean, std = elites.mean(0), elites.std(0).
    Return mean[0]. iters >= 1.

    Raises:
        ValueError: n_elites not in [1, n_candidates].

    Shapes:
        returns: (act_dim,)
    """
    raise NotImplementedError("cem_plan: sample, pick elites, refit a Gaussian, repeat")

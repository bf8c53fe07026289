"""Reference solution for rl-04-1."""
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
    torch.manual_seed(seed)
    model = DynamicsModel(obs.shape[1], actions.shape[1])
    o, a, n = (torch.as_tensor(x, dtype=torch.float32) for x in (obs, actions, next_obs))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = ((model(o, a) - n) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def rollout_costs(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
                  action_seqs: np.ndarray, cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> np.ndarray:
    n, horizon, _ = action_seqs.shape
    with torch.no_grad():
        state = torch.as_tensor(obs, dtype=torch.float32).expand(n, -1)
        acts = torch.as_tensor(action_seqs, dtype=torch.float32)
        total = torch.zeros(n, dtype=torch.float64)
        for t in range(horizon):
            total += cost_fn(state, acts[:, t]).double()
            state = model(state, acts[:, t])
    return total.numpy()


def random_shooting(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
                    cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], horizon: int, n_candidates: int,
                    rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    seqs = rng.uniform(low, high, size=(n_candidates, horizon, len(low)))
    costs = rollout_costs(model, obs, seqs, cost_fn)
    return seqs[int(np.argmin(costs)), 0]


def cem_plan(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
             cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], horizon: int, n_candidates: int,
             n_elites: int, iters: int, rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    if not 1 <= n_elites <= n_candidates:
        raise ValueError(f"need 1 <= n_elites <= n_candidates, got {n_elites}, {n_candidates}")
    low, high = np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
    mean = np.broadcast_to((low + high) / 2, (horizon, len(low))).copy()
    std = np.broadcast_to((high - low) / 2, (horizon, len(low))).copy()
    for _ in range(iters):
        seqs = np.clip(mean + std * rng.standard_normal((n_candidates, horizon, len(low))), low, high)
        costs = rollout_costs(model, obs, seqs, cost_fn)
        elites = seqs[np.argsort(costs, kind="stable")[:n_elites]]
        mean, std = elites.mean(axis=0), elites.std(axis=0)
    return mean[0]

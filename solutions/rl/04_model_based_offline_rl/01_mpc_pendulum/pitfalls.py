"""Plausible wrong model-based planning pieces that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from mpc import DynamicsModel, rollout_costs


@pitfall(replaces="rollout_costs", why="charges the cost of the predicted next state instead of the current one")
def cost_after_step(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
                    action_seqs: np.ndarray, cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> np.ndarray:
    n, horizon, _ = action_seqs.shape
    with torch.no_grad():
        state = torch.as_tensor(obs, dtype=torch.float32).expand(n, -1)
        acts = torch.as_tensor(action_seqs, dtype=torch.float32)
        total = torch.zeros(n, dtype=torch.float64)
        for t in range(horizon):
            state = model(state, acts[:, t])
            total += cost_fn(state, acts[:, t]).double()
    return total.numpy()


@pitfall(replaces="rollout_costs", why="never advances the state: every step is costed from the start observation")
def frozen_state(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
                 action_seqs: np.ndarray, cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> np.ndarray:
    n, horizon, _ = action_seqs.shape
    with torch.no_grad():
        state = torch.as_tensor(obs, dtype=torch.float32).expand(n, -1)
        acts = torch.as_tensor(action_seqs, dtype=torch.float32)
        total = torch.zeros(n, dtype=torch.float64)
        for t in range(horizon):
            total += cost_fn(state, acts[:, t]).double()
    return total.numpy()


@pitfall(replaces="random_shooting", why="executes the best candidate's LAST action instead of its first")
def last_action(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
                cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], horizon: int, n_candidates: int,
                rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    seqs = rng.uniform(low, high, size=(n_candidates, horizon, len(low)))
    return seqs[int(np.argmin(rollout_costs(model, obs, seqs, cost_fn))), -1]


@pitfall(replaces="random_shooting", why="argmax of the cost (picks the worst plan)")
def argmax_cost(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
                cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], horizon: int, n_candidates: int,
                rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    seqs = rng.uniform(low, high, size=(n_candidates, horizon, len(low)))
    return seqs[int(np.argmax(rollout_costs(model, obs, seqs, cost_fn))), 0]


@pitfall(replaces="cem_plan", why="refits to the highest-cost samples instead of the lowest")
def worst_elites(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
                 cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], horizon: int, n_candidates: int,
                 n_elites: int, iters: int, rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    if not 1 <= n_elites <= n_candidates:
        raise ValueError("n_elites")
    low, high = np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
    mean = np.broadcast_to((low + high) / 2, (horizon, len(low))).copy()
    std = np.broadcast_to((high - low) / 2, (horizon, len(low))).copy()
    for _ in range(iters):
        seqs = np.clip(mean + std * rng.standard_normal((n_candidates, horizon, len(low))), low, high)
        elites = seqs[np.argsort(-rollout_costs(model, obs, seqs, cost_fn), kind="stable")[:n_elites]]
        mean, std = elites.mean(axis=0), elites.std(axis=0)
    return mean[0]


@pitfall(replaces="cem_plan", why="keeps the initial spread (updates the mean only)")
def fixed_std(model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], obs: np.ndarray,
              cost_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], horizon: int, n_candidates: int,
              n_elites: int, iters: int, rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    if not 1 <= n_elites <= n_candidates:
        raise ValueError("n_elites")
    low, high = np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
    mean = np.broadcast_to((low + high) / 2, (horizon, len(low))).copy()
    std = np.broadcast_to((high - low) / 2, (horizon, len(low))).copy()
    for _ in range(iters):
        seqs = np.clip(mean + std * rng.standard_normal((n_candidates, horizon, len(low))), low, high)
        mean = seqs[np.argsort(rollout_costs(model, obs, seqs, cost_fn), kind="stable")[:n_elites]].mean(axis=0)
    return mean[0]


@pitfall(replaces="fit_dynamics", why="regresses the next observation on the inputs with no training (zero epochs)")
def untrained(obs: np.ndarray, actions: np.ndarray, next_obs: np.ndarray, seed: int, epochs: int = 300,
              lr: float = 1e-2) -> torch.nn.Module:
    torch.manual_seed(seed)
    return DynamicsModel(obs.shape[1], actions.shape[1])

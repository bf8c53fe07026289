"""Plausible wrong REINFORCE pieces that the tests must reject."""
from __future__ import annotations

import numpy as np
import torch

from grader.pitfalls import pitfall


def _check(log_probs: torch.Tensor, returns: torch.Tensor, baselines: torch.Tensor) -> None:
    if not (log_probs.shape == returns.shape == baselines.shape) or log_probs.dim() != 1:
        raise ValueError("shapes")


@pitfall(replaces="discounted_returns", why="every step gets the whole episode's return G_0 (not the reward-to-go)")
def whole_episode_return(rewards: np.ndarray, gamma: float) -> np.ndarray:
    if not 0.0 <= gamma <= 1.0:
        raise ValueError("gamma")
    rewards = np.asarray(rewards, dtype=np.float64)
    g0 = sum(gamma**k * r for k, r in enumerate(rewards))
    return np.full(len(rewards), float(g0))


@pitfall(replaces="discounted_returns", why="accumulates forwards: G_t = r_t + gamma * G_(t-1)")
def forward_accumulation(rewards: np.ndarray, gamma: float) -> np.ndarray:
    if not 0.0 <= gamma <= 1.0:
        raise ValueError("gamma")
    out, g = [], 0.0
    for r in np.asarray(rewards, dtype=np.float64):
        g = r + gamma * g
        out.append(g)
    return np.array(out)


@pitfall(replaces="reinforce_loss", why="drops the gamma^t factor: not the gradient of the discounted objective")
def no_gamma_t(log_probs: torch.Tensor, returns: torch.Tensor, baselines: torch.Tensor, gamma: float) -> torch.Tensor:
    _check(log_probs, returns, baselines)
    return -((returns - baselines).detach().to(log_probs.dtype) * log_probs).sum()


@pitfall(replaces="reinforce_loss", why="sign flipped: gradient descent on this loss lowers the return")
def sign_flipped(log_probs: torch.Tensor, returns: torch.Tensor, baselines: torch.Tensor, gamma: float) -> torch.Tensor:
    _check(log_probs, returns, baselines)
    disc = gamma ** torch.arange(log_probs.shape[0], dtype=log_probs.dtype)
    return (disc * (returns - baselines).detach().to(log_probs.dtype) * log_probs).sum()


@pitfall(replaces="reinforce_loss", why="the baseline is not detached: the policy loss trains the baseline")
def baseline_not_detached(log_probs: torch.Tensor, returns: torch.Tensor, baselines: torch.Tensor,
                          gamma: float) -> torch.Tensor:
    _check(log_probs, returns, baselines)
    disc = gamma ** torch.arange(log_probs.shape[0], dtype=log_probs.dtype)
    return -(disc * (returns - baselines).to(log_probs.dtype) * log_probs).sum()


@pitfall(replaces="reinforce_loss", why="averages over time steps instead of summing: the estimate shrinks by 1/T")
def mean_over_time(log_probs: torch.Tensor, returns: torch.Tensor, baselines: torch.Tensor,
                   gamma: float) -> torch.Tensor:
    _check(log_probs, returns, baselines)
    disc = gamma ** torch.arange(log_probs.shape[0], dtype=log_probs.dtype)
    return -(disc * (returns - baselines).detach().to(log_probs.dtype) * log_probs).mean()

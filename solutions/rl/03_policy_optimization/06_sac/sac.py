"""Reference solution for rl-03-6."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def squashed_gaussian(mean: torch.Tensor, log_std: torch.Tensor, eps: torch.Tensor, action_scale: float = 1.0,
                      action_bias: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    if mean.shape != log_std.shape or mean.shape != eps.shape or mean.dim() != 2:
        raise ValueError("mean, log_std and eps must share a shape (B, action_dim)")
    if action_scale <= 0:
        raise ValueError(f"action_scale must be positive, got {action_scale}")
    std = log_std.exp()
    u = mean + std * eps
    action = torch.tanh(u) * action_scale + action_bias
    gauss = -0.5 * eps**2 - log_std - 0.5 * math.log(2 * math.pi)
    log_det = 2 * (math.log(2) - u - F.softplus(-2 * u)) + math.log(action_scale)
    return action, (gauss - log_det).sum(dim=-1)


def soft_q_target(rewards: torch.Tensor, terminated: torch.Tensor, next_q1: torch.Tensor, next_q2: torch.Tensor,
                  next_log_prob: torch.Tensor, alpha: float, gamma: float) -> torch.Tensor:
    soft_v = torch.min(next_q1, next_q2) - alpha * next_log_prob
    return rewards + gamma * (1.0 - terminated.to(rewards.dtype)) * soft_v


def temperature_loss(log_alpha: torch.Tensor, log_prob: torch.Tensor, target_entropy: float) -> torch.Tensor:
    return -(log_alpha * (log_prob + target_entropy).detach()).mean()

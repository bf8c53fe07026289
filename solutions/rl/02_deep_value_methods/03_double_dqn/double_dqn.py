"""Reference solution for rl-02-3."""
from __future__ import annotations

import torch
from torch import nn


def dqn_targets(rewards: torch.Tensor, next_q_target: torch.Tensor, terminated: torch.Tensor,
                gamma: float) -> torch.Tensor:
    """Plain DQN targets r + gamma * (1 - terminated) * max_a Q_target(s', a) (given, for comparison)."""
    not_done = 1.0 - terminated.to(next_q_target.dtype)
    return rewards.to(next_q_target.dtype) + gamma * not_done * next_q_target.max(dim=1).values


def double_dqn_targets(rewards: torch.Tensor, next_q_online: torch.Tensor, next_q_target: torch.Tensor,
                       terminated: torch.Tensor, gamma: float) -> torch.Tensor:
    if next_q_online.shape != next_q_target.shape:
        raise ValueError(f"online and target Q-values differ in shape: {next_q_online.shape} vs {next_q_target.shape}")
    best = next_q_online.argmax(dim=1, keepdim=True)
    value = next_q_target.gather(1, best).squeeze(1)
    not_done = 1.0 - terminated.to(next_q_target.dtype)
    return rewards.to(next_q_target.dtype) + gamma * not_done * value


def double_dqn_batch_targets(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor],
                             gamma: float) -> torch.Tensor:
    with torch.no_grad():
        return double_dqn_targets(batch["rewards"], q_net(batch["next_obs"]), target_net(batch["next_obs"]),
                                  batch["terminated"], gamma)

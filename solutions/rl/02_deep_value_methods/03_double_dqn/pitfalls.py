"""Plausible wrong Double-DQN targets that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from double_dqn import double_dqn_targets


def _check(a: torch.Tensor, b: torch.Tensor) -> None:
    if a.shape != b.shape:
        raise ValueError("shapes")


@pitfall(replaces="double_dqn_targets", why="selects AND evaluates with the target network: plain DQN")
def plain_dqn(rewards: torch.Tensor, next_q_online: torch.Tensor, next_q_target: torch.Tensor,
              terminated: torch.Tensor, gamma: float) -> torch.Tensor:
    _check(next_q_online, next_q_target)
    not_done = 1.0 - terminated.to(next_q_target.dtype)
    return rewards.to(next_q_target.dtype) + gamma * not_done * next_q_target.max(dim=1).values


@pitfall(replaces="double_dqn_targets", why="roles swapped: argmax of the target network, value from the online network")
def swapped_roles(rewards: torch.Tensor, next_q_online: torch.Tensor, next_q_target: torch.Tensor,
                  terminated: torch.Tensor, gamma: float) -> torch.Tensor:
    _check(next_q_online, next_q_target)
    best = next_q_target.argmax(dim=1, keepdim=True)
    not_done = 1.0 - terminated.to(next_q_target.dtype)
    return rewards.to(next_q_target.dtype) + gamma * not_done * next_q_online.gather(1, best).squeeze(1).to(
        next_q_target.dtype)


@pitfall(replaces="double_dqn_targets", why="evaluates the online argmax with the online network (no decoupling)")
def online_only(rewards: torch.Tensor, next_q_online: torch.Tensor, next_q_target: torch.Tensor,
                terminated: torch.Tensor, gamma: float) -> torch.Tensor:
    _check(next_q_online, next_q_target)
    not_done = 1.0 - terminated.to(next_q_target.dtype)
    return rewards.to(next_q_target.dtype) + gamma * not_done * next_q_online.max(dim=1).values.to(next_q_target.dtype)


@pitfall(replaces="double_dqn_targets", why="ignores `terminated`: bootstraps past the end of the episode")
def no_terminal_mask(rewards: torch.Tensor, next_q_online: torch.Tensor, next_q_target: torch.Tensor,
                     terminated: torch.Tensor, gamma: float) -> torch.Tensor:
    _check(next_q_online, next_q_target)
    best = next_q_online.argmax(dim=1, keepdim=True)
    return rewards.to(next_q_target.dtype) + gamma * next_q_target.gather(1, best).squeeze(1)


@pitfall(replaces="double_dqn_targets", why="breaks ties by the LAST maximal action instead of the first")
def last_tie(rewards: torch.Tensor, next_q_online: torch.Tensor, next_q_target: torch.Tensor,
             terminated: torch.Tensor, gamma: float) -> torch.Tensor:
    _check(next_q_online, next_q_target)
    n = next_q_online.shape[1]
    best = (n - 1 - next_q_online.flip(1).argmax(dim=1, keepdim=True))
    not_done = 1.0 - terminated.to(next_q_target.dtype)
    return rewards.to(next_q_target.dtype) + gamma * not_done * next_q_target.gather(1, best).squeeze(1)


@pitfall(replaces="double_dqn_batch_targets", why="computes the targets with autograd on: they carry a gradient")
def targets_with_grad(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor],
                      gamma: float) -> torch.Tensor:
    return double_dqn_targets(batch["rewards"], q_net(batch["next_obs"]), target_net(batch["next_obs"]),
                              batch["terminated"], gamma)


@pitfall(replaces="double_dqn_batch_targets", why="feeds the current observations (obs) instead of next_obs")
def uses_obs(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor], gamma: float) -> torch.Tensor:
    with torch.no_grad():
        return double_dqn_targets(batch["rewards"], q_net(batch["obs"]), target_net(batch["obs"]),
                                  batch["terminated"], gamma)

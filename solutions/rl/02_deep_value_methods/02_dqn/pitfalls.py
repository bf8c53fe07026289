"""Plausible wrong DQN pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dqn import dqn_targets, huber_loss


@pitfall(replaces="huber_loss", why="squared error everywhere (MSE): no linear tails, so outliers dominate")
def mse(pred: torch.Tensor, target: torch.Tensor, delta: float = 1.0) -> torch.Tensor:
    if delta <= 0:
        raise ValueError("delta")
    return (0.5 * (pred - target) ** 2).mean()


@pitfall(replaces="huber_loss", why="linear branch delta*|e| without the -delta/2 offset: the loss jumps at |e| = delta")
def discontinuous(pred: torch.Tensor, target: torch.Tensor, delta: float = 1.0) -> torch.Tensor:
    if delta <= 0:
        raise ValueError("delta")
    err = (pred - target).abs()
    return torch.where(err <= delta, 0.5 * err**2, delta * err).mean()


@pitfall(replaces="dqn_targets", why="bootstraps from the next state even when the episode terminated")
def no_terminal_mask(rewards: torch.Tensor, next_q_target: torch.Tensor, terminated: torch.Tensor,
                     gamma: float) -> torch.Tensor:
    return rewards.to(next_q_target.dtype) + gamma * next_q_target.max(dim=1).values


@pitfall(replaces="dqn_targets", why="max over the batch axis instead of the action axis")
def max_over_batch(rewards: torch.Tensor, next_q_target: torch.Tensor, terminated: torch.Tensor,
                   gamma: float) -> torch.Tensor:
    not_done = 1.0 - terminated.to(next_q_target.dtype)
    m = next_q_target.max(dim=0).values
    m = m[: len(rewards)] if len(m) >= len(rewards) else m.max().expand(len(rewards))
    return rewards.to(next_q_target.dtype) + gamma * not_done * m


@pitfall(replaces="hard_update", why="points the target's parameters at the online tensors (shared storage, no copy)")
def shares_storage(target: nn.Module, online: nn.Module) -> None:
    for t, o in zip(target.parameters(), online.parameters(), strict=True):
        t.data = o.data


@pitfall(replaces="soft_update", why="Polyak weights swapped: tau * target + (1 - tau) * online")
def swapped_polyak(target: nn.Module, online: nn.Module, tau: float) -> None:
    if not 0.0 <= tau <= 1.0:
        raise ValueError("tau")
    with torch.no_grad():
        for t, o in zip(target.parameters(), online.parameters(), strict=True):
            t.mul_(tau).add_((1.0 - tau) * o)


@pitfall(replaces="dqn_loss", why="bootstraps from the online network instead of the target network")
def no_target_network(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor], gamma: float,
                      delta: float = 1.0) -> torch.Tensor:
    q = q_net(batch["obs"]).gather(1, batch["actions"].long().unsqueeze(1)).squeeze(1)
    with torch.no_grad():
        y = dqn_targets(batch["rewards"], q_net(batch["next_obs"]), batch["terminated"], gamma)
    return huber_loss(q, y, delta)


@pitfall(replaces="dqn_loss", why="the target is not detached: gradients flow into the target network")
def target_not_detached(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor], gamma: float,
                        delta: float = 1.0) -> torch.Tensor:
    q = q_net(batch["obs"]).gather(1, batch["actions"].long().unsqueeze(1)).squeeze(1)
    y = dqn_targets(batch["rewards"], target_net(batch["next_obs"]), batch["terminated"], gamma)
    return huber_loss(q, y, delta)


@pitfall(replaces="dqn_loss", why="regresses max_a Q(s, a) instead of Q(s, a_taken)")
def max_instead_of_gather(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor], gamma: float,
                          delta: float = 1.0) -> torch.Tensor:
    q = q_net(batch["obs"]).max(dim=1).values
    with torch.no_grad():
        y = dqn_targets(batch["rewards"], target_net(batch["next_obs"]), batch["terminated"], gamma)
    return huber_loss(q, y, delta)

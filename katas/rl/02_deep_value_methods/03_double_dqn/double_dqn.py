"""rl-02-3: Double-DQN targets. Edit this file; `grader check rl-02-3` tests it."""
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
    """Double-DQN targets: the online network chooses the next action, the target network values it.

        a* = argmax_a next_q_online[i, a]        (the first maximal action on ties)
        y  = r + gamma * (1 - terminated) * next_q_target[i, a*]

    `terminated` is bool or 0/1 float. Inputs are not modified; the result has next_q_target's dtype.

    Raises:
        ValueError: next_q_online and next_q_target differ in shape.

    Shapes:
        rewards: (B,); next_q_online, next_q_target: (B, n_actions); terminated: (B,)
        returns: (B,)
    """
    raise NotImplementedError("double_dqn_targets: argmax with the online values, evaluate with the target values")


def double_dqn_batch_targets(q_net: nn.Module, target_net: nn.Module, batch: dict[str, torch.Tensor],
                             gamma: float) -> torch.Tensor:
    """Double-DQN targets for a replay batch (keys rewards, next_obs, terminated, ...), without gradient.

    Runs both networks on batch["next_obs"]; the result does not require grad. Nothing is modified.

    Shapes:
        returns: (B,)
    """
    raise NotImplementedError("double_dqn_batch_targets: both networks on next_obs, under torch.no_grad()")

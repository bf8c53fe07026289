"""rl-03-6: SAC's tanh-squashed Gaussian log-probability and soft Bellman target. Edit this file; `grader check rl-03-6` tests it."""
from __future__ import annotations

import torch


def squashed_gaussian(mean: torch.Tensor, log_std: torch.Tensor, eps: torch.Tensor, action_scale: float = 1.0,
                      action_bias: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    """A reparameterised sample of SAC's squashed Gaussian policy and its log-probability.

        u      = mean + exp(log_std) * eps                      (eps ~ N(0, I), given)
        action = tanh(u) * action_scale + action_bias
        log pi = sum_i [ log N(u_i; mean_i, std_i) - log(action_scale * (1 - tanh(u_i)^2)) ]

    Exact even where tanh saturates (|u| of 10 or more): compute log(1 - tanh(u)^2) from u, not from
    the rounded action. Differentiable in mean and log_std. Inputs are not modified; results keep
    their dtype.

    Raises:
        ValueError: mean, log_std, eps not all (B, action_dim); action_scale <= 0.

    Shapes:
        mean, log_std, eps: (B, action_dim)
        returns: action (B, action_dim), log_prob (B,)
    """
    raise NotImplementedError("squashed_gaussian: reparameterise, squash, subtract the log-det of the squashing")


def soft_q_target(rewards: torch.Tensor, terminated: torch.Tensor, next_q1: torch.Tensor, next_q2: torch.Tensor,
                  next_log_prob: torch.Tensor, alpha: float, gamma: float) -> torch.Tensor:
    """The soft Bellman target with clipped double Q:

        y = r + gamma * (1 - terminated) * ( min(Q1(s', a'), Q2(s', a')) - alpha * log pi(a'|s') )

    with a' ~ pi(.|s') and its log-probability given. terminated is bool or 0/1 float. Inputs are not modified.

    Shapes:
        all inputs: (B,); returns: (B,)
    """
    raise NotImplementedError("soft_q_target: the min of the twin critics, minus alpha log pi, bootstrapped")


def temperature_loss(log_alpha: torch.Tensor, log_prob: torch.Tensor, target_entropy: float) -> torch.Tensor:
    """The automatic entropy-tuning loss: -mean( log_alpha * (log_prob + target_entropy) ), with
    log_prob detached (only log_alpha learns).

    Shapes:
        log_alpha: () ; log_prob: (B,); returns: a scalar tensor
    """
    raise NotImplementedError("temperature_loss: -mean(log_alpha * (log_prob + target_entropy).detach())")

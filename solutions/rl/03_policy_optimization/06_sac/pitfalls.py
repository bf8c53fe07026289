"""Plausible wrong SAC pieces that the tests must reject."""
from __future__ import annotations

import math

import torch

from grader.pitfalls import pitfall


def _check(mean: torch.Tensor, log_std: torch.Tensor, eps: torch.Tensor, action_scale: float) -> None:
    if mean.shape != log_std.shape or mean.shape != eps.shape or mean.dim() != 2 or action_scale <= 0:
        raise ValueError("bad input")


@pitfall(replaces="squashed_gaussian", why="no tanh change-of-variables correction: the Gaussian log-density only")
def no_correction(mean: torch.Tensor, log_std: torch.Tensor, eps: torch.Tensor, action_scale: float = 1.0,
                  action_bias: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    _check(mean, log_std, eps, action_scale)
    u = mean + log_std.exp() * eps
    gauss = -0.5 * eps**2 - log_std - 0.5 * math.log(2 * math.pi)
    return torch.tanh(u) * action_scale + action_bias, gauss.sum(-1)


@pitfall(replaces="squashed_gaussian", why="log(1 - tanh(u)^2 + 1e-6): the epsilon hack, wrong once tanh saturates")
def epsilon_hack(mean: torch.Tensor, log_std: torch.Tensor, eps: torch.Tensor, action_scale: float = 1.0,
                 action_bias: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    _check(mean, log_std, eps, action_scale)
    u = mean + log_std.exp() * eps
    t = torch.tanh(u)
    gauss = -0.5 * eps**2 - log_std - 0.5 * math.log(2 * math.pi)
    log_det = torch.log(action_scale * (1 - t**2) + 1e-6)
    return t * action_scale + action_bias, (gauss - log_det).sum(-1)


@pitfall(replaces="squashed_gaussian", why="forgets the log(action_scale) term of the affine rescaling")
def no_scale_term(mean: torch.Tensor, log_std: torch.Tensor, eps: torch.Tensor, action_scale: float = 1.0,
                  action_bias: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    _check(mean, log_std, eps, action_scale)
    u = mean + log_std.exp() * eps
    gauss = -0.5 * eps**2 - log_std - 0.5 * math.log(2 * math.pi)
    log_det = 2 * (math.log(2) - u - torch.nn.functional.softplus(-2 * u))
    return torch.tanh(u) * action_scale + action_bias, (gauss - log_det).sum(-1)


@pitfall(replaces="squashed_gaussian", why="treats log_std as the standard deviation")
def log_std_as_std(mean: torch.Tensor, log_std: torch.Tensor, eps: torch.Tensor, action_scale: float = 1.0,
                   action_bias: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    _check(mean, log_std, eps, action_scale)
    u = mean + log_std * eps
    gauss = -0.5 * eps**2 - torch.log(log_std.abs()) - 0.5 * math.log(2 * math.pi)
    log_det = 2 * (math.log(2) - u - torch.nn.functional.softplus(-2 * u)) + math.log(action_scale)
    return torch.tanh(u) * action_scale + action_bias, (gauss - log_det).sum(-1)


@pitfall(replaces="squashed_gaussian", why="sums the log-probability over the batch axis instead of the action axis")
def sums_batch(mean: torch.Tensor, log_std: torch.Tensor, eps: torch.Tensor, action_scale: float = 1.0,
               action_bias: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    _check(mean, log_std, eps, action_scale)
    u = mean + log_std.exp() * eps
    gauss = -0.5 * eps**2 - log_std - 0.5 * math.log(2 * math.pi)
    log_det = 2 * (math.log(2) - u - torch.nn.functional.softplus(-2 * u)) + math.log(action_scale)
    lp = (gauss - log_det).sum(0)
    return torch.tanh(u) * action_scale + action_bias, lp[: mean.shape[0]] if lp.shape[0] >= mean.shape[0] else \
        lp.sum().expand(mean.shape[0])


@pitfall(replaces="soft_q_target", why="max of the twin critics instead of the min")
def max_of_twins(rewards: torch.Tensor, terminated: torch.Tensor, next_q1: torch.Tensor, next_q2: torch.Tensor,
                 next_log_prob: torch.Tensor, alpha: float, gamma: float) -> torch.Tensor:
    soft_v = torch.max(next_q1, next_q2) - alpha * next_log_prob
    return rewards + gamma * (1.0 - terminated.to(rewards.dtype)) * soft_v


@pitfall(replaces="soft_q_target", why="adds alpha * log pi instead of subtracting it (an entropy penalty)")
def entropy_sign(rewards: torch.Tensor, terminated: torch.Tensor, next_q1: torch.Tensor, next_q2: torch.Tensor,
                 next_log_prob: torch.Tensor, alpha: float, gamma: float) -> torch.Tensor:
    soft_v = torch.min(next_q1, next_q2) + alpha * next_log_prob
    return rewards + gamma * (1.0 - terminated.to(rewards.dtype)) * soft_v


@pitfall(replaces="soft_q_target", why="bootstraps through terminal transitions")
def no_terminal_mask(rewards: torch.Tensor, terminated: torch.Tensor, next_q1: torch.Tensor, next_q2: torch.Tensor,
                     next_log_prob: torch.Tensor, alpha: float, gamma: float) -> torch.Tensor:
    return rewards + gamma * (torch.min(next_q1, next_q2) - alpha * next_log_prob)


@pitfall(replaces="temperature_loss", why="gradient through log_prob too (not detached)")
def temperature_not_detached(log_alpha: torch.Tensor, log_prob: torch.Tensor, target_entropy: float) -> torch.Tensor:
    return -(log_alpha * (log_prob + target_entropy)).mean()


@pitfall(replaces="temperature_loss", why="uses alpha = exp(log_alpha) in place of log_alpha with the opposite sign")
def wrong_sign(log_alpha: torch.Tensor, log_prob: torch.Tensor, target_entropy: float) -> torch.Tensor:
    return (log_alpha * (log_prob + target_entropy).detach()).mean()

"""Plausible wrong PPO losses that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ppo import _same_shape, categorical_entropy, ppo_policy_loss, ppo_value_loss


@pitfall(replaces="ppo_policy_loss", why="max instead of min: an optimistic bound that rewards large policy changes")
def max_not_min(new_log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor,
                clip_eps: float) -> torch.Tensor:
    _same_shape(new_log_probs, old_log_probs, advantages)
    if clip_eps <= 0:
        raise ValueError("clip_eps")
    ratio = torch.exp(new_log_probs - old_log_probs)
    return -torch.max(ratio * advantages, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * advantages).mean()


@pitfall(replaces="ppo_policy_loss", why="ratio inverted: exp(old - new)")
def inverted_ratio(new_log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor,
                   clip_eps: float) -> torch.Tensor:
    _same_shape(new_log_probs, old_log_probs, advantages)
    if clip_eps <= 0:
        raise ValueError("clip_eps")
    ratio = torch.exp(old_log_probs - new_log_probs)
    return -torch.min(ratio * advantages, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * advantages).mean()


@pitfall(replaces="ppo_policy_loss", why="clips the ratio but drops the min with the unclipped term")
def clipped_only(new_log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor,
                 clip_eps: float) -> torch.Tensor:
    _same_shape(new_log_probs, old_log_probs, advantages)
    if clip_eps <= 0:
        raise ValueError("clip_eps")
    ratio = torch.exp(new_log_probs - old_log_probs)
    return -(torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * advantages).mean()


@pitfall(replaces="ppo_value_loss", why="min of the two squared errors instead of the max (not pessimistic)")
def value_min(values: torch.Tensor, old_values: torch.Tensor, returns: torch.Tensor,
              clip_eps: float | None) -> torch.Tensor:
    _same_shape(values, old_values, returns)
    unclipped = (values - returns) ** 2
    if clip_eps is None:
        return 0.5 * unclipped.mean()
    if clip_eps <= 0:
        raise ValueError("clip_eps")
    v_clipped = old_values + torch.clamp(values - old_values, -clip_eps, clip_eps)
    return 0.5 * torch.min(unclipped, (v_clipped - returns) ** 2).mean()


@pitfall(replaces="ppo_value_loss", why="clips the new value around the returns instead of around the old values")
def clip_around_returns(values: torch.Tensor, old_values: torch.Tensor, returns: torch.Tensor,
                        clip_eps: float | None) -> torch.Tensor:
    _same_shape(values, old_values, returns)
    unclipped = (values - returns) ** 2
    if clip_eps is None:
        return 0.5 * unclipped.mean()
    if clip_eps <= 0:
        raise ValueError("clip_eps")
    v_clipped = returns + torch.clamp(values - returns, -clip_eps, clip_eps)
    return 0.5 * torch.max(unclipped, (v_clipped - returns) ** 2).mean()


@pitfall(replaces="categorical_entropy", why="uses the raw logits as log-probabilities (no log-softmax)")
def unnormalised_entropy(logits: torch.Tensor) -> torch.Tensor:
    return -(torch.softmax(logits, -1) * logits).sum(-1).mean()


@pitfall(replaces="ppo_loss", why="adds the entropy term instead of subtracting it (penalises exploration)")
def entropy_sign(new_log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor,
                 values: torch.Tensor, old_values: torch.Tensor, returns: torch.Tensor, logits: torch.Tensor,
                 clip_eps: float = 0.2, vf_coef: float = 0.5, ent_coef: float = 0.01,
                 clip_value: bool = True) -> dict[str, torch.Tensor]:
    policy = ppo_policy_loss(new_log_probs, old_log_probs, advantages, clip_eps)
    value = ppo_value_loss(values, old_values, returns, clip_eps if clip_value else None)
    entropy = categorical_entropy(logits)
    with torch.no_grad():
        log_ratio = new_log_probs - old_log_probs
        ratio = log_ratio.exp()
        clip_fraction = ((ratio - 1).abs() > clip_eps).to(ratio.dtype).mean()
        approx_kl = ((ratio - 1) - log_ratio).mean()
    return {"loss": policy + vf_coef * value + ent_coef * entropy, "policy": policy, "value": value,
            "entropy": entropy, "clip_fraction": clip_fraction, "approx_kl": approx_kl}


@pitfall(replaces="ppo_loss", why="approx_kl as mean(-log ratio) (the naive estimator, not (r - 1) - log r)")
def naive_kl(new_log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor,
             values: torch.Tensor, old_values: torch.Tensor, returns: torch.Tensor, logits: torch.Tensor,
             clip_eps: float = 0.2, vf_coef: float = 0.5, ent_coef: float = 0.01,
             clip_value: bool = True) -> dict[str, torch.Tensor]:
    policy = ppo_policy_loss(new_log_probs, old_log_probs, advantages, clip_eps)
    value = ppo_value_loss(values, old_values, returns, clip_eps if clip_value else None)
    entropy = categorical_entropy(logits)
    with torch.no_grad():
        log_ratio = new_log_probs - old_log_probs
        clip_fraction = ((log_ratio.exp() - 1).abs() > clip_eps).to(log_ratio.dtype).mean()
        approx_kl = (-log_ratio).mean()
    return {"loss": policy + vf_coef * value - ent_coef * entropy, "policy": policy, "value": value,
            "entropy": entropy, "clip_fraction": clip_fraction, "approx_kl": approx_kl}

"""Reference solution for rl-03-3."""
from __future__ import annotations

import torch


def _same_shape(*xs: torch.Tensor) -> None:
    if any(x.shape != xs[0].shape for x in xs) or xs[0].dim() != 1:
        raise ValueError("inputs must be 1-D tensors of one shape")


def ppo_policy_loss(new_log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor,
                    clip_eps: float) -> torch.Tensor:
    _same_shape(new_log_probs, old_log_probs, advantages)
    if clip_eps <= 0:
        raise ValueError(f"clip_eps must be positive, got {clip_eps}")
    ratio = torch.exp(new_log_probs - old_log_probs)
    unclipped = ratio * advantages
    clipped = torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * advantages
    return -torch.min(unclipped, clipped).mean()


def ppo_value_loss(values: torch.Tensor, old_values: torch.Tensor, returns: torch.Tensor,
                   clip_eps: float | None) -> torch.Tensor:
    _same_shape(values, old_values, returns)
    unclipped = (values - returns) ** 2
    if clip_eps is None:
        return 0.5 * unclipped.mean()
    if clip_eps <= 0:
        raise ValueError(f"clip_eps must be positive, got {clip_eps}")
    v_clipped = old_values + torch.clamp(values - old_values, -clip_eps, clip_eps)
    return 0.5 * torch.max(unclipped, (v_clipped - returns) ** 2).mean()


def categorical_entropy(logits: torch.Tensor) -> torch.Tensor:
    log_p = torch.log_softmax(logits, dim=-1)
    return -(log_p.exp() * log_p).sum(-1).mean()


def ppo_loss(new_log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor,
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
    return {"loss": policy + vf_coef * value - ent_coef * entropy, "policy": policy, "value": value,
            "entropy": entropy, "clip_fraction": clip_fraction, "approx_kl": approx_kl}

"""rl-03-3: PPO's clipped surrogate, value clipping and entropy bonus. Edit this file; `grader check rl-03-3` tests it."""
from __future__ import annotations

import torch


def ppo_policy_loss(new_log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor,
                    clip_eps: float) -> torch.Tensor:
    """PPO's clipped surrogate, as a loss to minimise:

        r_t  = exp(new_log_probs - old_log_probs)
        loss = -mean( min( r_t A_t, clip(r_t, 1 - clip_eps, 1 + clip_eps) A_t ) )

    Differentiable in new_log_probs; inputs are not modified; the result has their dtype.

    Raises:
        ValueError: clip_eps <= 0; inputs not 1-D of one shape.

    Shapes:
        all inputs: (B,)
        returns: a scalar tensor
    """
    raise NotImplementedError("ppo_policy_loss: the pessimistic min of the unclipped and clipped surrogates")


def ppo_value_loss(values: torch.Tensor, old_values: torch.Tensor, returns: torch.Tensor,
                   clip_eps: float | None) -> torch.Tensor:
    """The value loss with PPO-style clipping around the old values:

        V_clip = old_values + clip(values - old_values, -clip_eps, clip_eps)
        loss   = 0.5 * mean( max( (values - returns)^2, (V_clip - returns)^2 ) )

    clip_eps=None: no clipping, 0.5 * mean((values - returns)^2). Inputs are not modified; the
    result has their dtype.

    Raises:
        ValueError: clip_eps <= 0; inputs not 1-D of one shape.

    Shapes:
        all inputs: (B,)
        returns: a scalar tensor
    """
    raise NotImplementedError("ppo_value_loss: the larger of the unclipped and clipped squared errors")


def categorical_entropy(logits: torch.Tensor) -> torch.Tensor:
    """Mean entropy of the categorical distributions softmax(logits) over the batch.

    Numerically safe for near-deterministic rows (no NaN). Keeps the dtype; logits not modified.

    Shapes:
        logits: (B, n_actions)
        returns: a scalar tensor
    """
    raise NotImplementedError("categorical_entropy: -sum p log p with log_softmax")


def ppo_loss(new_log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor,
             values: torch.Tensor, old_values: torch.Tensor, returns: torch.Tensor, logits: torch.Tensor,
             clip_eps: float = 0.2, vf_coef: float = 0.5, ent_coef: float = 0.01,
             clip_value: bool = True) -> dict[str, torch.Tensor]:
    """The full PPO objective and its diagnostics, as a dict of scalar tensors:

        policy        = ppo_policy_loss(new_log_probs, old_log_probs, advantages, clip_eps)
        value         = ppo_value_loss(values, old_values, returns, clip_eps if clip_value else None)
        entropy       = categorical_entropy(logits)
        loss          = policy + vf_coef * value - ent_coef * entropy     (the entropy is a bonus)
        clip_fraction = mean(|r - 1| > clip_eps)
        approx_kl     = mean((r - 1) - log r)        (an unbiased, non-negative estimate of KL(old || new))

    Keys: "loss", "policy", "value", "entropy", "clip_fraction", "approx_kl". Inputs are not modified.
    """
    raise NotImplementedError("ppo_loss: combine the three terms and report the diagnostics")

"""nlp-38-1: the DPO loss. Edit this file; `grader check nlp-38-1` tests it."""
from __future__ import annotations

import torch


def sequence_logprobs(logits: torch.Tensor, labels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Summed log-probability of each sequence's response tokens under a language model.

    logits[b, t] are the model's scores for the token labels[b, t] (already aligned: shift before
    calling). Only positions where mask is True (the response, not the prompt or padding) count; a
    row with no True position has log-probability 0. Same dtype as logits; differentiable.

    Shapes:
        logits: (B, T, V) float
        labels: (B, T) int64
        mask: (B, T) bool
        returns: (B,), dtype of logits

    Raises:
        ValueError: if logits is not 3-D or labels / mask are not of shape logits.shape[:2].
    """
    raise NotImplementedError("sequence_logprobs: log-softmax, pick the labels, sum the masked ones")


def dpo_loss(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
             ref_rejected: torch.Tensor, beta: float = 0.1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The Direct Preference Optimization loss of Rafailov et al. (2023), averaged over the batch.

    With z = beta * ((policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)), the loss is
    mean(-log sigmoid(z)), computed stably for any z. Also returns the implicit rewards
    beta * (policy_chosen - ref_chosen) and beta * (policy_rejected - ref_rejected), detached.
    Every output has the dtype of the inputs.

    Shapes:
        policy_chosen, policy_rejected, ref_chosen, ref_rejected: (B,) summed sequence log-probs
        returns: (loss () , chosen_rewards (B,), rejected_rewards (B,))

    Raises:
        ValueError: if beta <= 0, or the four inputs are not all 1-D of the same shape.
    """
    raise NotImplementedError("dpo_loss: -logsigmoid of beta times the difference of log-ratios")

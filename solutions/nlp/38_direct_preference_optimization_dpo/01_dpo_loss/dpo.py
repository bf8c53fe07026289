"""Reference solution for nlp-38-1."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def sequence_logprobs(logits: torch.Tensor, labels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if logits.ndim != 3 or labels.shape != logits.shape[:2] or mask.shape != labels.shape:
        raise ValueError(f"need logits (B, T, V), labels and mask (B, T); got {tuple(logits.shape)}, "
                         f"{tuple(labels.shape)}, {tuple(mask.shape)}")
    logp = torch.log_softmax(logits, dim=-1)
    picked = logp.gather(-1, labels.unsqueeze(-1)).squeeze(-1)
    return (picked * mask.to(picked.dtype)).sum(dim=-1)


def dpo_loss(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
             ref_rejected: torch.Tensor, beta: float = 0.1) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if beta <= 0:
        raise ValueError(f"beta must be positive, got {beta}")
    shape = policy_chosen.shape
    if policy_chosen.ndim != 1 or any(t.shape != shape for t in (policy_rejected, ref_chosen, ref_rejected)):
        raise ValueError("the four log-probability tensors must all have the same shape (B,)")
    chosen_logratio = policy_chosen - ref_chosen
    rejected_logratio = policy_rejected - ref_rejected
    loss = -F.logsigmoid(beta * (chosen_logratio - rejected_logratio)).mean()
    return loss, beta * chosen_logratio.detach(), beta * rejected_logratio.detach()

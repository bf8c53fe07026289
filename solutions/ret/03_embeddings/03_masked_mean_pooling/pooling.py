"""Reference solution for ret-03-3."""
from __future__ import annotations

import torch
from torch import nn


def masked_mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    if tuple(mask.shape) != tuple(hidden.shape[:2]):
        raise ValueError(f"mask shape {tuple(mask.shape)} does not match hidden {tuple(hidden.shape)}")
    keep = mask.bool().unsqueeze(-1)                                   # (B, T, 1)
    total = torch.where(keep, hidden, torch.zeros((), dtype=hidden.dtype)).sum(dim=1)
    count = keep.sum(dim=1).clamp(min=1).to(hidden.dtype)             # (B, 1)
    return total / count


def embed_sentences(model: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    normalize: bool = False) -> torch.Tensor:
    if bool((attention_mask.sum(dim=1) == 0).any()):
        raise ValueError("every row of attention_mask must keep at least one token")
    with torch.no_grad():
        hidden = model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    pooled = masked_mean_pool(hidden, attention_mask)
    if normalize:
        pooled = pooled / pooled.norm(dim=-1, keepdim=True).clamp(min=1e-12)
    return pooled

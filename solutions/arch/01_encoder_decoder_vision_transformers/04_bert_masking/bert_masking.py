"""Reference solution for arch-01-4."""
from __future__ import annotations

import torch
import torch.nn.functional as F

IGNORE = -100


def bert_mask(tokens: torch.Tensor, special_mask: torch.Tensor, vocab_size: int, mask_id: int,
              mask_prob: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    if not 0.0 <= mask_prob <= 1.0:
        raise ValueError(f"mask_prob must be in [0, 1], got {mask_prob}")
    g = torch.Generator().manual_seed(seed)
    selected = (torch.rand(tokens.shape, generator=g) < mask_prob) & ~special_mask
    labels = torch.where(selected, tokens, torch.full_like(tokens, IGNORE))
    u = torch.rand(tokens.shape, generator=g)
    to_mask = selected & (u < 0.8)
    to_random = selected & (u >= 0.8) & (u < 0.9)
    random_tokens = torch.randint(vocab_size, tokens.shape, generator=g)
    inputs = tokens.clone()
    inputs[to_mask] = mask_id
    inputs[to_random] = random_tokens[to_random]
    return inputs, labels


def masked_lm_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    keep = labels != IGNORE
    if not bool(keep.any()):
        raise ValueError("no position is labelled: the masked-LM loss is undefined")
    return F.cross_entropy(logits[keep], labels[keep])

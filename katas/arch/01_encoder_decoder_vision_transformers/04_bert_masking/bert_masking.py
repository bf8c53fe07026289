"""arch-01-4: BERT's 80/10/10 masking. Edit this file; `grader check arch-01-4` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (F.cross_entropy)

IGNORE = -100      # the label of a position that does not count in the loss (PyTorch's ignore_index)


def bert_mask(tokens: torch.Tensor, special_mask: torch.Tensor, vocab_size: int, mask_id: int,
              mask_prob: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's masked-LM corruption, drawn from torch.Generator().manual_seed(seed).

    Each non-special position is selected independently with probability mask_prob (special
    positions never). A selected position gets label = its original token, every other position
    label IGNORE. Of the selected positions, 80 % become mask_id, 10 % a token drawn uniformly
    from [0, vocab_size) (which may happen to be the original), 10 % stay unchanged, each position
    independently. `tokens` is not modified.

    Shapes:
        tokens: int64 (B, L)     special_mask: bool (B, L), True = [CLS], [SEP], padding, ...
        returns: inputs int64 (B, L), labels int64 (B, L)

    Raises:
        ValueError: if mask_prob is outside [0, 1].
    """
    raise NotImplementedError("bert_mask: select, label, then 80/10/10")


def masked_lm_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the labelled positions only (labels != IGNORE).

    Shapes:
        logits: (B, L, V)     labels: int64 (B, L)
        returns: scalar

    Raises:
        ValueError: if no position is labelled.
    """
    raise NotImplementedError("masked_lm_loss: cross-entropy on the masked positions only")

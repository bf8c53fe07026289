"""ret-03-3: sentence embeddings by masked mean pooling. Edit this file; `grader check ret-03-3` tests it."""
from __future__ import annotations

import torch
from torch import nn


def masked_mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The mean of each row's token states over the positions its mask keeps.

    mask[b, t] is True (or 1) for a real token and False (or 0) for padding. Positions the mask drops
    never reach the result: whatever they hold, even inf or NaN, the output is the same. A row whose
    mask keeps no position gets the zero vector.

    Shapes:
        hidden: (B, T, H) float32 or float64
        mask: (B, T) bool or integer (0/1)
        returns: (B, H), same dtype as hidden (neither input is modified)

    Raises:
        ValueError: if mask's shape is not hidden's first two dimensions.
    """
    raise NotImplementedError("masked_mean_pool: sum the kept positions, divide by how many were kept")


def embed_sentences(model: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    normalize: bool = False) -> torch.Tensor:
    """Sentence embeddings from a Hugging Face encoder: masked mean of its last hidden states.

    Runs `model(input_ids=..., attention_mask=...)` once on the whole (right-padded) batch and pools
    `.last_hidden_state` with masked_mean_pool. The embedding of a sentence is then the same as the
    one it gets when run alone without padding. With normalize=True each embedding is scaled to unit
    Euclidean length (so dot products are cosine similarities). No gradients are recorded.

    Shapes:
        input_ids: (B, T) int64; attention_mask: (B, T) 0/1 int64, every row keeps at least one token
        returns: (B, H) in the model's dtype

    Raises:
        ValueError: if a row of attention_mask keeps no token.
    """
    raise NotImplementedError("embed_sentences: run the model with the mask, then pool its last hidden state")

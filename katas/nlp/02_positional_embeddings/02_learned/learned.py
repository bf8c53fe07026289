"""nlp-02-2: learned positional embeddings. Edit this file; `grader check nlp-02-2` tests it."""
from __future__ import annotations

import torch
from torch import nn


class LearnedPositionalEmbedding(nn.Module):
    """A trainable table of `max_len` position vectors added to token embeddings (BERT, GPT-2).

    Attributes:
        max_len: the number of positions the table holds.
        d_model: the width of each position vector.
        table: an `nn.Embedding(max_len, d_model)` whose row `p` is the vector of position `p`.
    """

    def __init__(self, max_len: int, d_model: int) -> None:
        """Store `max_len` and `d_model` and create `self.table = nn.Embedding(max_len, d_model)`.

        Raises:
            ValueError: if max_len or d_model is not positive.
        """
        super().__init__()
        raise NotImplementedError("LearnedPositionalEmbedding.__init__: create self.table")

    def forward(self, x: torch.Tensor, start: int = 0) -> torch.Tensor:
        """Add the vectors of positions start, start+1, ..., start+T-1 to the T tokens of x.

        `start` is the position of x's first token: 0 for a whole prompt, the number of tokens
        already in the KV cache when decoding one chunk at a time.

        Shapes:
            x: (..., T, d_model)   any number of leading (batch) axes, including none
            returns: (..., T, d_model), x + table.weight[start:start+T] broadcast over the leading axes

        Raises:
            ValueError: if start is negative or start + T > max_len (no row for those positions).
        """
        raise NotImplementedError("LearnedPositionalEmbedding.forward: add the rows of positions start..start+T-1")

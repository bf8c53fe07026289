"""nlp-02-1: sinusoidal positional encoding. Edit this file; `grader check nlp-02-1` tests it."""
from __future__ import annotations

import torch


def sinusoidal_positions(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    """The fixed sine/cosine position table of Vaswani et al. (2017).

    PE[pos, 2i] = sin(pos / base**(2i/d_model)) and PE[pos, 2i+1] = cos(pos / base**(2i/d_model)).

    Shapes:
        returns: (seq_len, d_model), float32

    Raises:
        ValueError: if d_model is odd, or seq_len or d_model is not positive.
    """
    raise NotImplementedError("sinusoidal_positions: build the (seq_len, d_model) table")

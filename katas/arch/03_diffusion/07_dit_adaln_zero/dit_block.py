"""arch-03-7: a DiT block with adaLN-Zero. Edit this file; `grader check arch-03-7` tests it."""
from __future__ import annotations

import torch
from torch import nn


def modulate(x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """x * (1 + scale) + shift, with one (shift, scale) per example broadcast over the tokens.

    Shapes:
        x: (B, N, D)     shift, scale: (B, D)     returns: (B, N, D)
    """
    raise NotImplementedError("modulate")


class DiTBlock(nn.Module):
    """A Diffusion Transformer block conditioned by adaLN-Zero (Peebles & Xie 2023, Figure 3).

    Attributes (the tests read them by name):
        norm1, norm2: nn.LayerNorm(hidden, elementwise_affine=False, eps=1e-6)
        attn: nn.MultiheadAttention(hidden, n_heads, batch_first=True)
        mlp: nn.Sequential(nn.Linear(hidden, int(hidden * mlp_ratio)), nn.GELU(approximate="tanh"),
                           nn.Linear(int(hidden * mlp_ratio), hidden))
        adaLN_modulation: nn.Sequential(nn.SiLU(), nn.Linear(hidden, 6 * hidden)), its Linear's weight
            and bias initialised to ZERO.

    forward(x, c): split adaLN_modulation(c) into six (B, hidden) chunks, in this order:
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp
    then
        h = modulate(norm1(x), shift_msa, scale_msa);  x = x + gate_msa * attn(h, h, h)
        h = modulate(norm2(x), shift_mlp, scale_mlp);  x = x + gate_mlp * mlp(h)
    (gates broadcast over tokens). At initialisation every gate is 0, so the block is the identity.

    Shapes:
        x: (B, N, hidden)     c: (B, hidden) (timestep + class embedding)     returns: (B, N, hidden)
    """

    def __init__(self, hidden: int, n_heads: int, mlp_ratio: float = 4.0) -> None:
        super().__init__()
        raise NotImplementedError("DiTBlock.__init__: build the layers, zero the modulation")

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("DiTBlock.forward")

"""Plausible wrong DiT blocks that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dit_block import DiTBlock, modulate


@pitfall(replaces="modulate", why="x * scale + shift: without the 1 +, a zero scale wipes the signal out")
def scale_without_one(x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    return x * scale[:, None, :] + shift[:, None, :]


@pitfall(replaces="DiTBlock.__init__", why="keeps nn.Linear's default init for the modulation: not an identity at start")
def not_zero_init(self: DiTBlock, hidden: int, n_heads: int, mlp_ratio: float = 4.0) -> None:
    nn.Module.__init__(self)
    mlp_hidden = int(hidden * mlp_ratio)
    self.norm1 = nn.LayerNorm(hidden, elementwise_affine=False, eps=1e-6)
    self.attn = nn.MultiheadAttention(hidden, n_heads, batch_first=True)
    self.norm2 = nn.LayerNorm(hidden, elementwise_affine=False, eps=1e-6)
    self.mlp = nn.Sequential(nn.Linear(hidden, mlp_hidden), nn.GELU(approximate="tanh"), nn.Linear(mlp_hidden, hidden))
    self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(hidden, 6 * hidden))


@pitfall(replaces="DiTBlock.forward", why="no gates: x + attn(h) and x + mlp(h), so the block is not the identity at init")
def no_gates(self: DiTBlock, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    shift_msa, scale_msa, _, shift_mlp, scale_mlp, _ = self.adaLN_modulation(c).chunk(6, dim=1)
    h = modulate(self.norm1(x), shift_msa, scale_msa)
    x = x + self.attn(h, h, h, need_weights=False)[0]
    return x + self.mlp(modulate(self.norm2(x), shift_mlp, scale_mlp))


@pitfall(replaces="DiTBlock.forward", why="chunks read as (shift, scale, gate) for the MLP first, then attention")
def chunk_order(self: DiTBlock, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    shift_mlp, scale_mlp, gate_mlp, shift_msa, scale_msa, gate_msa = self.adaLN_modulation(c).chunk(6, dim=1)
    h = modulate(self.norm1(x), shift_msa, scale_msa)
    x = x + gate_msa[:, None, :] * self.attn(h, h, h, need_weights=False)[0]
    return x + gate_mlp[:, None, :] * self.mlp(modulate(self.norm2(x), shift_mlp, scale_mlp))


@pitfall(replaces="DiTBlock.forward", why="the MLP branch reads norm2 of the block input, not of the post-attention stream")
def parallel_branches(self: DiTBlock, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = self.adaLN_modulation(c).chunk(6, dim=1)
    h = modulate(self.norm1(x), shift_msa, scale_msa)
    out = x + gate_msa[:, None, :] * self.attn(h, h, h, need_weights=False)[0]
    return out + gate_mlp[:, None, :] * self.mlp(modulate(self.norm2(x), shift_mlp, scale_mlp))

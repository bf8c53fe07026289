"""Plausible wrong mini-formers that the tests must reject."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from mini_former import MiniFormer, TransformerBlock, lm_loss

_original_init = MiniFormer.__init__


@pitfall(replaces="MiniFormer.__init__", why="[block] * n_layers: one block object repeated, so every layer shares weights")
def shared_block(self: MiniFormer, vocab_size: int, d_model: int, n_heads: int, n_layers: int, max_len: int,
                 d_ff: int | None = None, dropout: float = 0.0) -> None:
    _original_init(self, vocab_size, d_model, n_heads, n_layers, max_len, d_ff, dropout)
    block = TransformerBlock(d_model, n_heads, 4 * d_model if d_ff is None else d_ff, dropout=dropout,
                             activation="gelu", norm_first=True)
    self.blocks = nn.ModuleList([block] * n_layers)


@pitfall(replaces="MiniFormer.forward", why="no final LayerNorm before the LM head (a pre-norm stack needs one)")
def no_final_norm(self: MiniFormer, idx: torch.Tensor) -> torch.Tensor:
    seq_len = idx.shape[-1]
    x = self.tok_emb(idx) + self.pos_emb(torch.arange(seq_len))
    mask = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
    for block in self.blocks:
        x = block(x, mask=mask)
    return self.lm_head(x)


@pitfall(replaces="MiniFormer.forward", why="forgets the causal mask: position t reads the token it must predict")
def no_causal_mask(self: MiniFormer, idx: torch.Tensor) -> torch.Tensor:
    seq_len = idx.shape[-1]
    x = self.tok_emb(idx) + self.pos_emb(torch.arange(seq_len))
    for block in self.blocks:
        x = block(x)
    return self.lm_head(self.norm(x))


@pitfall(replaces="MiniFormer.forward", why="never adds the position embeddings")
def no_positions(self: MiniFormer, idx: torch.Tensor) -> torch.Tensor:
    seq_len = idx.shape[-1]
    if seq_len > self.max_len:
        raise ValueError("too long")
    x = self.tok_emb(idx)
    mask = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
    for block in self.blocks:
        x = block(x, mask=mask)
    return self.lm_head(self.norm(x))


@pitfall(replaces="lm_loss", why="no shift: scores logits at t against token t, teaching the model to copy its input")
def lm_loss_no_shift(logits: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), idx.reshape(-1))


@pitfall(replaces="train", why="never calls zero_grad: gradients accumulate across steps")
def train_without_zero_grad(model: nn.Module, batches: Iterable[torch.Tensor], lr: float) -> list[float]:
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for idx in batches:
        loss = lm_loss(model(idx), idx)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pitfall(replaces="MiniFormer.__init__", why="d_ff defaults to d_model instead of 4 * d_model, and dropout is not passed to the blocks")
def wrong_defaults(self: MiniFormer, vocab_size: int, d_model: int, n_heads: int, n_layers: int, max_len: int,
                   d_ff: int | None = None, dropout: float = 0.0) -> None:
    nn.Module.__init__(self)
    d_ff = d_model if d_ff is None else d_ff
    self.max_len = max_len
    self.tok_emb = nn.Embedding(vocab_size, d_model)
    self.pos_emb = nn.Embedding(max_len, d_model)
    self.blocks = nn.ModuleList(TransformerBlock(d_model, n_heads, d_ff, activation="gelu", norm_first=True)
                                for _ in range(n_layers))
    self.norm = nn.LayerNorm(d_model)
    self.lm_head = nn.Linear(d_model, vocab_size, bias=False)


@pitfall(replaces="MiniFormer.forward", why="T >= max_len raises: a sequence that exactly fills the position table is refused")
def off_by_one_length(self: MiniFormer, idx: torch.Tensor) -> torch.Tensor:
    if idx.shape[-1] >= self.max_len:
        raise ValueError("sequence too long")
    seq_len = idx.shape[-1]
    x = self.tok_emb(idx) + self.pos_emb(torch.arange(seq_len, device=idx.device))
    mask = torch.ones(seq_len, seq_len, dtype=torch.bool, device=idx.device).tril()
    for block in self.blocks:
        x = block(x, mask=mask)
    return self.lm_head(self.norm(x))

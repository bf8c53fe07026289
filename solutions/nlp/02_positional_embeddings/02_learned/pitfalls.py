"""Plausible wrong versions of LearnedPositionalEmbedding that the tests must reject."""
from __future__ import annotations

import torch
from torch import nn

from grader.pitfalls import pitfall


@pitfall(replaces="LearnedPositionalEmbedding.forward", why="ignores start: a decoded chunk gets positions 0..T-1 again")
def ignores_start(self: nn.Module, x: torch.Tensor, start: int = 0) -> torch.Tensor:
    seq_len = x.shape[-2]
    if start < 0 or start + seq_len > self.max_len:
        raise ValueError("too long")
    return x + self.table(torch.arange(seq_len))


@pitfall(replaces="LearnedPositionalEmbedding.forward", why="off-by-one limit: rejects a sequence that exactly fills the table")
def rejects_full_table(self: nn.Module, x: torch.Tensor, start: int = 0) -> torch.Tensor:
    seq_len = x.shape[-2]
    if start < 0 or start + seq_len >= self.max_len:
        raise ValueError("too long")
    return x + self.table(torch.arange(start, start + seq_len))


@pitfall(replaces="LearnedPositionalEmbedding.forward", why="takes T from x.shape[1], assuming a (batch, T, d) input")
def batch_first_length(self: nn.Module, x: torch.Tensor, start: int = 0) -> torch.Tensor:
    seq_len = x.shape[1]
    if start < 0 or start + seq_len > self.max_len:
        raise ValueError("too long")
    return x + self.table(torch.arange(start, start + seq_len))


@pitfall(replaces="LearnedPositionalEmbedding.forward", why="reads table.weight.data: the table never gets a gradient")
def detached_table(self: nn.Module, x: torch.Tensor, start: int = 0) -> torch.Tensor:
    seq_len = x.shape[-2]
    if start < 0 or start + seq_len > self.max_len:
        raise ValueError("too long")
    return x + self.table.weight.data[start:start + seq_len]


@pitfall(replaces="LearnedPositionalEmbedding.forward", why="no length check: out-of-range positions fail with an IndexError deep in F.embedding")
def no_length_check(self: nn.Module, x: torch.Tensor, start: int = 0) -> torch.Tensor:
    return x + self.table(torch.arange(start, start + x.shape[-2]))


@pitfall(replaces="LearnedPositionalEmbedding.__init__", why="copies padding_idx=0 from a token embedding: position 0 is never trained")
def padding_idx_zero(self: nn.Module, max_len: int, d_model: int) -> None:
    nn.Module.__init__(self)
    if max_len <= 0 or d_model <= 0:
        raise ValueError("bad sizes")
    self.max_len, self.d_model = max_len, d_model
    self.table = nn.Embedding(max_len, d_model, padding_idx=0)

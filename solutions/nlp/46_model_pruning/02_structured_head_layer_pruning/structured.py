"""Reference solution for nlp-46-2."""
from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable

import torch
from torch import nn


class MHA(nn.Module):
    """Given: multi-head self-attention with separate q/k/v/o projections and an optional head mask.

    Head h owns rows [h*head_dim, (h+1)*head_dim) of q, k and v (weight and bias) and the same
    columns of o.weight. head_mask (n_heads,) multiplies each head's output before o.
    """

    def __init__(self, d_model: int, n_heads: int, head_dim: int) -> None:
        super().__init__()
        self.d_model, self.n_heads, self.head_dim = d_model, n_heads, head_dim
        self.q = nn.Linear(d_model, n_heads * head_dim)
        self.k = nn.Linear(d_model, n_heads * head_dim)
        self.v = nn.Linear(d_model, n_heads * head_dim)
        self.o = nn.Linear(n_heads * head_dim, d_model)

    def forward(self, x: torch.Tensor, head_mask: torch.Tensor | None = None) -> torch.Tensor:
        B, T, _ = x.shape

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(B, T, self.n_heads, self.head_dim).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.head_dim), dim=-1)
        y = att @ v
        if head_mask is not None:
            y = y * head_mask.view(1, -1, 1, 1)
        return self.o(y.transpose(1, 2).reshape(B, T, self.n_heads * self.head_dim))


class Block(nn.Module):
    """Given: a pre-norm transformer block, x + attn(ln1(x)) then + mlp(ln2(x))."""

    def __init__(self, d_model: int, n_heads: int, head_dim: int) -> None:
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.attn = MHA(d_model, n_heads, head_dim)
        self.mlp = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class Encoder(nn.Module):
    """Given: a stack of blocks; forward can skip some of them (by index)."""

    def __init__(self, blocks: list[Block]) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x: torch.Tensor, skip: Iterable[int] = ()) -> torch.Tensor:
        skip = set(skip)
        for i, block in enumerate(self.blocks):
            if i not in skip:
                x = block(x)
        return x


def prune_heads(attn: MHA, heads: Iterable[int]) -> MHA:
    heads = set(heads)
    if any(not 0 <= h < attn.n_heads for h in heads):
        raise ValueError(f"head indices must be in [0, {attn.n_heads}), got {sorted(heads)}")
    keep = [h for h in range(attn.n_heads) if h not in heads]
    dh = attn.head_dim
    idx = torch.tensor([h * dh + j for h in keep for j in range(dh)], dtype=torch.long)
    if not keep:
        raise ValueError("cannot prune every head: drop the layer instead")
    new = MHA(attn.d_model, len(keep), dh).to(attn.o.weight.dtype)
    with torch.no_grad():
        for name in ("q", "k", "v"):
            getattr(new, name).weight.copy_(getattr(attn, name).weight[idx])
            getattr(new, name).bias.copy_(getattr(attn, name).bias[idx])
        new.o.weight.copy_(attn.o.weight[:, idx])
        new.o.bias.copy_(attn.o.bias)
    return new


def head_importance(attn: MHA, batches: list[tuple[torch.Tensor, torch.Tensor]],
                    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> torch.Tensor:
    total = torch.zeros(attn.n_heads, dtype=attn.o.weight.dtype)
    for x, y in batches:
        xi = torch.ones(attn.n_heads, dtype=attn.o.weight.dtype, requires_grad=True)
        (grad,) = torch.autograd.grad(loss_fn(attn(x, head_mask=xi), y), xi)
        total += grad.abs()
    return total / len(batches)


def drop_layers(encoder: Encoder, layers: Iterable[int]) -> Encoder:
    layers = set(layers)
    n = len(encoder.blocks)
    if any(not 0 <= i < n for i in layers):
        raise ValueError(f"layer indices must be in [0, {n}), got {sorted(layers)}")
    return Encoder([copy.deepcopy(b) for i, b in enumerate(encoder.blocks) if i not in layers])

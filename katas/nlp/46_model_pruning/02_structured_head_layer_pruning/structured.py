"""nlp-46-2: structured pruning of heads and layers. Edit this file; `grader check nlp-46-2` tests it."""
from __future__ import annotations

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
    """A new, smaller MHA without the given heads; `attn` itself is left unchanged.

    The new module has n_heads - len(set(heads)) heads of the same head_dim, holding the remaining
    heads' rows of q/k/v and columns of o (o's bias unchanged), in their original order. Its output
    equals attn(x, head_mask) with head_mask 0 at the pruned heads and 1 elsewhere, and its matmul
    FLOPs shrink in proportion to the heads removed. Repeated indices count once.

    Raises:
        ValueError: if a head index is outside [0, n_heads), or every head would be pruned.
    """
    raise NotImplementedError("prune_heads: keep the rows/columns of the remaining heads")


def head_importance(attn: MHA, batches: list[tuple[torch.Tensor, torch.Tensor]],
                    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> torch.Tensor:
    """Michel et al. (2019) head importance: the mean over batches of |dL/d xi_h| at xi = 1.

    xi is a head mask of ones (requiring grad) passed to attn(x, head_mask=xi); L = loss_fn(output, y)
    for each (x, y) in batches. Leaves no gradient on attn's parameters (their .grad stays None).

    Shapes:
        x: (B, T, d_model); returns: (n_heads,), the dtype of attn's parameters
    """
    raise NotImplementedError("head_importance: gradient of the loss wrt a head gate, absolute, averaged")


def drop_layers(encoder: Encoder, layers: Iterable[int]) -> Encoder:
    """A new Encoder without the given blocks (the others in order, copied: it shares no parameter
    with `encoder`, which is left unchanged).

    Its output equals encoder(x, skip=layers). Dropping every layer leaves the identity.

    Raises:
        ValueError: if a layer index is outside [0, len(encoder.blocks)).
    """
    raise NotImplementedError("drop_layers: copy the blocks you keep into a new Encoder")

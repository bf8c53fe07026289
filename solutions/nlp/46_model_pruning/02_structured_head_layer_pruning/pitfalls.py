"""Plausible wrong structured-pruning implementations that the tests must reject."""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from structured import MHA, Encoder


def _check(attn: MHA, heads: set[int]) -> list[int]:
    if any(not 0 <= h < attn.n_heads for h in heads):
        raise ValueError("head index")
    keep = [h for h in range(attn.n_heads) if h not in heads]
    if not keep:
        raise ValueError("all heads")
    return keep


@pitfall(replaces="prune_heads", why="keeps the first rows of q/k/v/o: removes the LAST heads, not the named ones")
def prunes_last_heads(attn: MHA, heads: Iterable[int]) -> MHA:
    keep = _check(attn, set(heads))
    n = len(keep) * attn.head_dim
    new = MHA(attn.d_model, len(keep), attn.head_dim).to(attn.o.weight.dtype)
    with torch.no_grad():
        for name in ("q", "k", "v"):
            getattr(new, name).weight.copy_(getattr(attn, name).weight[:n])
            getattr(new, name).bias.copy_(getattr(attn, name).bias[:n])
        new.o.weight.copy_(attn.o.weight[:, :n])
        new.o.bias.copy_(attn.o.bias)
    return new


@pitfall(replaces="prune_heads", why="zeroes the pruned heads' weights instead of removing them: right output, no FLOPs saved")
def zeroes_instead(attn: MHA, heads: Iterable[int]) -> MHA:
    heads = set(heads)
    _check(attn, heads)
    new = copy.deepcopy(attn)
    dh = attn.head_dim
    with torch.no_grad():
        for h in heads:
            for name in ("q", "k", "v"):
                getattr(new, name).weight[h * dh:(h + 1) * dh] = 0
                getattr(new, name).bias[h * dh:(h + 1) * dh] = 0
            new.o.weight[:, h * dh:(h + 1) * dh] = 0
    return new


@pitfall(replaces="prune_heads", why="gathers head h's channels as h, h + n_heads, ... (strided): not the head layout of the module")
def strided_heads(attn: MHA, heads: Iterable[int]) -> MHA:
    keep = _check(attn, set(heads))
    idx = torch.cat([torch.arange(h, attn.n_heads * attn.head_dim, attn.n_heads) for h in keep])
    new = MHA(attn.d_model, len(keep), attn.head_dim).to(attn.o.weight.dtype)
    with torch.no_grad():
        for name in ("q", "k", "v"):
            getattr(new, name).weight.copy_(getattr(attn, name).weight[idx])
            getattr(new, name).bias.copy_(getattr(attn, name).bias[idx])
        new.o.weight.copy_(attn.o.weight[:, idx])
        new.o.bias.copy_(attn.o.bias)
    return new


@pitfall(replaces="prune_heads", why="shrinks the given module in place and returns it: the original model is changed")
def in_place(attn: MHA, heads: Iterable[int]) -> MHA:
    keep = _check(attn, set(heads))
    dh = attn.head_dim
    idx = torch.cat([torch.arange(h * dh, (h + 1) * dh) for h in keep])
    with torch.no_grad():
        for name in ("q", "k", "v"):
            lin = getattr(attn, name)
            lin.weight = torch.nn.Parameter(lin.weight[idx].clone())
            lin.bias = torch.nn.Parameter(lin.bias[idx].clone())
        attn.o.weight = torch.nn.Parameter(attn.o.weight[:, idx].clone())
    attn.n_heads = len(keep)
    return attn


@pitfall(replaces="head_importance", why="signed gradient, no absolute value: opposite-signed batches cancel")
def signed_importance(attn: MHA, batches: list, loss_fn: Callable) -> torch.Tensor:
    total = torch.zeros(attn.n_heads, dtype=attn.o.weight.dtype)
    for x, y in batches:
        xi = torch.ones(attn.n_heads, dtype=attn.o.weight.dtype, requires_grad=True)
        (grad,) = torch.autograd.grad(loss_fn(attn(x, head_mask=xi), y), xi)
        total += grad
    return total.abs() / len(batches)


@pitfall(replaces="head_importance", why="calls loss.backward(): the importance is right but every parameter is left with a .grad")
def leaves_grads(attn: MHA, batches: list, loss_fn: Callable) -> torch.Tensor:
    total = torch.zeros(attn.n_heads, dtype=attn.o.weight.dtype)
    for x, y in batches:
        xi = torch.ones(attn.n_heads, dtype=attn.o.weight.dtype, requires_grad=True)
        loss_fn(attn(x, head_mask=xi), y).backward()
        total += xi.grad.abs()
    return total / len(batches)


@pitfall(replaces="drop_layers", why="deletes the blocks from the given encoder in place")
def drops_in_place(encoder: Encoder, layers: Iterable[int]) -> Encoder:
    layers = set(layers)
    n = len(encoder.blocks)
    if any(not 0 <= i < n for i in layers):
        raise ValueError("layer index")
    for i in sorted(layers, reverse=True):
        del encoder.blocks[i]
    return encoder

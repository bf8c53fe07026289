"""sys-03-4: FSDP-style parameter sharding with gather-on-use.
Edit this file; `grader check sys-03-4` tests it.

AllGatherShards, gather_layer and fsdp_forward run inside one rank of a torch.distributed process
group (the tests start it for you, gloo backend); use collectives on the default group.
"""
from __future__ import annotations

import math  # noqa: F401 - you will need it

import torch
import torch.distributed as dist  # noqa: F401 - you will need it


def shard_params(weight: torch.Tensor, bias: torch.Tensor, rank: int, world: int) -> torch.Tensor:
    """Rank's shard of one layer: concatenate weight.reshape(-1) and bias, zero-pad to
    world * ceil(numel / world) entries and return the rank-th of the world equal pieces, as a new
    tensor (no memory shared with weight or bias, which are not modified).

    Shapes:
        weight: (out, in); bias: (out,); returns (ceil((out * in + out) / world),)

    Raises:
        ValueError: if world < 1 or rank is not in [0, world).
    """
    raise NotImplementedError("shard_params: flatten, pad, take the rank-th piece")


class AllGatherShards(torch.autograd.Function):
    """forward(shard): all ranks' shards concatenated in rank order (dist.all_gather), the padded flat
    vector. backward(grad): the reduce-scatter of grad, i.e. this rank's piece of the sum of all
    ranks' grads (gloo has no reduce_scatter: all-reduce a copy of grad, then take the own piece;
    the incoming grad is not modified)."""

    @staticmethod
    def forward(ctx: object, shard: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("AllGatherShards.forward")

    @staticmethod
    def backward(ctx: object, grad: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("AllGatherShards.backward")


def gather_layer(shard: torch.Tensor, weight_shape: tuple[int, int], bias_shape: tuple[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """The unsharded (weight, bias) of a layer, rebuilt on every rank from the ranks' shards through
    AllGatherShards (so gradients flow back to the shard): the first out * in entries of the padded
    vector are the weight (row-major), the next out the bias, the rest is padding.

    Shapes:
        shard: (ceil(n / world),); returns weight_shape, bias_shape
    """
    raise NotImplementedError("gather_layer: all-gather, drop padding, reshape")


def fsdp_forward(x: torch.Tensor, shards: list[torch.Tensor], shapes: list[tuple[tuple[int, int], tuple[int]]]) -> torch.Tensor:
    """The network  x -> tanh(x W1^T + b1) -> ... -> x WL^T + bL  (tanh between layers, none after the
    last) with layer l's parameters gathered by gather_layer(shards[l], *shapes[l]) only when layer l
    runs, once, and dropped (del) before the next layer is gathered: at most one layer is ever
    unsharded (under torch.no_grad; with autograd on, autograd itself keeps what backward needs).

    Shapes:
        x: (batch, in_1); shapes[l] = ((out_l, in_l), (out_l,)); returns (batch, out_L)
    """
    raise NotImplementedError("fsdp_forward: gather on use, compute, free")

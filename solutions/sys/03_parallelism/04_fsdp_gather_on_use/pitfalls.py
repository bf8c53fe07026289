"""Plausible wrong versions of FSDP-style sharding that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch
import torch.distributed as dist

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from fsdp import AllGatherShards, gather_layer


@pitfall(replaces="AllGatherShards.backward", why="returns the own piece of the local gradient: the other rank's batch is lost")
def no_reduce(ctx: object, grad: torch.Tensor) -> torch.Tensor:
    size = grad.numel() // dist.get_world_size()
    rank = dist.get_rank()
    return grad[rank * size:(rank + 1) * size].clone()


@pitfall(replaces="AllGatherShards.backward", why="averages the ranks' gradients instead of summing them")
def averaged(ctx: object, grad: torch.Tensor) -> torch.Tensor:
    total = grad.clone()
    dist.all_reduce(total)
    size = total.numel() // dist.get_world_size()
    rank = dist.get_rank()
    return total[rank * size:(rank + 1) * size] / dist.get_world_size()


@pitfall(replaces="fsdp_forward", why="gathers every layer up front: the whole model is unsharded at once")
def gathers_all_first(x: torch.Tensor, shards: list[torch.Tensor], shapes: list[tuple[tuple[int, int], tuple[int]]]) -> torch.Tensor:
    full = [gather_layer(s, *shape) for s, shape in zip(shards, shapes, strict=True)]
    for i, (weight, bias) in enumerate(full):
        x = x @ weight.T + bias
        if i < len(full) - 1:
            x = torch.tanh(x)
    return x


@pitfall(replaces="fsdp_forward", why="never frees: the previous layer's weight is still bound when the next is gathered")
def keeps_previous(x: torch.Tensor, shards: list[torch.Tensor], shapes: list[tuple[tuple[int, int], tuple[int]]]) -> torch.Tensor:
    for i, (shard, shape) in enumerate(zip(shards, shapes, strict=True)):
        weight, bias = gather_layer(shard, *shape)
        x = x @ weight.T + bias
        if i < len(shards) - 1:
            x = torch.tanh(x)
    return x


@pitfall(replaces="fsdp_forward", why="applies tanh after the last layer too")
def tanh_after_last(x: torch.Tensor, shards: list[torch.Tensor], shapes: list[tuple[tuple[int, int], tuple[int]]]) -> torch.Tensor:
    for shard, shape in zip(shards, shapes, strict=True):
        weight, bias = gather_layer(shard, *shape)
        x = torch.tanh(x @ weight.T + bias)
        del weight, bias
    return x


@pitfall(replaces="gather_layer", why="takes the bias from the end of the padded vector: padding is read as bias")
def bias_from_end(shard: torch.Tensor, weight_shape: tuple[int, int], bias_shape: tuple[int]) -> tuple[torch.Tensor, torch.Tensor]:
    full = AllGatherShards.apply(shard)
    n_w, n_b = math.prod(weight_shape), math.prod(bias_shape)
    return full[:n_w].view(weight_shape), full[full.numel() - n_b:].view(bias_shape)


@pitfall(replaces="shard_params", why="floor-sized shards without padding: the last numel % world numbers belong to nobody")
def no_padding(weight: torch.Tensor, bias: torch.Tensor, rank: int, world: int) -> torch.Tensor:
    if world < 1 or not 0 <= rank < world:
        raise ValueError("bad rank")
    flat = torch.cat([weight.detach().reshape(-1), bias.detach().reshape(-1)])
    size = flat.numel() // world
    return flat[rank * size:(rank + 1) * size].clone()


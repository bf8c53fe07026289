"""Reference solution for sys-03-1."""
from __future__ import annotations

import torch
import torch.distributed as dist
import torch.nn.functional as F


def shard_range(n: int, rank: int, world: int) -> tuple[int, int]:
    if world < 1 or not 0 <= rank < world or n % world:
        raise ValueError(f"need world >= 1, 0 <= rank < world and n divisible by world, got {n=}, {rank=}, {world=}")
    size = n // world
    return rank * size, (rank + 1) * size


def column_shard(weight: torch.Tensor, bias: torch.Tensor, rank: int, world: int) -> tuple[torch.Tensor, torch.Tensor]:
    start, stop = shard_range(weight.shape[0], rank, world)
    return weight[start:stop], bias[start:stop]


def row_shard(weight: torch.Tensor, rank: int, world: int) -> torch.Tensor:
    start, stop = shard_range(weight.shape[1], rank, world)
    return weight[:, start:stop]


class CopyToParallel(torch.autograd.Function):
    @staticmethod
    def forward(ctx: object, x: torch.Tensor) -> torch.Tensor:
        return x.view_as(x)

    @staticmethod
    def backward(ctx: object, grad: torch.Tensor) -> torch.Tensor:
        grad = grad.clone()
        dist.all_reduce(grad, op=dist.ReduceOp.SUM)
        return grad


class ReduceFromParallel(torch.autograd.Function):
    @staticmethod
    def forward(ctx: object, x: torch.Tensor) -> torch.Tensor:
        out = x.clone()
        dist.all_reduce(out, op=dist.ReduceOp.SUM)
        return out

    @staticmethod
    def backward(ctx: object, grad: torch.Tensor) -> torch.Tensor:
        return grad


def column_parallel_linear(x: torch.Tensor, w_shard: torch.Tensor, b_shard: torch.Tensor) -> torch.Tensor:
    return F.linear(CopyToParallel.apply(x), w_shard, b_shard)


def row_parallel_linear(x_shard: torch.Tensor, w_shard: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    return ReduceFromParallel.apply(F.linear(x_shard, w_shard)) + bias


def parallel_mlp(x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor,
                 rank: int, world: int) -> torch.Tensor:
    h = F.gelu(column_parallel_linear(x, *column_shard(w1, b1, rank, world)))
    return row_parallel_linear(h, row_shard(w2, rank, world), b2)

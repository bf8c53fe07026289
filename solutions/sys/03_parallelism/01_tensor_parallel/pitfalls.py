"""Plausible wrong versions of the tensor-parallel layers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.distributed as dist
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from tensor_parallel import CopyToParallel, ReduceFromParallel, column_shard, row_shard, shard_range


@pitfall(replaces="CopyToParallel.backward", why="f's backward is the identity too: x.grad holds only this rank's part")
def f_backward_identity(ctx: object, grad: torch.Tensor) -> torch.Tensor:
    return grad


@pitfall(replaces="ReduceFromParallel.backward", why="g's backward all-reduces again: gradients come out world times too big")
def g_backward_reduces(ctx: object, grad: torch.Tensor) -> torch.Tensor:
    grad = grad.clone()
    dist.all_reduce(grad)
    return grad


@pitfall(replaces="ReduceFromParallel.forward", why="averages the partial products (ReduceOp.AVG) instead of summing them")
def g_forward_average(ctx: object, x: torch.Tensor) -> torch.Tensor:
    out = x.clone()
    dist.all_reduce(out, op=dist.ReduceOp.SUM)
    return out / dist.get_world_size()


@pitfall(replaces="row_parallel_linear", why="adds the bias on every rank before the all-reduce: it is counted world times")
def bias_before_reduce(x_shard: torch.Tensor, w_shard: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    return ReduceFromParallel.apply(F.linear(x_shard, w_shard, bias))


@pitfall(replaces="column_shard", why="shards the weight's columns (input features) instead of its rows")
def column_shard_wrong_axis(weight: torch.Tensor, bias: torch.Tensor, rank: int, world: int) -> tuple[torch.Tensor, torch.Tensor]:
    start, stop = shard_range(weight.shape[1], rank, world)
    b0, b1 = shard_range(bias.shape[0], rank, world)
    return weight[:, start:stop], bias[b0:b1]


@pitfall(replaces="shard_range", why="strided ownership (rank, rank + world, ...) squeezed into one range: blocks overlap")
def shard_range_overlapping(n: int, rank: int, world: int) -> tuple[int, int]:
    if world < 1 or not 0 <= rank < world or n % world:
        raise ValueError("bad arguments")
    return rank, rank + n // world


@pitfall(replaces="shard_range", why="never checks divisibility: the last rank silently loses the remainder")
def shard_range_no_check(n: int, rank: int, world: int) -> tuple[int, int]:
    if world < 1 or not 0 <= rank < world:
        raise ValueError("bad arguments")
    return rank * (n // world), (rank + 1) * (n // world)


@pitfall(replaces="parallel_mlp", why="all-reduces after the column-parallel layer as well: the hidden block is summed over ranks")
def mlp_reduces_hidden(x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor,
                       rank: int, world: int) -> torch.Tensor:
    h = ReduceFromParallel.apply(F.linear(CopyToParallel.apply(x), *column_shard(w1, b1, rank, world)))
    return ReduceFromParallel.apply(F.linear(F.gelu(h), row_shard(w2, rank, world))) + b2


@pitfall(replaces="parallel_mlp", why="tanh-approximate GeLU: a different function from the dense model's exact GeLU")
def mlp_tanh_gelu(x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor,
                  rank: int, world: int) -> torch.Tensor:
    h = F.linear(CopyToParallel.apply(x), *column_shard(w1, b1, rank, world))
    return ReduceFromParallel.apply(F.linear(F.gelu(h, approximate="tanh"), row_shard(w2, rank, world))) + b2

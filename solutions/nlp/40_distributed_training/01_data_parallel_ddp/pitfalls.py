"""Plausible wrong data-parallel implementations that the tests must reject."""
from __future__ import annotations

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from grader.pitfalls import pitfall


@pitfall(replaces="shard_indices", why="contiguous blocks (rank r gets [r*k, (r+1)*k)): not DistributedSampler's strided order")
def contiguous(n: int, rank: int, world: int) -> list[int]:
    if n < 1 or world < 1 or not 0 <= rank < world:
        raise ValueError("bad")
    k = -(-n // world)
    idx = list(range(n))
    while len(idx) < k * world:
        idx += idx[:k * world - len(idx)]
    return idx[rank * k:(rank + 1) * k]


@pitfall(replaces="shard_indices", why="no padding: ranks get different numbers of samples when world does not divide n")
def no_padding(n: int, rank: int, world: int) -> list[int]:
    if n < 1 or world < 1 or not 0 <= rank < world:
        raise ValueError("bad")
    return list(range(rank, n, world))


@pitfall(replaces="all_reduce_gradients", why="sums the gradients without dividing by the world size: a world-times larger step")
def sum_only(model: nn.Module) -> None:
    for p in model.parameters():
        if p.grad is not None:
            dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)


@pitfall(replaces="all_reduce_gradients", why="reduces only the weight matrices (p.dim() > 1): the biases drift apart across ranks")
def weights_only(model: nn.Module) -> None:
    world = dist.get_world_size()
    for p in model.parameters():
        if p.grad is not None and p.dim() > 1:
            dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
            p.grad /= world


@pitfall(replaces="all_reduce_gradients", why="averages into a copy (p.grad.clone()) and never writes it back")
def reduces_a_copy(model: nn.Module) -> None:
    world = dist.get_world_size()
    for p in model.parameters():
        if p.grad is not None:
            g = p.grad.clone()
            dist.all_reduce(g, op=dist.ReduceOp.SUM)
            g /= world


@pitfall(replaces="ddp_train", why="never wraps the model in DDP: each rank trains on its own shard and the replicas drift apart")
def no_ddp(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float) -> DistributedDataParallel:
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        F.mse_loss(model(x), y).backward()
        opt.step()
    return model  # type: ignore[return-value]

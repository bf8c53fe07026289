"""Reference solution for nlp-40-1."""
from __future__ import annotations

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel


def shard_indices(n: int, rank: int, world: int) -> list[int]:
    if n < 1 or world < 1 or not 0 <= rank < world:
        raise ValueError(f"need n >= 1, world >= 1 and 0 <= rank < world, got {n=}, {rank=}, {world=}")
    per_rank = -(-n // world)  # ceil(n / world)
    # padding repeats range(n) from its start: slot i of the padded list holds sample i % n
    return [i % n for i in range(rank, per_rank * world, world)]


def all_reduce_gradients(model: nn.Module) -> None:
    world = dist.get_world_size()
    for p in model.parameters():
        if p.grad is not None:
            dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
            p.grad /= world


def ddp_train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float) -> DistributedDataParallel:
    ddp = DistributedDataParallel(model)
    opt = torch.optim.SGD(ddp.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        F.mse_loss(ddp(x), y).backward()
        opt.step()
    return ddp


"""Plausible wrong versions of ZeRO-sharded Adam that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch
import torch.distributed as dist

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from zero import ZeroAdam, flat_padded


def _update(self: ZeroAdam, grads: torch.Tensor, *, bias_correction: bool = True, decoupled: bool = False) -> None:
    flat = flat_padded([p.detach() for p in self.params], self.world * (self.stop - self.start))
    own = flat[self.start:self.stop]
    g = grads[self.start:self.stop] + (0.0 if decoupled else self.weight_decay * own)
    b1, b2 = self.betas
    self.t += 1
    self.m = b1 * self.m + (1 - b1) * g
    self.v = b2 * self.v + (1 - b2) * g * g
    c1, c2 = (1 - b1 ** self.t, 1 - b2 ** self.t) if bias_correction else (1.0, 1.0)
    shard = own - self.lr * (self.m / c1) / ((self.v / c2).sqrt() + self.eps)
    if decoupled:
        shard = shard - self.lr * self.weight_decay * own
    gathered = [torch.empty_like(shard) for _ in range(self.world)]
    dist.all_gather(gathered, shard.contiguous())
    full = torch.cat(gathered)[:self.numel]
    offset = 0
    with torch.no_grad():
        for p in self.params:
            p.copy_(full[offset:offset + p.numel()].view_as(p))
            offset += p.numel()

@pitfall(replaces="ZeroAdam.step", why="sums the ranks' gradients instead of averaging them")
def sums_gradients(self: ZeroAdam) -> None:
    grads = flat_padded([p.grad for p in self.params], self.world * (self.stop - self.start))
    dist.all_reduce(grads)
    _update(self, grads)

@pitfall(replaces="ZeroAdam.step", why="never all-reduces: each rank updates its shard from its own batch only")
def local_gradients(self: ZeroAdam) -> None:
    _update(self, flat_padded([p.grad for p in self.params], self.world * (self.stop - self.start)))

@pitfall(replaces="ZeroAdam.step", why="no bias correction of m and v")
def no_bias_correction(self: ZeroAdam) -> None:
    grads = flat_padded([p.grad for p in self.params], self.world * (self.stop - self.start))
    dist.all_reduce(grads)
    _update(self, grads / self.world, bias_correction=False)

@pitfall(replaces="ZeroAdam.step", why="AdamW's decoupled weight decay instead of Adam's L2 term in the gradient")
def decoupled_decay(self: ZeroAdam) -> None:
    grads = flat_padded([p.grad for p in self.params], self.world * (self.stop - self.start))
    dist.all_reduce(grads)
    _update(self, grads / self.world, decoupled=True)

@pitfall(replaces="shard_bounds", why="floor-sized shards without padding: the last numel % world entries are never updated")
def floor_shards(numel: int, rank: int, world: int) -> tuple[int, int]:
    if numel < 1 or world < 1 or not 0 <= rank < world:
        raise ValueError("bad arguments")
    return rank * (numel // world), (rank + 1) * (numel // world)

@pitfall(replaces="ZeroAdam.state_numel", why="reports (and keeps) moments for every parameter: no memory saved")
def unsharded_state(self: ZeroAdam) -> int:
    return 2 * self.numel

@pitfall(replaces="shard_bounds", why="accepts a rank outside [0, world)")
def no_rank_check(numel: int, rank: int, world: int) -> tuple[int, int]:
    if numel < 1 or world < 1:
        raise ValueError("bad arguments")
    size = math.ceil(numel / world)
    return rank * size, (rank + 1) * size

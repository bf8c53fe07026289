"""Reference solution for sys-03-2."""
from __future__ import annotations

import math

import torch
import torch.distributed as dist


def flat_padded(tensors: list[torch.Tensor], length: int) -> torch.Tensor:
    """Given: the tensors flattened (row-major) and concatenated, then zero-padded to `length` entries."""
    flat = torch.cat([t.reshape(-1) for t in tensors])
    return torch.cat([flat, flat.new_zeros(length - flat.numel())])


def shard_bounds(numel: int, rank: int, world: int) -> tuple[int, int]:
    if numel < 1 or world < 1 or not 0 <= rank < world:
        raise ValueError(f"need numel >= 1, world >= 1 and 0 <= rank < world, got {numel=}, {rank=}, {world=}")
    size = math.ceil(numel / world)
    return rank * size, (rank + 1) * size


class ZeroAdam:
    def __init__(self, params: list[torch.Tensor], rank: int, world: int, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        if lr <= 0 or eps <= 0 or weight_decay < 0 or not all(0 <= b < 1 for b in betas):
            raise ValueError(f"bad hyperparameters: {lr=}, {betas=}, {eps=}, {weight_decay=}")
        self.params = list(params)
        self.rank, self.world = rank, world
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.numel = sum(p.numel() for p in self.params)
        self.start, self.stop = shard_bounds(self.numel, rank, world)
        n = self.stop - self.start
        self.m = torch.zeros(n, dtype=self.params[0].dtype)
        self.v = torch.zeros(n, dtype=self.params[0].dtype)
        self.t = 0

    def state_numel(self) -> int:
        return self.m.numel() + self.v.numel()

    def step(self) -> None:
        with torch.no_grad():
            grads = flat_padded([p.grad for p in self.params], self.world * (self.stop - self.start))
            dist.all_reduce(grads, op=dist.ReduceOp.SUM)
            grads = grads / self.world
            flat = flat_padded([p.detach() for p in self.params], self.world * (self.stop - self.start))
            own = flat[self.start:self.stop]
            g = grads[self.start:self.stop] + self.weight_decay * own
            b1, b2 = self.betas
            self.t += 1
            self.m = b1 * self.m + (1 - b1) * g
            self.v = b2 * self.v + (1 - b2) * g * g
            m_hat = self.m / (1 - b1 ** self.t)
            v_hat = self.v / (1 - b2 ** self.t)
            shard = own - self.lr * m_hat / (v_hat.sqrt() + self.eps)
            gathered = [torch.empty_like(shard) for _ in range(self.world)]
            dist.all_gather(gathered, shard.contiguous())
            full = torch.cat(gathered)[:self.numel]
            offset = 0
            for p in self.params:
                p.copy_(full[offset:offset + p.numel()].view_as(p))
                offset += p.numel()

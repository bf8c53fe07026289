"""Reference solution for nlp-40-3."""
from __future__ import annotations

import torch
import torch.distributed as dist


def plan_buckets(numels: list[int], element_size: int, bucket_bytes: int) -> list[list[int]]:
    if element_size < 1 or bucket_bytes < 1 or any(n < 1 for n in numels):
        raise ValueError(f"need element_size >= 1, bucket_bytes >= 1 and every numel >= 1, got "
                         f"{element_size=}, {bucket_bytes=}, {numels=}")
    buckets: list[list[int]] = []
    current: list[int] = []
    size = 0
    for i in reversed(range(len(numels))):  # backward makes the last layer's gradients first
        current.append(i)
        size += numels[i] * element_size
        if size >= bucket_bytes:
            buckets.append(current)
            current, size = [], 0
    if current:
        buckets.append(current)
    return buckets


def bucketed_all_reduce(grads: list[torch.Tensor], bucket_bytes: int) -> list[list[int]]:
    if not grads:
        return []
    plan = plan_buckets([g.numel() for g in grads], grads[0].element_size(), bucket_bytes)
    world = dist.get_world_size()
    for bucket in plan:
        flat = torch.cat([grads[i].reshape(-1) for i in bucket])
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)
        flat /= world
        offset = 0
        for i in bucket:
            n = grads[i].numel()
            grads[i].copy_(flat[offset:offset + n].view_as(grads[i]))
            offset += n
    return plan

"""Plausible wrong bucketing implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.distributed as dist

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from bucketing import plan_buckets


@pitfall(replaces="plan_buckets", why="fills buckets in forward order: the first bucket waits for the last gradient of backward")
def forward_order(numels: list[int], element_size: int, bucket_bytes: int) -> list[list[int]]:
    if element_size < 1 or bucket_bytes < 1 or any(n < 1 for n in numels):
        raise ValueError("bad")
    buckets, current, size = [], [], 0
    for i in range(len(numels)):
        current.append(i)
        size += numels[i] * element_size
        if size >= bucket_bytes:
            buckets.append(current)
            current, size = [], 0
    return buckets + ([current] if current else [])


@pitfall(replaces="plan_buckets", why="closes a bucket before it would overflow (> bucket_bytes) instead of once it is full (>=)")
def close_before_overflow(numels: list[int], element_size: int, bucket_bytes: int) -> list[list[int]]:
    if element_size < 1 or bucket_bytes < 1 or any(n < 1 for n in numels):
        raise ValueError("bad")
    buckets, current, size = [], [], 0
    for i in reversed(range(len(numels))):
        nbytes = numels[i] * element_size
        if current and size + nbytes > bucket_bytes:
            buckets.append(current)
            current, size = [], 0
        current.append(i)
        size += nbytes
    return buckets + ([current] if current else [])


@pitfall(replaces="plan_buckets", why="counts elements, not bytes: buckets are element_size times too large")
def counts_elements(numels: list[int], element_size: int, bucket_bytes: int) -> list[list[int]]:
    if element_size < 1 or bucket_bytes < 1 or any(n < 1 for n in numels):
        raise ValueError("bad")
    buckets, current, size = [], [], 0
    for i in reversed(range(len(numels))):
        current.append(i)
        size += numels[i]
        if size >= bucket_bytes:
            buckets.append(current)
            current, size = [], 0
    return buckets + ([current] if current else [])


@pitfall(replaces="bucketed_all_reduce", why="plans buckets but still all-reduces tensor by tensor: right values, no saving in calls")
def per_tensor(grads: list[torch.Tensor], bucket_bytes: int) -> list[list[int]]:
    if not grads:
        return []
    plan = plan_buckets([g.numel() for g in grads], grads[0].element_size(), bucket_bytes)
    for g in grads:
        dist.all_reduce(g, op=dist.ReduceOp.SUM)
        g /= dist.get_world_size()
    return plan


@pitfall(replaces="bucketed_all_reduce", why="reduces the flat buffer but never copies it back: the gradients stay local")
def no_copy_back(grads: list[torch.Tensor], bucket_bytes: int) -> list[list[int]]:
    if not grads:
        return []
    plan = plan_buckets([g.numel() for g in grads], grads[0].element_size(), bucket_bytes)
    for bucket in plan:
        flat = torch.cat([grads[i].reshape(-1) for i in bucket])
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)
        flat /= dist.get_world_size()
    return plan


@pitfall(replaces="bucketed_all_reduce", why="copies the slices back in sorted index order while the buffer was built in bucket (reverse) order")
def unpacks_in_wrong_order(grads: list[torch.Tensor], bucket_bytes: int) -> list[list[int]]:
    if not grads:
        return []
    plan = plan_buckets([g.numel() for g in grads], grads[0].element_size(), bucket_bytes)
    for bucket in plan:
        flat = torch.cat([grads[i].reshape(-1) for i in bucket])
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)
        flat /= dist.get_world_size()
        offset = 0
        for i in sorted(bucket):
            n = grads[i].numel()
            grads[i].copy_(flat[offset:offset + n].view_as(grads[i]))
            offset += n
    return plan


@pitfall(replaces="bucketed_all_reduce", why="sums without dividing by the world size: a world-times larger step than DDP's")
def sum_only(grads: list[torch.Tensor], bucket_bytes: int) -> list[list[int]]:
    if not grads:
        return []
    plan = plan_buckets([g.numel() for g in grads], grads[0].element_size(), bucket_bytes)
    for bucket in plan:
        flat = torch.cat([grads[i].reshape(-1) for i in bucket])
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)
        offset = 0
        for i in bucket:
            n = grads[i].numel()
            grads[i].copy_(flat[offset:offset + n].view_as(grads[i]))
            offset += n
    return plan


@pitfall(replaces="bucketed_all_reduce", why="reduces the flat buffer in float64 whatever the gradients' dtype: twice the bytes for float32")
def upcast_buffer(grads: list[torch.Tensor], bucket_bytes: int) -> list[list[int]]:
    if not grads:
        return []
    plan = plan_buckets([g.numel() for g in grads], grads[0].element_size(), bucket_bytes)
    for bucket in plan:
        flat = torch.cat([grads[i].reshape(-1).double() for i in bucket])
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)
        flat /= dist.get_world_size()
        offset = 0
        for i in bucket:
            n = grads[i].numel()
            grads[i].copy_(flat[offset:offset + n].view_as(grads[i]))
            offset += n
    return plan

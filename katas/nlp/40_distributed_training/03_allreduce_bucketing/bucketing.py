"""nlp-40-3: bucketed gradient all-reduce. Edit this file; `grader check nlp-40-3` tests it."""
from __future__ import annotations

import torch
import torch.distributed as dist  # noqa: F401  (you will need it)


def plan_buckets(numels: list[int], element_size: int, bucket_bytes: int) -> list[list[int]]:
    """Group parameter indices into all-reduce buckets, the way DistributedDataParallel fills them.

    Walk the parameters in reverse order (index len(numels) - 1 first: backward produces the last
    layer's gradients first) and add each to the open bucket; close the bucket as soon as it holds
    >= bucket_bytes bytes (numel * element_size summed). A parameter larger than bucket_bytes thus
    closes a bucket on its own; the last bucket may hold fewer bytes. No parameters, no buckets.

    Shapes:
        numels: (P,) element counts; returns a list of buckets, each a non-empty list of indices

    Raises:
        ValueError: if element_size < 1, bucket_bytes < 1 or any numel < 1.
    """
    raise NotImplementedError("plan_buckets: one greedy pass over reversed(range(len(numels)))")


def bucketed_all_reduce(grads: list[torch.Tensor], bucket_bytes: int) -> list[list[int]]:
    """Average `grads` over the ranks of the default process group, in place, one call per bucket.

    Plan the buckets with plan_buckets (element size from the tensors; all share one dtype). For each
    bucket, in plan order: flatten its tensors into one buffer in bucket order (the same dtype),
    call dist.all_reduce on it exactly once (SUM), divide by the world size, and copy the slices
    back into the original tensors. Return the plan. No gradients: no call, returns [].

    Shapes:
        grads: a list of tensors of any shapes, one dtype; updated in place
    """
    raise NotImplementedError("bucketed_all_reduce: torch.cat the flattened bucket, all_reduce, copy back")

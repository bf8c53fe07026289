"""nlp-40-1: data parallelism. Edit this file; `grader check nlp-40-1` tests it."""
from __future__ import annotations

import torch
import torch.distributed as dist  # noqa: F401  (you will need it)
import torch.nn.functional as F  # noqa: F401
from torch import nn
from torch.nn.parallel import DistributedDataParallel


def shard_indices(n: int, rank: int, world: int) -> list[int]:
    """The sample indices rank `rank` of `world` trains on, as DistributedSampler(shuffle=False) gives them.

    Pad range(n) to a multiple of world by repeating its start (wrapping around as often as needed),
    then take every world-th index starting at rank. Every rank gets ceil(n / world) indices.

    Raises:
        ValueError: if n < 1, world < 1 or rank is not in [0, world).
    """
    raise NotImplementedError("shard_indices: pad to a multiple of world, then stride")


def all_reduce_gradients(model: nn.Module) -> None:
    """Average every parameter's .grad over the ranks of the default process group, in place.

    After it, every rank holds the mean of the ranks' gradients, so with equal-size shards and a
    mean loss per rank the step equals one on the concatenated batch. Parameters whose .grad is
    None are skipped (on every rank alike).
    """
    raise NotImplementedError("all_reduce_gradients: dist.all_reduce(SUM) then divide by the world size")


def ddp_train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float) -> DistributedDataParallel:
    """Train with torch's DistributedDataParallel on this rank's shard (x, y) and return the DDP module.

    Wrap the model in DistributedDataParallel, then `steps` times: zero the gradients, take the
    F.mse_loss of the wrapped model on (x, y), backward, and step torch.optim.SGD(lr) (built once,
    over the wrapped model's parameters).

    Shapes:
        x: (b, d_in); y: (b, d_out), this rank's shard
    """
    raise NotImplementedError("ddp_train: wrap, then an ordinary training loop")


"""sys-03-2: ZeRO-style sharded optimizer state (stage 1) for Adam.
Edit this file; `grader check sys-03-2` tests it.

`step` runs inside one rank of a torch.distributed process group (the tests start it for you with the
gloo backend); use collectives on the default group.
"""
from __future__ import annotations

import torch
import torch.distributed as dist  # noqa: F401 - you will need it


def flat_padded(tensors: list[torch.Tensor], length: int) -> torch.Tensor:
    """Given: the tensors flattened (row-major) and concatenated, then zero-padded to `length` entries."""
    flat = torch.cat([t.reshape(-1) for t in tensors])
    return torch.cat([flat, flat.new_zeros(length - flat.numel())])


def shard_bounds(numel: int, rank: int, world: int) -> tuple[int, int]:
    """The range [start, stop) of the flat parameter vector that rank owns. The vector is padded with
    zeros to world * ceil(numel / world) entries and cut into world equal shards, so stop may run
    past numel into the padding (the last rank's shard is then partly padding).

    Raises:
        ValueError: if numel < 1, world < 1 or rank is not in [0, world).
    """
    raise NotImplementedError("shard_bounds: ceil-sized shards of the padded flat vector")


class ZeroAdam:
    """Adam (torch.optim.Adam's update, L2 weight decay added to the gradient) whose state is sharded.

    Every rank holds all parameters (replicated) but the Adam moments m and v only of its own shard
    shard_bounds(numel, rank, world) of the flat, zero-padded concatenation of the parameters (in
    the order given, each flattened row-major). The constructor does no communication and does not
    touch the parameters.

    step(), called on every rank after each rank's own backward pass:
      1. flatten and pad the gradients (every parameter has a .grad) and average them over ranks
         (all_reduce SUM, divide by world): data-parallel training on the union of the ranks' batches;
      2. on the own shard only:  g = grad + weight_decay * param;  t += 1;
         m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
         param -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps);
      3. all_gather the updated shards and write the whole vector back into the parameters in place.

    state_numel() is the number of optimizer-state elements this rank holds (m and v together).

    Raises:
        ValueError: (constructor) if lr <= 0, eps <= 0, weight_decay < 0, or a beta is not in [0, 1).
    """

    def __init__(self, params: list[torch.Tensor], rank: int, world: int, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        raise NotImplementedError("ZeroAdam.__init__: moments for this rank's shard only")

    def state_numel(self) -> int:
        raise NotImplementedError("ZeroAdam.state_numel")

    def step(self) -> None:
        raise NotImplementedError("ZeroAdam.step: average gradients, update own shard, all-gather")

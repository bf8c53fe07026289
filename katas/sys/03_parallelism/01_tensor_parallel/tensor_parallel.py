"""sys-03-1: tensor parallelism, column- and row-parallel linear layers.
Edit this file; `grader check sys-03-1` tests it.

Every function here runs inside one rank of a torch.distributed process group (the tests start it
for you with the gloo backend). Use torch.distributed collectives (`dist.all_reduce`) on the default
group; `rank` and `world` are passed in explicitly.
"""
from __future__ import annotations

import torch
import torch.distributed as dist  # noqa: F401 - you will need it
import torch.nn.functional as F  # noqa: F401 - you will need it


def shard_range(n: int, rank: int, world: int) -> tuple[int, int]:
    """The half-open index range [start, stop) of rank's contiguous shard when n items are split
    evenly over world ranks: rank 0 gets the first n / world, rank 1 the next, ...

    Raises:
        ValueError: if world < 1, rank is not in [0, world), or n is not divisible by world.
    """
    raise NotImplementedError("shard_range: the rank-th of world equal blocks")


def column_shard(weight: torch.Tensor, bias: torch.Tensor, rank: int, world: int) -> tuple[torch.Tensor, torch.Tensor]:
    """This rank's shard of a column-parallel layer: the rows shard_range(out_features, ...) of weight
    (output features; "columns" of W^T) and the same entries of bias. Slices of the inputs (views are
    fine, so gradients flow back to weight and bias); the inputs are not modified.

    Shapes:
        weight: (out_features, in_features); bias: (out_features,)
        returns: (out_features / world, in_features), (out_features / world,)
    """
    raise NotImplementedError("column_shard")


def row_shard(weight: torch.Tensor, rank: int, world: int) -> torch.Tensor:
    """This rank's shard of a row-parallel layer: the columns shard_range(in_features, ...) of weight
    (input features; "rows" of W^T). A slice of weight; weight is not modified.

    Shapes:
        weight: (out_features, in_features); returns: (out_features, in_features / world)
    """
    raise NotImplementedError("row_shard")


class CopyToParallel(torch.autograd.Function):
    """Megatron's `f`: identity in the forward pass; in the backward pass the gradient is summed
    over all ranks (all_reduce SUM), because every rank used the same input for a different part of
    the output. backward returns a new tensor: the incoming gradient is not modified."""

    @staticmethod
    def forward(ctx: object, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("CopyToParallel.forward")

    @staticmethod
    def backward(ctx: object, grad: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("CopyToParallel.backward")


class ReduceFromParallel(torch.autograd.Function):
    """Megatron's `g`: the forward pass sums x over all ranks (all_reduce SUM, on a copy: the input
    is left unchanged); the backward pass is the identity, since every rank's output is the same sum."""

    @staticmethod
    def forward(ctx: object, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("ReduceFromParallel.forward")

    @staticmethod
    def backward(ctx: object, grad: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("ReduceFromParallel.backward")


def column_parallel_linear(x: torch.Tensor, w_shard: torch.Tensor, b_shard: torch.Tensor) -> torch.Tensor:
    """This rank's slice of x W^T + b: CopyToParallel.apply(x) W_shard^T + b_shard.

    Shapes:
        x: (batch, in_features); w_shard: (out / world, in_features); b_shard: (out / world,)
        returns: (batch, out / world), this rank's block of output features
    """
    raise NotImplementedError("column_parallel_linear")


def row_parallel_linear(x_shard: torch.Tensor, w_shard: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """The whole x W^T + b on every rank, from this rank's input features only: the partial products
    x_shard W_shard^T are summed over ranks with ReduceFromParallel, then the (unsharded) bias is
    added once.

    Shapes:
        x_shard: (batch, in / world); w_shard: (out_features, in / world); bias: (out_features,)
        returns: (batch, out_features)
    """
    raise NotImplementedError("row_parallel_linear")


def parallel_mlp(x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor,
                 rank: int, world: int) -> torch.Tensor:
    """The tensor-parallel MLP  gelu(x W1^T + b1) W2^T + b2  of Megatron-LM: the first layer column-
    parallel (column_shard of w1, b1), F.gelu (exact, not tanh) on the local hidden block, the second
    layer row-parallel (row_shard of w2) so the local hidden block is exactly its input shard. One
    all-reduce in the forward pass and one in the backward pass. w1, b1, w2, b2 are the full
    (replicated) parameters; gradients flow back to them through the shards.

    Shapes:
        x: (batch, d); w1: (hidden, d); b1: (hidden,); w2: (d, hidden); b2: (d,); returns (batch, d)
    """
    raise NotImplementedError("parallel_mlp: column-parallel, gelu, row-parallel")

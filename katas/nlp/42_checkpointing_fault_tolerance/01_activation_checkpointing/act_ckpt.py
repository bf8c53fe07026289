"""nlp-42-1: activation checkpointing. Edit this file; `grader check nlp-42-1` tests it."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import nn


class Checkpoint(torch.autograd.Function):
    """y = fn(x), keeping only x for backward; fn's intermediate activations are recomputed there.

    forward(ctx, fn, x): remember fn and the CPU RNG state (torch.get_rng_state()), save x with
        ctx.save_for_backward, and return fn(x) computed under torch.no_grad() (so no activation of
        fn is stored).
    backward(ctx, grad_out): recompute fn on a detached copy of x that requires grad, with grad
        enabled and the RNG state of forward restored (so dropout draws the same masks), inside
        torch.random.fork_rng so the caller's RNG stream is left as it was; backpropagate grad_out
        through the recomputation (this accumulates fn's parameter gradients) and return
        (None, dL/dx).
    """

    @staticmethod
    def forward(ctx: Any, fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Checkpoint.forward: save x and the RNG state, run fn without grad")

    @staticmethod
    def backward(ctx: Any, grad_out: torch.Tensor) -> tuple[None, torch.Tensor]:
        raise NotImplementedError("Checkpoint.backward: replay the RNG, recompute fn with grad, backprop")


def checkpoint(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """fn(x) through `Checkpoint`: the same value and gradients, only x saved for backward.

    Shapes:
        x: any shape, requires grad; returns: fn(x)'s shape
    """
    raise NotImplementedError("checkpoint: apply the Checkpoint function")


def checkpoint_sequential(blocks: Sequence[nn.Module], x: torch.Tensor, segments: int) -> torch.Tensor:
    """Run blocks in order, checkpointing all but the last of `segments` segments.

    Same split as torch.utils.checkpoint.checkpoint_sequential: with s = len(blocks) // segments,
    segment i < segments - 1 is blocks[i*s : (i+1)*s] run through `checkpoint`; the last segment is
    blocks[(segments-1)*s :] (it also takes the remainder) run normally, since backward needs its
    activations at once. So a checkpointed block runs forward twice per training step, a block of
    the last segment once.

    Shapes:
        x: (batch, ...) requiring grad; returns: the output of the last block

    Raises:
        ValueError: if segments < 1 or segments > len(blocks).
    """
    raise NotImplementedError("checkpoint_sequential: split into segments, checkpoint all but the last")

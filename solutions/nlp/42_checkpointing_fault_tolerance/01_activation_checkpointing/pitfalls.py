"""Plausible wrong versions of activation checkpointing that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from act_ckpt import checkpoint


@pitfall(replaces="Checkpoint.backward", why="recomputes without replaying the RNG: dropout draws new masks, "
         "so the gradients belong to a different forward pass")
def no_rng_replay(ctx: Any, grad_out: torch.Tensor) -> tuple[None, torch.Tensor]:
    (x,) = ctx.saved_tensors
    x = x.detach().requires_grad_(True)
    with torch.enable_grad():
        out = ctx.fn(x)
    torch.autograd.backward(out, grad_out)
    return None, x.grad


@pitfall(replaces="Checkpoint.backward", why="restores the forward RNG state without fork_rng: the caller's "
         "random stream is rewound and the next dropout masks repeat")
def rng_not_forked(ctx: Any, grad_out: torch.Tensor) -> tuple[None, torch.Tensor]:
    (x,) = ctx.saved_tensors
    x = x.detach().requires_grad_(True)
    torch.set_rng_state(ctx.rng_state)
    with torch.enable_grad():
        out = ctx.fn(x)
    torch.autograd.backward(out, grad_out)
    return None, x.grad


@pitfall(replaces="Checkpoint.forward", why="runs fn with grad enabled inside forward: every activation is "
         "stored anyway, so nothing is saved")
def forward_with_grad(ctx: Any, fn: Callable, x: torch.Tensor) -> torch.Tensor:
    ctx.fn = fn
    ctx.rng_state = torch.get_rng_state()
    ctx.save_for_backward(x)
    xd = x.detach().requires_grad_(True)
    with torch.enable_grad():
        ctx.out = fn(xd)
        ctx.xd = xd
    return ctx.out.detach()


@pitfall(replaces="Checkpoint.backward", why="returns grad_out as the input gradient: backprops through the "
         "recomputation for the parameters but forgets dL/dx")
def passes_grad_through(ctx: Any, grad_out: torch.Tensor) -> tuple[None, torch.Tensor]:
    (x,) = ctx.saved_tensors
    x = x.detach().requires_grad_(True)
    with torch.random.fork_rng(devices=[]):
        torch.set_rng_state(ctx.rng_state)
        with torch.enable_grad():
            out = ctx.fn(x)
    torch.autograd.backward(out, grad_out)
    return None, grad_out


@pitfall(replaces="checkpoint_sequential", why="checkpoints every segment including the last: correct gradients "
         "but the last segment is recomputed for nothing (one extra forward per block)")
def checkpoints_last_too(blocks: Sequence[nn.Module], x: torch.Tensor, segments: int) -> torch.Tensor:
    blocks = list(blocks)
    if segments < 1 or segments > len(blocks):
        raise ValueError("segments")
    size = len(blocks) // segments

    def run(part: list[nn.Module]) -> Callable[[torch.Tensor], torch.Tensor]:
        def forward(h: torch.Tensor) -> torch.Tensor:
            for block in part:
                h = block(h)
            return h
        return forward

    for i in range(segments - 1):
        x = checkpoint(run(blocks[i * size:(i + 1) * size]), x)
    return checkpoint(run(blocks[(segments - 1) * size:]), x)


@pitfall(replaces="checkpoint_sequential", why="segments of ceil(len/segments) blocks: a different split from "
         "torch's, so other blocks are recomputed")
def ceil_segments(blocks: Sequence[nn.Module], x: torch.Tensor, segments: int) -> torch.Tensor:
    blocks = list(blocks)
    if segments < 1 or segments > len(blocks):
        raise ValueError("segments")
    size = -(-len(blocks) // segments)

    def run(part: list[nn.Module]) -> Callable[[torch.Tensor], torch.Tensor]:
        def forward(h: torch.Tensor) -> torch.Tensor:
            for block in part:
                h = block(h)
            return h
        return forward

    for i in range(segments - 1):
        part = blocks[i * size:(i + 1) * size]
        if part:
            x = checkpoint(run(part), x)
    return run(blocks[(segments - 1) * size:])(x)

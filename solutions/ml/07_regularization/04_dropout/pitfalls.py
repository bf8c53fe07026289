"""Plausible wrong versions of dropout that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dropout import Dropout, apply_dropout, dropout, dropout_mask


@pitfall(replaces="dropout_mask", why="treats p as the keep probability: keeps where rand < p")
def p_is_keep_probability(shape: tuple[int, ...], p: float, generator: torch.Generator | None = None) -> torch.Tensor:
    return torch.rand(shape, generator=generator) < p


@pitfall(replaces="apply_dropout", why="plain (non-inverted) dropout: no 1/(1-p) at training time")
def not_inverted(x: torch.Tensor, keep: torch.Tensor, p: float) -> torch.Tensor:
    return x * keep.to(x.dtype)


@pitfall(replaces="apply_dropout", why="scales the survivors by (1 - p) instead of 1 / (1 - p)")
def times_keep_probability(x: torch.Tensor, keep: torch.Tensor, p: float) -> torch.Tensor:
    return x * keep.to(x.dtype) * (1.0 - p)


@pitfall(replaces="apply_dropout", why="divides by 1 - p even for p = 1: 0 * inf = NaN")
def nan_at_p_one(x: torch.Tensor, keep: torch.Tensor, p: float) -> torch.Tensor:
    scale = torch.tensor(1.0, dtype=x.dtype) / torch.tensor(1.0 - p, dtype=x.dtype)
    return x * keep.to(x.dtype) * scale


@pitfall(replaces="dropout", why="ignores the training flag: still drops units at evaluation time")
def always_on(x: torch.Tensor, p: float, training: bool, generator: torch.Generator | None = None) -> torch.Tensor:
    if not 0.0 <= p <= 1.0:
        raise ValueError("bad p")
    return x if p == 0.0 else apply_dropout(x, dropout_mask(tuple(x.shape), p, generator), p)


@pitfall(replaces="dropout", why="scales by (1 - p) at evaluation time as well (mixes classic and inverted dropout)")
def eval_scaled(x: torch.Tensor, p: float, training: bool, generator: torch.Generator | None = None) -> torch.Tensor:
    if not 0.0 <= p <= 1.0:
        raise ValueError("bad p")
    if not training:
        return x * (1.0 - p)
    return x if p == 0.0 else apply_dropout(x, dropout_mask(tuple(x.shape), p, generator), p)


@pitfall(replaces="Dropout.forward", why="the module always passes training=True, so eval() changes nothing")
def module_ignores_eval(self: Dropout, x: torch.Tensor) -> torch.Tensor:
    return dropout(x, self.p, True, self.generator)


@pitfall(replaces="apply_dropout", why="in place: x.mul_(keep).div_(1 - p) zeroes and rescales the caller's tensor")
def apply_dropout_in_place(x: torch.Tensor, keep: torch.Tensor, p: float) -> torch.Tensor:
    if p >= 1.0:
        return x.zero_()
    return x.mul_(keep.to(x.dtype)).div_(1.0 - p)


@pitfall(replaces="dropout", why="works in float32 (x.float()) whatever the input: float64 activations come back float32")
def dropout_casts_to_float32(x: torch.Tensor, p: float, training: bool,
                             generator: torch.Generator | None = None) -> torch.Tensor:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    return apply_dropout(x.float(), dropout_mask(tuple(x.shape), p, generator), p)

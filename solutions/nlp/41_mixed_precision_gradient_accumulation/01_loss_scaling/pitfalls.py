"""Plausible wrong loss scalers that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from loss_scaling import LossScaler


@pitfall(replaces="LossScaler.step", why="steps even when a gradient is inf/NaN: one overflow poisons the weights")
def steps_on_overflow(self: LossScaler, optimizer: torch.optim.Optimizer) -> bool:
    if not self._unscaled:
        self.unscale_(optimizer)
    optimizer.step()
    return not self._found_inf


@pitfall(replaces="LossScaler.update", why="backs off after an overflow but keeps counting clean steps: grows again too early")
def no_tracker_reset(self: LossScaler) -> None:
    if self._found_inf:
        self._scale *= self.backoff_factor
    else:
        self._tracker += 1
        if self._tracker >= self.growth_interval:
            self._scale *= self.growth_factor
            self._tracker = 0
    self._unscaled = False
    self._found_inf = False


@pitfall(replaces="LossScaler.unscale_", why="checks torch.isinf only: a NaN gradient is not an overflow to it")
def isinf_only(self: LossScaler, optimizer: torch.optim.Optimizer) -> None:
    if self._unscaled:
        raise RuntimeError("unscale_ twice")
    found = False
    for group in optimizer.param_groups:
        for p in group["params"]:
            if p.grad is not None:
                p.grad.mul_(1.0 / self._scale)
                found = found or bool(torch.isinf(p.grad).any())
    self._found_inf = found
    self._unscaled = True


@pitfall(replaces="LossScaler.step", why="always unscales in step: after an explicit unscale_ (for clipping) the gradients are divided twice")
def unscales_twice(self: LossScaler, optimizer: torch.optim.Optimizer) -> bool:
    self._unscaled = False
    self.unscale_(optimizer)
    if self._found_inf:
        return False
    optimizer.step()
    return True


@pitfall(replaces="LossScaler.step", why="checks for overflow but never unscales: the optimizer steps with gradients `scale` times too large")
def never_unscales(self: LossScaler, optimizer: torch.optim.Optimizer) -> bool:
    found = any(not bool(torch.isfinite(p.grad).all()) for g in optimizer.param_groups for p in g["params"]
                if p.grad is not None)
    if not self._unscaled:
        self._found_inf = found
    if self._found_inf:
        return False
    optimizer.step()
    return True


@pitfall(replaces="LossScaler.update", why="grows when the clean-step count exceeds growth_interval: one step late")
def grows_late(self: LossScaler) -> None:
    if self._found_inf:
        self._scale *= self.backoff_factor
        self._tracker = 0
    else:
        self._tracker += 1
        if self._tracker > self.growth_interval:
            self._scale *= self.growth_factor
            self._tracker = 0
    self._unscaled = False
    self._found_inf = False


@pitfall(replaces="mixed_precision_step", why="no autocast: the forward pass runs in float32, not in the low-precision dtype")
def no_autocast(model: nn.Module, loss_fn: Callable, x: torch.Tensor, y: torch.Tensor,
                optimizer: torch.optim.Optimizer, scaler: LossScaler, dtype: torch.dtype) -> float:
    if dtype not in (torch.float16, torch.bfloat16):
        raise ValueError("dtype")
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()


@pitfall(replaces="mixed_precision_step", why="backpropagates the unscaled loss: unscale_ then shrinks every gradient by the scale")
def backward_unscaled(model: nn.Module, loss_fn: Callable, x: torch.Tensor, y: torch.Tensor,
                      optimizer: torch.optim.Optimizer, scaler: LossScaler, dtype: torch.dtype) -> float:
    if dtype not in (torch.float16, torch.bfloat16):
        raise ValueError("dtype")
    optimizer.zero_grad()
    with torch.autocast("cpu", dtype=dtype):
        loss = loss_fn(model(x), y)
    loss.backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()

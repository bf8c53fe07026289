"""nlp-41-1: FP16/BF16 training with dynamic loss scaling. Edit this file; `grader check nlp-41-1` tests it."""
from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


class LossScaler:
    """Dynamic loss scaling with torch.amp.GradScaler's semantics, for one optimizer.

    - scale(loss): loss times the current scale, same dtype as loss, loss unchanged.
    - unscale_(optimizer): multiply every existing .grad of the optimizer's parameters in place by
      1/scale and remember whether any gradient element is inf or NaN. Calling it a second time
      before update() raises RuntimeError.
    - step(optimizer) -> bool: unscale_ first unless it was already called this step; then, if an
      inf/NaN was found, skip optimizer.step() and return False, else call it and return True.
    - update(): after an overflow, scale *= backoff_factor and the count of clean steps restarts at 0;
      after a clean step the count grows by one, and when it reaches growth_interval the scale is
      multiplied by growth_factor and the count restarts at 0. Clears the per-step state.
    - get_scale() -> float: the current scale.

    Raises (from __init__):
        ValueError: if init_scale <= 0, growth_factor <= 1, backoff_factor not strictly between 0
            and 1, or growth_interval < 1.
    """

    def __init__(self, init_scale: float = 2.0 ** 16, growth_factor: float = 2.0, backoff_factor: float = 0.5,
                 growth_interval: int = 2000) -> None:
        raise NotImplementedError("LossScaler.__init__: validate and store the hyperparameters and state")

    def scale(self, loss: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("LossScaler.scale")

    def unscale_(self, optimizer: torch.optim.Optimizer) -> None:
        raise NotImplementedError("LossScaler.unscale_")

    def step(self, optimizer: torch.optim.Optimizer) -> bool:
        raise NotImplementedError("LossScaler.step")

    def update(self) -> None:
        raise NotImplementedError("LossScaler.update")

    def get_scale(self) -> float:
        raise NotImplementedError("LossScaler.get_scale")


def mixed_precision_step(model: nn.Module, loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                         x: torch.Tensor, y: torch.Tensor, optimizer: torch.optim.Optimizer,
                         scaler: LossScaler, dtype: torch.dtype) -> float:
    """One mixed-precision training step on the CPU.

    zero the gradients; run the forward pass and the loss under torch.autocast("cpu", dtype=dtype)
    (the parameters stay float32: autocast runs matmuls in `dtype`); backward the SCALED loss;
    scaler.step(optimizer); scaler.update(). Returns the unscaled loss as a Python float.

    Shapes:
        x: (batch, d_in) float32; y: whatever loss_fn expects

    Raises:
        ValueError: if dtype is not torch.float16 or torch.bfloat16.
    """
    raise NotImplementedError("mixed_precision_step: autocast forward, scaled backward, scaler.step, update")

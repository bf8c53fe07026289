"""nlp-41-2: gradient accumulation. Edit this file; `grader check nlp-41-2` tests it."""
from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


def accumulation_step(model: nn.Module, optimizer: torch.optim.Optimizer,
                      loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                      inputs: torch.Tensor, targets: torch.Tensor, micro_batch_size: int) -> float:
    """One optimizer step on the whole batch, computed in micro-batches of at most `micro_batch_size` rows.

    `loss_fn(outputs, targets)` returns the MEAN loss over the rows it is given. The step must equal
    (up to rounding) `optimizer.zero_grad(); loss_fn(model(inputs), targets).backward(); optimizer.step()`
    on the full batch, while no forward pass sees more than `micro_batch_size` rows:

    - gradients left over from before the call are discarded (zeroed once, at the start);
    - micro-batch j holds rows [j*m, (j+1)*m) (m = micro_batch_size); the last one may be shorter;
    - each micro-batch's mean loss is weighted by its share of the rows, n_j / N, before backward;
    - `optimizer.step()` is called exactly once, after the last micro-batch.

    `inputs` and `targets` are not modified.

    Shapes:
        inputs: (N, ...) with N >= 1; targets: (N, ...) matching what loss_fn expects
        returns: the full-batch mean loss as a Python float (sum_j n_j/N * loss_j)

    Raises:
        ValueError: if micro_batch_size < 1.
    """
    raise NotImplementedError("accumulation_step: loop over micro-batches, weight each loss, step once")

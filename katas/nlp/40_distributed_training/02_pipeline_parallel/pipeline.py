"""nlp-40-2: pipeline parallelism. Edit this file; `grader check nlp-40-2` tests it."""
from __future__ import annotations

import torch
import torch.distributed as dist  # noqa: F401  (you will need it)
import torch.nn.functional as F  # noqa: F401
from torch import nn


def split_stages(n_layers: int, world: int) -> list[range]:
    """Contiguous layer ranges, one per stage, as balanced as np.array_split makes them
    (the first n_layers % world stages get one layer more).

    Raises:
        ValueError: if world < 1 or n_layers < world (a stage would be empty).
    """
    raise NotImplementedError("split_stages")


def bubble_fraction(n_stages: int, n_micro: int) -> float:
    """Idle fraction of a GPipe schedule: (S - 1) / (M + S - 1) for S stages and M micro-batches."""
    raise NotImplementedError("bubble_fraction")


def pipeline_step(stage: nn.Module, micro_inputs: list[torch.Tensor] | None,
                  micro_targets: list[torch.Tensor] | None, n_micro: int,
                  act_shape: tuple[int, ...]) -> float | None:
    """Forward and backward of one batch through a pipeline of stages, GPipe schedule.

    This process is stage `rank` of the default group (rank 0 first). All forward passes, then all
    backward passes, micro-batch by micro-batch in order 0 .. n_micro - 1:
    - forward: stage 0 reads micro_inputs[j]; every other stage receives its input from rank - 1
      (dist.recv into a tensor of act_shape, the dtype of the stage's parameters); every stage but
      the last sends its output to rank + 1.
    - backward: the last stage backpropagates F.mse_loss(output_j, micro_targets[j]) / n_micro;
      every other stage receives the gradient of its output from rank + 1 and backpropagates it;
      every stage but the first sends the gradient of its input to rank - 1.
    Gradients accumulate in the stage's parameters (.grad), so they equal the unsplit model's
    gradients of the mean loss over the whole batch.

    Shapes:
        micro_inputs (rank 0 only, else None): n_micro tensors of act_shape
        micro_targets (last rank only, else None): n_micro tensors of act_shape
        returns: on the last rank the batch loss (mean over all micro-batches) as a float, else None
    """
    raise NotImplementedError("pipeline_step: forward all micro-batches, then backward them all")

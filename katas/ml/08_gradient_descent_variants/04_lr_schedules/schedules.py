"""ml-08-4: learning-rate schedules. Edit this file; `grader check ml-08-4` tests it.

Every function returns the learning rate (a Python float) that the optimizer uses during `epoch`
(0-based: epoch 0 is before the scheduler has stepped), for an optimizer created with lr = base_lr.
"""
from __future__ import annotations

import math  # noqa: F401  (you will need it)


def step_lr(base_lr: float, epoch: int, step_size: int, gamma: float = 0.1) -> float:
    """StepLR: multiply by gamma every step_size epochs.

    lr = base_lr * gamma ** floor(epoch / step_size)

    Raises:
        ValueError: if step_size < 1.
    """
    raise NotImplementedError("step_lr")


def cosine_annealing_lr(base_lr: float, epoch: int, T_max: int, eta_min: float = 0.0) -> float:
    """CosineAnnealingLR: half a cosine from base_lr (epoch 0) down to eta_min (epoch T_max).

    lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2, for every epoch >= 0
    (past T_max the cosine simply continues, back up to base_lr at 2 * T_max).

    Raises:
        ValueError: if T_max < 1.
    """
    raise NotImplementedError("cosine_annealing_lr")


def cosine_warm_restarts_lr(base_lr: float, epoch: int, T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> float:
    """CosineAnnealingWarmRestarts (SGDR): cosine cycles, the i-th one T_0 * T_mult**i epochs long.

    Within a cycle of length T_i, at T_cur epochs since its start:
    lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2.
    The first cycle starts at epoch 0; each next cycle starts where the previous one ends.

    Raises:
        ValueError: if T_0 < 1 or T_mult < 1.
    """
    raise NotImplementedError("cosine_warm_restarts_lr")


def linear_lr(base_lr: float, epoch: int, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
              total_iters: int = 5) -> float:
    """LinearLR (linear warm-up): the factor moves linearly from start_factor (epoch 0) to end_factor
    (epoch total_iters) and stays there.

    lr = base_lr * (start_factor + (end_factor - start_factor) * min(epoch, total_iters) / total_iters)

    Raises:
        ValueError: if total_iters < 1.
    """
    raise NotImplementedError("linear_lr")


def warmup_cosine_lr(base_lr: float, epoch: int, warmup_epochs: int, T_max: int, start_factor: float = 0.1,
                     eta_min: float = 0.0) -> float:
    """Linear warm-up for warmup_epochs epochs, then cosine annealing: what
    SequentialLR([LinearLR(start_factor, end_factor=1.0, total_iters=warmup_epochs),
    CosineAnnealingLR(T_max, eta_min)], milestones=[warmup_epochs]) gives.

    Epochs before the milestone follow linear_lr; from the milestone on the cosine runs with its own
    clock, which starts at 0 at epoch warmup_epochs.
    """
    raise NotImplementedError("warmup_cosine_lr")

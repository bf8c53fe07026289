"""Reference solution for ml-08-4."""
from __future__ import annotations

import math


def step_lr(base_lr: float, epoch: int, step_size: int, gamma: float = 0.1) -> float:
    if step_size < 1:
        raise ValueError(f"step_size must be >= 1, got {step_size}")
    return base_lr * gamma ** (epoch // step_size)


def cosine_annealing_lr(base_lr: float, epoch: int, T_max: int, eta_min: float = 0.0) -> float:
    if T_max < 1:
        raise ValueError(f"T_max must be >= 1, got {T_max}")
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * epoch / T_max)) / 2


def cosine_warm_restarts_lr(base_lr: float, epoch: int, T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> float:
    if T_0 < 1 or T_mult < 1:
        raise ValueError(f"T_0 and T_mult must be >= 1, got {T_0=}, {T_mult=}")
    t_cur, t_i = epoch, T_0
    while t_cur >= t_i:  # integer arithmetic: no log() rounding at the restart boundaries
        t_cur -= t_i
        t_i *= T_mult
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2


def linear_lr(base_lr: float, epoch: int, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
              total_iters: int = 5) -> float:
    if total_iters < 1:
        raise ValueError(f"total_iters must be >= 1, got {total_iters}")
    t = min(epoch, total_iters)
    return base_lr * (start_factor + (end_factor - start_factor) * t / total_iters)


def warmup_cosine_lr(base_lr: float, epoch: int, warmup_epochs: int, T_max: int, start_factor: float = 0.1,
                     eta_min: float = 0.0) -> float:
    if epoch < warmup_epochs:
        return linear_lr(base_lr, epoch, start_factor, 1.0, warmup_epochs)
    return cosine_annealing_lr(base_lr, epoch - warmup_epochs, T_max, eta_min)

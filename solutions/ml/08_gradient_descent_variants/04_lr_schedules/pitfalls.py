"""Plausible wrong learning-rate schedules that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from schedules import cosine_annealing_lr, linear_lr


@pitfall(replaces="step_lr", why="decays continuously: gamma ** (epoch / step_size) instead of epoch // step_size")
def step_lr_continuous(base_lr: float, epoch: int, step_size: int, gamma: float = 0.1) -> float:
    if step_size < 1:
        raise ValueError("bad step_size")
    return base_lr * gamma ** (epoch / step_size)


@pitfall(replaces="cosine_annealing_lr", why="forgets eta_min: anneals from base_lr to 0")
def cosine_without_eta_min(base_lr: float, epoch: int, T_max: int, eta_min: float = 0.0) -> float:
    if T_max < 1:
        raise ValueError("bad T_max")
    return base_lr * (1 + math.cos(math.pi * epoch / T_max)) / 2


@pitfall(replaces="cosine_annealing_lr", why="off by one: the cosine reaches its minimum at T_max - 1")
def cosine_off_by_one(base_lr: float, epoch: int, T_max: int, eta_min: float = 0.0) -> float:
    if T_max < 1:
        raise ValueError("bad T_max")
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * epoch / max(T_max - 1, 1))) / 2


@pitfall(replaces="cosine_warm_restarts_lr", why="finds the cycle with floor(log(...)), which rounds wrong at restarts")
def warm_restarts_by_log(base_lr: float, epoch: int, T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> float:
    if T_0 < 1 or T_mult < 1:
        raise ValueError("bad T_0 / T_mult")
    if T_mult == 1:
        t_cur, t_i = epoch % T_0, T_0
    else:
        n = int(math.log(epoch / T_0 * (T_mult - 1) + 1, T_mult))
        t_cur = epoch - T_0 * (T_mult**n - 1) / (T_mult - 1)
        t_i = T_0 * T_mult**n
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2


@pitfall(replaces="cosine_warm_restarts_lr", why="ignores T_mult: every cycle lasts T_0 epochs")
def warm_restarts_fixed_period(base_lr: float, epoch: int, T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> float:
    if T_0 < 1 or T_mult < 1:
        raise ValueError("bad T_0 / T_mult")
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * (epoch % T_0) / T_0)) / 2


@pitfall(replaces="linear_lr", why="keeps interpolating after total_iters instead of holding end_factor")
def linear_not_clamped(base_lr: float, epoch: int, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                       total_iters: int = 5) -> float:
    if total_iters < 1:
        raise ValueError("bad total_iters")
    return base_lr * (start_factor + (end_factor - start_factor) * epoch / total_iters)


@pitfall(replaces="warmup_cosine_lr", why="the cosine phase uses the global epoch instead of restarting at the milestone")
def cosine_not_shifted(base_lr: float, epoch: int, warmup_epochs: int, T_max: int, start_factor: float = 0.1,
                       eta_min: float = 0.0) -> float:
    if epoch < warmup_epochs:
        return linear_lr(base_lr, epoch, start_factor, 1.0, warmup_epochs)
    return cosine_annealing_lr(base_lr, epoch, T_max, eta_min)

"""arch-03-1: DDPM forward noising and noise schedules. Edit this file; `grader check arch-03-1` tests it."""
from __future__ import annotations

import math  # noqa: F401  (math.pi)

import torch


def linear_betas(num_steps: int, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    """DDPM's linear schedule: num_steps values evenly spaced from beta_start to beta_end (both included).

    Shapes:
        returns: float64 (num_steps,)

    Raises:
        ValueError: if num_steps < 1.
    """
    raise NotImplementedError("linear_betas")


def cosine_betas(num_steps: int, s: float = 0.008, max_beta: float = 0.999) -> torch.Tensor:
    """Nichol & Dhariwal's cosine schedule.

    f(t) = cos(((t / T) + s) / (1 + s) * pi / 2) ** 2 for t = 0..T, alpha_bar(t) = f(t) / f(0), and
    beta_t = min(1 - alpha_bar(t) / alpha_bar(t - 1), max_beta) for t = 1..T (returned at index t - 1).

    Shapes:
        returns: float64 (num_steps,)

    Raises:
        ValueError: if num_steps < 1.
    """
    raise NotImplementedError("cosine_betas")


def alpha_bars(betas: torch.Tensor) -> torch.Tensor:
    """alpha_bar[t] = prod_{s <= t} (1 - betas[s]).

    Shapes:
        betas: (T,)     returns: (T,), same dtype
    """
    raise NotImplementedError("alpha_bars")


def q_sample(x0: torch.Tensor, t: torch.Tensor, alpha_bar: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    """Sample q(x_t | x_0) in one shot: sqrt(alpha_bar[t]) * x0 + sqrt(1 - alpha_bar[t]) * noise.

    t holds one timestep index per example (0-based, index into alpha_bar), broadcast over the
    example's remaining axes.

    Shapes:
        x0, noise: (B, ...)     t: int64 (B,)     alpha_bar: (T,)
        returns: (B, ...), same dtype as x0

    Raises:
        ValueError: if any t is outside [0, T).
    """
    raise NotImplementedError("q_sample")

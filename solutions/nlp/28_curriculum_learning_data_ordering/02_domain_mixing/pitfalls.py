"""Plausible wrong mixing code that the tests must reject."""
from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="temperature_mix", why="raises sizes to the power T instead of 1/T: a high temperature sharpens the mix")
def power_t(sizes: Sequence[int], temperature: float) -> torch.Tensor:
    if len(sizes) == 0 or min(sizes) < 1 or temperature <= 0:
        raise ValueError("bad arguments")
    return torch.softmax(torch.log(torch.tensor(list(sizes), dtype=torch.float64)) * temperature, dim=0)


@pitfall(replaces="temperature_mix", why="softmax of size / T: treats sizes as logits instead of log-sizes")
def softmax_of_sizes(sizes: Sequence[int], temperature: float) -> torch.Tensor:
    if len(sizes) == 0 or min(sizes) < 1 or temperature <= 0:
        raise ValueError("bad arguments")
    return torch.softmax(torch.tensor(list(sizes), dtype=torch.float64) / temperature, dim=0)


@pitfall(replaces="scheduled_mix", why="never clips: past total_steps the weights overshoot end (and can go negative)")
def unclipped(step: int, total_steps: int, start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    if total_steps < 1 or step < 0 or start.shape != end.shape:
        raise ValueError("bad schedule")
    a = step / total_steps
    return (1 - a) * start.double() + a * end.double()


@pitfall(replaces="scheduled_mix", why="interpolates in place into start: the caller's start weights change")
def in_place(step: int, total_steps: int, start: torch.Tensor, end: torch.Tensor) -> torch.Tensor:
    if total_steps < 1 or step < 0 or start.shape != end.shape:
        raise ValueError("bad schedule")
    a = min(step / total_steps, 1.0)
    return start.mul_(1 - a).add_(a * end)


@pitfall(replaces="sample_domains", why="draws from the global torch RNG instead of the generator it was given")
def global_rng(weights: torch.Tensor, batch_size: int, generator: torch.Generator) -> torch.Tensor:
    return torch.multinomial(weights, batch_size, replacement=True)


@pitfall(replaces="DomainLossTracker.update", why="starts every EMA at 0 instead of the first observation: early values are biased low")
def ema_from_zero(self: object, losses: torch.Tensor, domains: torch.Tensor) -> None:
    losses = losses.detach().double()
    for k in range(self.n_domains):
        mask = domains == k
        n = int(mask.sum())
        if n == 0:
            continue
        prev = 0.0 if self._count[k] == 0 else self._ema[k]
        self._ema[k] = self.beta * prev + (1 - self.beta) * losses[mask].mean()
        self._sum[k] += losses[mask].sum()
        self._count[k] += n


@pitfall(replaces="DomainLossTracker.update", why="running mean of batch means: a batch with one example of a domain counts as much as one with ten")
def mean_of_batch_means(self: object, losses: torch.Tensor, domains: torch.Tensor) -> None:
    losses = losses.detach().double()
    for k in range(self.n_domains):
        mask = domains == k
        n = int(mask.sum())
        if n == 0:
            continue
        m = losses[mask].mean()
        self._ema[k] = m if self._count[k] == 0 else self.beta * self._ema[k] + (1 - self.beta) * m
        self._sum[k] += m
        self._count[k] += 1


@pitfall(replaces="DomainLossTracker.update", why="decays the EMA of domains absent from the batch towards their (missing) loss")
def decays_absent(self: object, losses: torch.Tensor, domains: torch.Tensor) -> None:
    losses = losses.detach().double()
    for k in range(self.n_domains):
        mask = domains == k
        n = int(mask.sum())
        if n == 0:
            if not math.isnan(self._ema[k]):
                self._ema[k] = self.beta * self._ema[k]
            continue
        m = losses[mask].mean()
        self._ema[k] = m if self._count[k] == 0 else self.beta * self._ema[k] + (1 - self.beta) * m
        self._sum[k] += losses[mask].sum()
        self._count[k] += n


@pitfall(replaces="DomainLossTracker.update", why="beta and 1 - beta swapped: the EMA follows the newest batch almost entirely")
def beta_swapped(self: object, losses: torch.Tensor, domains: torch.Tensor) -> None:
    losses = losses.detach().double()
    for k in range(self.n_domains):
        mask = domains == k
        n = int(mask.sum())
        if n == 0:
            continue
        m = losses[mask].mean()
        self._ema[k] = m if self._count[k] == 0 else (1 - self.beta) * self._ema[k] + self.beta * m
        self._sum[k] += losses[mask].sum()
        self._count[k] += n

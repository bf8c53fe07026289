"""Plausible wrong samplers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from sampler import apply_temperature, sampling_distribution, top_k_filter, top_p_filter


@pitfall(replaces="apply_temperature", why="multiplies by the temperature instead of dividing")
def temperature_multiplies(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    if not temperature > 0:
        raise ValueError("temperature must be > 0")
    return logits * temperature


@pitfall(replaces="top_k_filter", why="threshold at the k-th value: every logit tied with it survives (more than k)")
def top_k_keeps_ties(logits: torch.Tensor, k: int | None) -> torch.Tensor:
    if k is None:
        return logits.clone()
    if k < 1:
        raise ValueError("k < 1")
    k = min(k, logits.shape[-1])
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth, float("-inf"))


@pitfall(replaces="top_k_filter", why="torch.topk's indices: which of several tied logits it keeps is unspecified")
def top_k_with_topk_indices(logits: torch.Tensor, k: int | None) -> torch.Tensor:
    if k is None:
        return logits.clone()
    if k < 1:
        raise ValueError("k < 1")
    k = min(k, logits.shape[-1])
    keep = torch.zeros_like(logits, dtype=torch.bool).scatter(-1, torch.topk(logits, k, dim=-1).indices, True)
    return logits.masked_fill(~keep, float("-inf"))


@pitfall(replaces="top_p_filter", why="keeps tokens while cumsum <= p, dropping the token that crosses p (mass < p)")
def top_p_drops_crossing_token(logits: torch.Tensor, p: float) -> torch.Tensor:
    if not 0 < p <= 1:
        raise ValueError("p")
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True, stable=True)
    keep_sorted = torch.softmax(sorted_logits, dim=-1).cumsum(-1) <= p
    keep_sorted[..., 0] = True
    keep = torch.zeros_like(keep_sorted).scatter(-1, order, keep_sorted)
    return logits.masked_fill(~keep, float("-inf"))


@pitfall(replaces="top_p_filter", why="cumulative sum in token-id order instead of probability order")
def top_p_unsorted(logits: torch.Tensor, p: float) -> torch.Tensor:
    if not 0 < p <= 1:
        raise ValueError("p")
    if p == 1:
        return logits.clone()
    probs = torch.softmax(logits, dim=-1)
    keep = probs.cumsum(-1) - probs < p
    return logits.masked_fill(~keep, float("-inf"))


@pitfall(replaces="sampling_distribution", why="filters the untempered logits and applies the temperature afterwards")
def filters_before_temperature(logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None,
                               top_p: float = 1.0) -> torch.Tensor:
    return torch.softmax(apply_temperature(top_p_filter(top_k_filter(logits, top_k), top_p), temperature), dim=-1)


@pitfall(replaces="sample", why="samples from softmax(logits / T), forgetting the top-k / top-p filters")
def sample_ignores_filters(logits: torch.Tensor, n_samples: int, generator: torch.Generator | None = None,
                           temperature: float = 1.0, top_k: int | None = None, top_p: float = 1.0) -> torch.Tensor:
    probs = torch.softmax(logits / temperature, dim=-1).reshape(-1, logits.shape[-1])
    draws = torch.multinomial(probs, n_samples, replacement=True, generator=generator)
    return draws.reshape(*logits.shape[:-1], n_samples)


@pitfall(replaces="sample", why="draws from the global RNG, ignoring the generator: seeds do not reproduce samples")
def sample_ignores_generator(logits: torch.Tensor, n_samples: int, generator: torch.Generator | None = None,
                             temperature: float = 1.0, top_k: int | None = None, top_p: float = 1.0) -> torch.Tensor:
    probs = sampling_distribution(logits, temperature, top_k, top_p)
    draws = torch.multinomial(probs.reshape(-1, probs.shape[-1]), n_samples, replacement=True)
    return draws.reshape(*probs.shape[:-1], n_samples)


@pitfall(replaces="top_p_filter", why="keeps a token while the mass before it is <= p: when the prefix hits p exactly, one token too many")
def boundary_inclusive(logits: torch.Tensor, p: float) -> torch.Tensor:
    if not 0 < p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {p}")
    if p == 1:
        return logits.clone()
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True, stable=True)
    probs = torch.softmax(sorted_logits, dim=-1)
    keep_sorted = probs.cumsum(-1) - probs <= p
    keep = torch.zeros_like(keep_sorted).scatter(-1, order, keep_sorted)
    return logits.masked_fill(~keep, float("-inf"))


@pitfall(replaces="top_k_filter", why="masked_fill_ on the caller's logits: filters in place")
def filters_in_place(logits: torch.Tensor, k: int | None) -> torch.Tensor:
    if k is not None and k < 1:
        raise ValueError(f"top_k must be >= 1 or None, got {k}")
    if k is None or k >= logits.shape[-1]:
        return logits
    order = torch.sort(logits, dim=-1, descending=True, stable=True).indices
    keep = torch.zeros_like(logits, dtype=torch.bool).scatter(-1, order[..., :k], True)
    return logits.masked_fill_(~keep, float("-inf"))


@pitfall(replaces="top_p_filter", why="works on logits.float(): float64 logits come back float32")
def float32_top_p(logits: torch.Tensor, p: float) -> torch.Tensor:
    if not 0 < p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {p}")
    logits = logits.float()
    if p == 1:
        return logits.clone()
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True, stable=True)
    probs = torch.softmax(sorted_logits, dim=-1)
    keep = torch.zeros_like(probs, dtype=torch.bool).scatter(-1, order, probs.cumsum(-1) - probs < p)
    return logits.masked_fill(~keep, float("-inf"))

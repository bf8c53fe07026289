"""Reference solution for nlp-05-1."""
from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure


def apply_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    return logits / temperature


def top_k_filter(logits: torch.Tensor, k: int | None) -> torch.Tensor:
    if k is None:
        return logits.clone()
    if k < 1:
        raise ValueError(f"top_k must be >= 1 or None, got {k}")
    if k >= logits.shape[-1]:
        return logits.clone()
    order = torch.sort(logits, dim=-1, descending=True, stable=True).indices
    keep = torch.zeros_like(logits, dtype=torch.bool).scatter(-1, order[..., :k], True)
    return logits.masked_fill(~keep, float("-inf"))


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    if not 0 < p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {p}")
    if p == 1:
        return logits.clone()
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True, stable=True)
    probs = torch.softmax(sorted_logits, dim=-1)
    mass_before = probs.cumsum(-1) - probs          # mass of the tokens ranked above this one
    keep_sorted = mass_before < p                   # the top token always has mass_before = 0 < p
    keep = torch.zeros_like(keep_sorted).scatter(-1, order, keep_sorted)
    return logits.masked_fill(~keep, float("-inf"))


def sampling_distribution(logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None,
                          top_p: float = 1.0) -> torch.Tensor:
    filtered = top_p_filter(top_k_filter(apply_temperature(logits, temperature), top_k), top_p)
    return torch.softmax(filtered, dim=-1)


def sample(logits: torch.Tensor, n_samples: int, generator: torch.Generator | None = None,
           temperature: float = 1.0, top_k: int | None = None, top_p: float = 1.0) -> torch.Tensor:
    probs = sampling_distribution(logits, temperature, top_k, top_p)
    flat = probs.reshape(-1, probs.shape[-1])
    draws = torch.multinomial(flat, n_samples, replacement=True, generator=generator)
    return draws.reshape(*probs.shape[:-1], n_samples)


def plot_dashboard(logits: torch.Tensor, tokens: list[str], temperature: float = 1.0, top_k: int | None = None,
                   top_p: float = 1.0, n_samples: int = 1000, seed: int = 0) -> Figure:
    probs = sampling_distribution(logits, temperature, top_k, top_p)
    draws = sample(logits, n_samples, torch.Generator().manual_seed(seed), temperature, top_k, top_p)
    freq = torch.bincount(draws, minlength=len(tokens)).double() / n_samples
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5), sharey=True)
    positions = list(range(len(tokens)))
    left.bar(positions, probs.detach().double().numpy())
    left.set_title("sampling distribution")
    left.set_ylabel("probability")
    right.bar(positions, freq.numpy())
    right.set_title(f"{n_samples} samples")
    right.set_ylabel("frequency")
    for ax in (left, right):
        ax.set_xticks(positions, labels=tokens)
    fig.suptitle(f"temperature={temperature:g}, top_k={top_k}, top_p={top_p:g}")
    return fig

"""Reference solution for nlp-05-2."""
from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure


def sampling_distribution(logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None,
                          top_p: float = 1.0) -> torch.Tensor:
    """Given, complete (you built it in nlp-05-1): temperature, then top-k, then top-p, then softmax.

    Ties rank the lower token id first. Filtered tokens get probability exactly 0.

    Shapes:
        logits: (..., V)
        returns: (..., V), rows sum to 1
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    if not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}")
    x = logits / temperature
    sorted_x, order = torch.sort(x, dim=-1, descending=True, stable=True)
    keep = torch.ones_like(sorted_x, dtype=torch.bool)
    if top_k is not None:
        if top_k < 1:
            raise ValueError(f"top_k must be >= 1 or None, got {top_k}")
        keep[..., top_k:] = False
    if top_p < 1:
        probs = torch.softmax(sorted_x.masked_fill(~keep, float("-inf")), dim=-1)
        keep &= probs.cumsum(-1) - probs < top_p
    mask = torch.zeros_like(keep).scatter(-1, order, keep)
    return torch.softmax(x.masked_fill(~mask, float("-inf")), dim=-1)


@dataclass
class SweepResult:
    """Given: what sweep() returns, one entry per swept value."""
    param: str                                   # "temperature", "top_k" or "top_p"
    values: list[float]                          # the swept values, in the order given
    entropy: np.ndarray                          # (n_values,) mean next-token entropy in nats
    distinct_1: np.ndarray                       # (n_values,) distinct-1 of the generated sequences
    distinct_2: np.ndarray                       # (n_values,) distinct-2 of the generated sequences
    sequences: list[torch.Tensor] = field(default_factory=list)  # each (n_seqs, length)


def entropy(probs: torch.Tensor) -> torch.Tensor:
    logs = torch.where(probs > 0, torch.log(probs), torch.zeros_like(probs))
    return -(probs * logs).sum(-1)


def distinct_n(sequences: torch.Tensor, n: int) -> float:
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    n_seqs, length = sequences.shape
    if length < n:
        return 0.0
    grams = sequences.unfold(1, n, 1).reshape(-1, n)      # (n_seqs * (length - n + 1), n)
    return torch.unique(grams, dim=0).shape[0] / grams.shape[0]


def generate(bigram_logits: torch.Tensor, start: int, n_seqs: int, length: int, generator: torch.Generator,
             temperature: float = 1.0, top_k: int | None = None, top_p: float = 1.0) -> torch.Tensor:
    table = sampling_distribution(bigram_logits, temperature, top_k, top_p)   # (V, V): row = previous token
    out = torch.empty(n_seqs, length, dtype=torch.long)
    prev = torch.full((n_seqs,), start, dtype=torch.long)
    for t in range(length):
        prev = torch.multinomial(table[prev], 1, generator=generator)[:, 0]
        out[:, t] = prev
    return out


def sweep(bigram_logits: torch.Tensor, param: str, values: list[float], n_seqs: int, length: int, seed: int,
          start: int = 0, temperature: float = 1.0, top_k: int | None = None, top_p: float = 1.0) -> SweepResult:
    if param not in ("temperature", "top_k", "top_p"):
        raise ValueError(f"param must be 'temperature', 'top_k' or 'top_p', not {param!r}")
    ent, d1, d2, seqs = [], [], [], []
    for value in values:
        kw = {"temperature": temperature, "top_k": top_k, "top_p": top_p, param: value}
        ent.append(float(entropy(sampling_distribution(bigram_logits, **kw)).mean()))
        s = generate(bigram_logits, start, n_seqs, length, torch.Generator().manual_seed(seed), **kw)
        seqs.append(s)
        d1.append(distinct_n(s, 1))
        d2.append(distinct_n(s, 2))
    return SweepResult(param, list(values), np.array(ent), np.array(d1), np.array(d2), seqs)


def plot_entropy_vs_diversity(result: SweepResult) -> Figure:
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
    left.plot(result.values, result.entropy, marker="o")
    left.set_xlabel(result.param)
    left.set_ylabel("entropy (nats)")
    left.set_title(f"sweep over {result.param}")
    right.plot(result.entropy, result.distinct_1, marker="o", label="distinct-1")
    right.plot(result.entropy, result.distinct_2, marker="o", label="distinct-2")
    right.set_xlabel("entropy (nats)")
    right.set_ylabel("distinct-n")
    right.set_title("diversity vs entropy")
    right.legend()
    return fig

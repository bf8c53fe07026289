"""Plausible wrong entropy/diversity code that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from diversity import SweepResult, distinct_n, entropy, generate, sampling_distribution, sweep


@pitfall(replaces="entropy", why="-sum p log p without guarding the zeros: 0 * log 0 = nan for filtered tokens")
def entropy_nan_on_zeros(probs: torch.Tensor) -> torch.Tensor:
    return -(probs * probs.log()).sum(-1)


@pitfall(replaces="entropy", why="log2: entropy in bits where nats are asked for")
def entropy_in_bits(probs: torch.Tensor) -> torch.Tensor:
    return torch.special.entr(probs).sum(-1) / math.log(2)


@pitfall(replaces="distinct_n", why="flattens all sequences into one stream: n-grams span sequence boundaries")
def distinct_n_flattened(sequences: torch.Tensor, n: int) -> float:
    if n < 1:
        raise ValueError("n")
    flat = sequences.reshape(-1)
    if flat.numel() < n:
        return 0.0
    grams = flat.unfold(0, n, 1)
    return torch.unique(grams, dim=0).shape[0] / grams.shape[0]


@pitfall(replaces="distinct_n", why="averages the per-sequence ratios instead of pooling the n-grams of all sequences")
def distinct_n_per_sequence_mean(sequences: torch.Tensor, n: int) -> float:
    if n < 1:
        raise ValueError("n")
    if sequences.shape[1] < n:
        return 0.0
    ratios = [torch.unique(row.unfold(0, n, 1), dim=0).shape[0] / (row.numel() - n + 1) for row in sequences]
    return sum(ratios) / len(ratios)


@pitfall(replaces="generate", why="draws every token from the start token's row, ignoring the previous token")
def generate_from_start_row(bigram_logits: torch.Tensor, start: int, n_seqs: int, length: int,
                            generator: torch.Generator, temperature: float = 1.0, top_k: int | None = None,
                            top_p: float = 1.0) -> torch.Tensor:
    row = sampling_distribution(bigram_logits[start], temperature, top_k, top_p)
    return torch.multinomial(row.expand(n_seqs, -1), length, replacement=True, generator=generator)


@pitfall(replaces="generate", why="samples from the unfiltered softmax(logits / T): top-k and top-p never applied")
def generate_unfiltered(bigram_logits: torch.Tensor, start: int, n_seqs: int, length: int,
                        generator: torch.Generator, temperature: float = 1.0, top_k: int | None = None,
                        top_p: float = 1.0) -> torch.Tensor:
    table = torch.softmax(bigram_logits / temperature, dim=-1)
    out = torch.empty(n_seqs, length, dtype=torch.long)
    prev = torch.full((n_seqs,), start, dtype=torch.long)
    for t in range(length):
        prev = torch.multinomial(table[prev], 1, generator=generator)[:, 0]
        out[:, t] = prev
    return out


_sweep = sweep


@pitfall(replaces="sweep", why="entropy of the start token's row only, not the mean over all rows")
def sweep_start_row_entropy(bigram_logits: torch.Tensor, param: str, values: list[float], n_seqs: int, length: int,
                            seed: int, start: int = 0, temperature: float = 1.0, top_k: int | None = None,
                            top_p: float = 1.0) -> SweepResult:
    res = _sweep(bigram_logits, param, values, n_seqs, length, seed, start, temperature, top_k, top_p)
    for i, value in enumerate(values):
        kw = {"temperature": temperature, "top_k": top_k, "top_p": top_p, param: value}
        res.entropy[i] = float(entropy(sampling_distribution(bigram_logits[start], **kw)))
    return res


@pitfall(replaces="sweep", why="sets only the swept parameter: the other two and `start` fall back to their defaults")
def sweep_with_defaults(bigram_logits: torch.Tensor, param: str, values: list[float], n_seqs: int, length: int,
                        seed: int, start: int = 0, temperature: float = 1.0, top_k: int | None = None,
                        top_p: float = 1.0) -> SweepResult:
    if param not in ("temperature", "top_k", "top_p"):
        raise ValueError(f"unknown param {param!r}")
    ent, d1, d2, seqs = [], [], [], []
    for value in values:
        ent.append(float(entropy(sampling_distribution(bigram_logits, **{param: value})).mean()))
        s = generate(bigram_logits, 0, n_seqs, length, torch.Generator().manual_seed(seed), **{param: value})
        seqs.append(s)
        d1.append(distinct_n(s, 1))
        d2.append(distinct_n(s, 2))
    return SweepResult(param, list(values), np.array(ent), np.array(d1), np.array(d2), seqs)


@pitfall(replaces="sweep", why="an unknown param name is silently treated as a temperature sweep instead of a ValueError")
def sweep_unknown_param(bigram_logits: torch.Tensor, param: str, values: list[float], n_seqs: int, length: int,
                        seed: int, start: int = 0, temperature: float = 1.0, top_k: int | None = None,
                        top_p: float = 1.0) -> SweepResult:
    name = param if param in ("top_k", "top_p") else "temperature"
    ent, d1, d2, seqs = [], [], [], []
    for value in values:
        kw = {"temperature": temperature, "top_k": top_k, "top_p": top_p, name: value}
        ent.append(float(entropy(sampling_distribution(bigram_logits, **kw)).mean()))
        s = generate(bigram_logits, start, n_seqs, length, torch.Generator().manual_seed(seed), **kw)
        seqs.append(s)
        d1.append(distinct_n(s, 1))
        d2.append(distinct_n(s, 2))
    return SweepResult(param, list(values), np.array(ent), np.array(d1), np.array(d2), seqs)


@pitfall(replaces="generate", why="torch.multinomial without generator=: draws from the global RNG")
def global_rng_generate(bigram_logits: torch.Tensor, start: int, n_seqs: int, length: int,
                        generator: torch.Generator, temperature: float = 1.0, top_k: int | None = None,
                        top_p: float = 1.0) -> torch.Tensor:
    table = sampling_distribution(bigram_logits, temperature, top_k, top_p)
    out = torch.empty(n_seqs, length, dtype=torch.long)
    prev = torch.full((n_seqs,), start, dtype=torch.long)
    for t in range(length):
        prev = torch.multinomial(table[prev], 1)[:, 0]
        out[:, t] = prev
    return out

"""Plausible wrong greedy-decoding and repetition code that the tests must reject."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from greedy import generate, rep_n, temperature_probs


@pitfall(replaces="temperature_probs", why="T = 0 clamped to a tiny epsilon: tied maxima split the mass instead of one-hot")
def clamped_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    if temperature < 0:
        raise ValueError("temperature")
    return torch.softmax(logits / max(temperature, 1e-6), dim=-1)


@pitfall(replaces="temperature_probs", why="divides by T = 0 directly: inf / inf = nan")
def divides_by_zero(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    if temperature < 0:
        raise ValueError("temperature")
    with torch.no_grad():
        scaled = logits / torch.tensor(float(temperature), dtype=logits.dtype)
    return torch.softmax(scaled, dim=-1)


@pitfall(replaces="temperature_probs", why="ignores the temperature for T > 0 (plain softmax)")
def ignores_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    if temperature < 0:
        raise ValueError("temperature")
    if temperature == 0:
        return torch.zeros_like(logits).scatter(-1, logits.argmax(-1, keepdim=True), 1.0)
    return torch.softmax(logits, dim=-1)


@pitfall(replaces="greedy_cycle", why="counts the tail from the first generated token (x_1), one short")
def cycle_tail_off_by_one(bigram_logits: torch.Tensor, start: int) -> tuple[int, int]:
    nxt = bigram_logits.argmax(dim=-1).tolist()
    first_seen: dict[int, int] = {}
    x, i = nxt[start], 0
    while x not in first_seen:
        first_seen[x] = i
        x, i = nxt[x], i + 1
    return first_seen[x], i - first_seen[x]


@pitfall(replaces="rep_n", why="distinct / total: the diversity, not the repetition")
def rep_n_inverted(tokens: torch.Tensor, n: int) -> float:
    if n < 1:
        raise ValueError("n")
    seq = tokens.tolist()
    total = len(seq) - n + 1
    if total <= 0:
        return 0.0
    return len({tuple(seq[i:i + n]) for i in range(total)}) / total


@pitfall(replaces="rep_n", why="counts every occurrence of a repeated n-gram, the first one included")
def rep_n_counts_first_occurrences(tokens: torch.Tensor, n: int) -> float:
    if n < 1:
        raise ValueError("n")
    seq = tokens.tolist()
    total = len(seq) - n + 1
    if total <= 0:
        return 0.0
    counts = Counter(tuple(seq[i:i + n]) for i in range(total))
    return sum(c for c in counts.values() if c > 1) / total


@pitfall(replaces="generate", why="always continues from the start token's row instead of the previous token's")
def generate_from_start_row(bigram_logits: torch.Tensor, starts: torch.Tensor, n_new: int, temperature: float,
                            generator: torch.Generator | None = None) -> torch.Tensor:
    probs = temperature_probs(bigram_logits[starts.long()], temperature)
    if temperature == 0:
        return probs.argmax(-1, keepdim=True).expand(-1, n_new).clone()
    return torch.multinomial(probs, n_new, replacement=True, generator=generator)


@pitfall(replaces="generate", why="torch.multinomial without generator=: sampled text comes from the global RNG")
def global_rng(bigram_logits: torch.Tensor, starts: torch.Tensor, n_new: int, temperature: float,
               generator: torch.Generator | None = None) -> torch.Tensor:
    table = temperature_probs(bigram_logits, temperature)
    out = torch.empty(starts.shape[0], n_new, dtype=torch.long)
    prev = starts.long()
    for t in range(n_new):
        prev = table[prev].argmax(dim=-1) if temperature == 0 else torch.multinomial(table[prev], 1)[:, 0]
        out[:, t] = prev
    return out


@pitfall(replaces="repetition_vs_temperature", why="measures rep-2 whatever n it is given")
def always_rep2(bigram_logits: torch.Tensor, starts: torch.Tensor, n_new: int,
                temperatures: list[float], n: int = 2, seed: int = 0) -> np.ndarray:
    out = []
    for t in temperatures:
        seqs = generate(bigram_logits, starts, n_new, t, torch.Generator().manual_seed(seed))
        out.append(float(np.mean([rep_n(row, 2) for row in seqs])))
    return np.array(out)


@pitfall(replaces="repetition_vs_temperature", why="returns the per-temperature means as a float32 tensor, not a float64 array")
def float32_tensor(bigram_logits: torch.Tensor, starts: torch.Tensor, n_new: int,
                   temperatures: list[float], n: int = 2, seed: int = 0) -> np.ndarray:
    out = []
    for t in temperatures:
        seqs = generate(bigram_logits, starts, n_new, t, torch.Generator().manual_seed(seed))
        out.append(float(np.mean([rep_n(row, n) for row in seqs])))
    return torch.tensor(out)

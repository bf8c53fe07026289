"""Reference solution for nlp-05-3."""
from __future__ import annotations

import numpy as np
import torch


def temperature_probs(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    if temperature == 0:
        idx = logits.argmax(dim=-1, keepdim=True)               # first maximum on ties
        return torch.zeros_like(logits).scatter(-1, idx, 1.0)
    return torch.softmax(logits / temperature, dim=-1)


def generate(bigram_logits: torch.Tensor, starts: torch.Tensor, n_new: int, temperature: float,
             generator: torch.Generator | None = None) -> torch.Tensor:
    table = temperature_probs(bigram_logits, temperature)     # (V, V): row = previous token
    out = torch.empty(starts.shape[0], n_new, dtype=torch.long)
    prev = starts.long()
    for t in range(n_new):
        if temperature == 0:
            prev = table[prev].argmax(dim=-1)
        else:
            prev = torch.multinomial(table[prev], 1, generator=generator)[:, 0]
        out[:, t] = prev
    return out


def rep_n(tokens: torch.Tensor, n: int) -> float:
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    seq = tokens.tolist()
    total = len(seq) - n + 1
    if total <= 0:
        return 0.0
    distinct = len({tuple(seq[i:i + n]) for i in range(total)})
    return 1.0 - distinct / total


def greedy_cycle(bigram_logits: torch.Tensor, start: int) -> tuple[int, int]:
    nxt = bigram_logits.argmax(dim=-1).tolist()
    first_seen: dict[int, int] = {}
    x, i = start, 0
    while x not in first_seen:
        first_seen[x] = i
        x, i = nxt[x], i + 1
    return first_seen[x], i - first_seen[x]


def repetition_vs_temperature(bigram_logits: torch.Tensor, starts: torch.Tensor, n_new: int,
                              temperatures: list[float], n: int = 2, seed: int = 0) -> np.ndarray:
    out = []
    for t in temperatures:
        seqs = generate(bigram_logits, starts, n_new, t, torch.Generator().manual_seed(seed))
        out.append(float(np.mean([rep_n(row, n) for row in seqs])))
    return np.array(out)

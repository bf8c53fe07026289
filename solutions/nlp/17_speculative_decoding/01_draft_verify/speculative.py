"""Reference solution for nlp-17-1."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

# A model maps a token list to one next-token distribution per position: row i is P(x_{i+1} | x_0..x_i).
Model = Callable[[list[int]], np.ndarray]


def speculative_greedy(target: Model, draft: Model, prompt: Sequence[int], n_new: int,
                       k: int) -> tuple[list[int], int]:
    if k < 1 or n_new < 0 or len(prompt) == 0:
        raise ValueError(f"need k >= 1, n_new >= 0 and a non-empty prompt, got {k=}, {n_new=}, {len(prompt)=}")
    seq = list(prompt)
    out: list[int] = []
    target_calls = 0
    while len(out) < n_new:
        m = min(k, n_new - len(out))
        proposal: list[int] = []
        for _ in range(m):
            probs = draft(seq + proposal)
            proposal.append(int(np.argmax(probs[-1])))
        scores = target(seq + proposal)
        target_calls += 1
        base = len(seq) - 1
        new: list[int] = []
        for i in range(m + 1):
            best = int(np.argmax(scores[base + i]))
            new.append(best)
            if i == m or proposal[i] != best:
                break
        new = new[: n_new - len(out)]
        seq += new
        out += new
    return out, target_calls


def residual_distribution(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    diff = np.maximum(np.asarray(p, dtype=np.float64) - np.asarray(q, dtype=np.float64), 0.0)
    total = diff.sum()
    if total <= 0:
        return np.array(p, dtype=np.float64, copy=True)
    return diff / total


def verify_step(p: np.ndarray, q: np.ndarray, drafted: Sequence[int], rng: np.random.Generator) -> list[int]:
    m = len(drafted)
    out: list[int] = []
    for i, x in enumerate(drafted):
        x = int(x)
        accept = 1.0 if p[i, x] >= q[i, x] else p[i, x] / q[i, x]
        if rng.random() < accept:
            out.append(x)
            continue
        r = residual_distribution(p[i], q[i])
        out.append(int(rng.choice(len(r), p=r)))
        return out
    out.append(int(rng.choice(p.shape[1], p=p[m] / p[m].sum())))
    return out


def speculative_sample(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int,
                       rng: np.random.Generator) -> list[int]:
    if k < 1 or n_new < 0 or len(prompt) == 0:
        raise ValueError(f"need k >= 1, n_new >= 0 and a non-empty prompt, got {k=}, {n_new=}, {len(prompt)=}")
    seq = list(prompt)
    out: list[int] = []
    while len(out) < n_new:
        m = min(k, n_new - len(out))
        proposal: list[int] = []
        q_rows = []
        for _ in range(m):
            qrow = np.asarray(draft(seq + proposal)[-1], dtype=np.float64)
            q_rows.append(qrow)
            proposal.append(int(rng.choice(len(qrow), p=qrow / qrow.sum())))
        scores = np.asarray(target(seq + proposal), dtype=np.float64)
        base = len(seq) - 1
        new = verify_step(scores[base: base + m + 1], np.stack(q_rows), proposal, rng)
        new = new[: n_new - len(out)]
        seq += new
        out += new
    return out

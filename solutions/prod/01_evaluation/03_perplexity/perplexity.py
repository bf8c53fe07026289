"""Reference solution for prod-01-3."""
from __future__ import annotations

import math

import numpy as np


def utf8_lengths(tokens: list[str]) -> np.ndarray:
    """The number of UTF-8 bytes of each token, as an int64 array."""
    return np.array([len(t.encode("utf-8")) for t in tokens], dtype=np.int64)


def token_logprobs(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    logits = np.asarray(logits)
    targets = np.asarray(targets)
    if logits.ndim != 2 or targets.shape != (logits.shape[0],):
        raise ValueError(f"need logits (T, V) and targets (T,), got {logits.shape} and {targets.shape}")
    if targets.size and (targets.min() < 0 or targets.max() >= logits.shape[1]):
        raise ValueError("targets must lie in [0, V)")
    z = logits.astype(np.float64)
    z = z - z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z).sum(axis=1))
    return z[np.arange(len(targets)), targets] - lse


def _selected(logprobs: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    lp = np.asarray(logprobs, dtype=np.float64)
    return lp if mask is None else lp[np.asarray(mask, dtype=bool)]


def perplexity(logprobs: np.ndarray, mask: np.ndarray | None = None) -> float:
    lp = _selected(logprobs, mask)
    if lp.size == 0:
        raise ValueError("perplexity of no tokens is undefined")
    return math.exp(-lp.mean())


def bits_per_byte(logprobs: np.ndarray, tokens: list[str], mask: np.ndarray | None = None) -> float:
    if len(tokens) != len(logprobs):
        raise ValueError(f"{len(logprobs)} log-probabilities for {len(tokens)} tokens")
    lp = _selected(logprobs, mask)
    n_bytes = int(_selected(utf8_lengths(tokens), mask).sum())
    if n_bytes == 0:
        raise ValueError("the selected tokens contain no bytes")
    return float(-lp.sum() / math.log(2) / n_bytes)

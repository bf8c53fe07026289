"""Plausible wrong perplexity / bits-per-byte implementations that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from perplexity import _selected, utf8_lengths


@pitfall(replaces="token_logprobs", why="log(softmax) without subtracting the row maximum: exp overflows for large logits")
def naive_log_softmax(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    logits, targets = np.asarray(logits), np.asarray(targets)
    if logits.ndim != 2 or targets.shape != (logits.shape[0],):
        raise ValueError("shapes")
    if targets.size and (targets.min() < 0 or targets.max() >= logits.shape[1]):
        raise ValueError("targets")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(logits.astype(np.float64))
        return np.log(e / e.sum(axis=1, keepdims=True))[np.arange(len(targets)), targets]


@pitfall(replaces="token_logprobs", why="normalises over the positions (axis 0) instead of the vocabulary")
def softmax_over_time(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    logits, targets = np.asarray(logits), np.asarray(targets)
    if logits.ndim != 2 or targets.shape != (logits.shape[0],):
        raise ValueError("shapes")
    if targets.size and (targets.min() < 0 or targets.max() >= logits.shape[1]):
        raise ValueError("targets")
    z = logits.astype(np.float64)
    z = z - z.max(axis=0, keepdims=True)
    return (z - np.log(np.exp(z).sum(axis=0, keepdims=True)))[np.arange(len(targets)), targets]


@pitfall(replaces="token_logprobs", why="keeps the input dtype: float32 log-probabilities instead of float64")
def keeps_float32(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    logits, targets = np.asarray(logits), np.asarray(targets)
    if logits.ndim != 2 or targets.shape != (logits.shape[0],):
        raise ValueError("shapes")
    if targets.size and (targets.min() < 0 or targets.max() >= logits.shape[1]):
        raise ValueError("targets")
    z = logits - logits.max(axis=1, keepdims=True)
    return (z - np.log(np.exp(z).sum(axis=1, keepdims=True)))[np.arange(len(targets)), targets]


@pitfall(replaces="perplexity", why="2 ** (mean negative log-likelihood): mixes natural-log probabilities with base 2")
def base_two(logprobs: np.ndarray, mask: np.ndarray | None = None) -> float:
    lp = _selected(logprobs, mask)
    if lp.size == 0:
        raise ValueError("no tokens")
    return 2.0 ** (-lp.mean())


@pitfall(replaces="perplexity", why="averages the per-token inverse probabilities instead of exponentiating the mean log-loss")
def mean_of_inverse_probs(logprobs: np.ndarray, mask: np.ndarray | None = None) -> float:
    lp = _selected(logprobs, mask)
    if lp.size == 0:
        raise ValueError("no tokens")
    return float(np.exp(-lp).mean())


@pitfall(replaces="perplexity", why="ignores the mask: padding tokens are averaged in")
def ignores_mask(logprobs: np.ndarray, mask: np.ndarray | None = None) -> float:
    lp = np.asarray(logprobs, dtype=np.float64)
    if lp.size == 0 or (mask is not None and not np.any(mask)):
        raise ValueError("no tokens")
    return math.exp(-lp.mean())


@pitfall(replaces="bits_per_byte", why="counts characters (len(token)) instead of UTF-8 bytes")
def per_character(logprobs: np.ndarray, tokens: list[str], mask: np.ndarray | None = None) -> float:
    if len(tokens) != len(logprobs):
        raise ValueError("lengths")
    lp = _selected(logprobs, mask)
    n = int(_selected(np.array([len(t) for t in tokens]), mask).sum())
    if n == 0:
        raise ValueError("no bytes")
    return float(-lp.sum() / math.log(2) / n)


@pitfall(replaces="bits_per_byte", why="stays in nats: forgets to divide by ln 2")
def nats_per_byte(logprobs: np.ndarray, tokens: list[str], mask: np.ndarray | None = None) -> float:
    if len(tokens) != len(logprobs):
        raise ValueError("lengths")
    lp = _selected(logprobs, mask)
    n = int(_selected(utf8_lengths(tokens), mask).sum())
    if n == 0:
        raise ValueError("no bytes")
    return float(-lp.sum() / n)


@pitfall(replaces="bits_per_byte", why="applies the mask to the log-probabilities but counts the bytes of every token")
def mask_on_logprobs_only(logprobs: np.ndarray, tokens: list[str], mask: np.ndarray | None = None) -> float:
    if len(tokens) != len(logprobs):
        raise ValueError("lengths")
    lp = _selected(logprobs, mask)
    n = int(utf8_lengths(tokens).sum())
    if n == 0 or lp.size == 0:
        raise ValueError("no bytes")
    return float(-lp.sum() / math.log(2) / n)

"""prod-01-3: perplexity and bits per byte. Edit this file; `grader check prod-01-3` tests it."""
from __future__ import annotations

import numpy as np


def utf8_lengths(tokens: list[str]) -> np.ndarray:
    """The number of UTF-8 bytes of each token, as an int64 array."""
    return np.array([len(t.encode("utf-8")) for t in tokens], dtype=np.int64)


def token_logprobs(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Natural-log probability the model gives each target token: log_softmax(logits[t])[targets[t]].

    Must stay finite for logits of any size (|logits| up to 1e4), so use the log-sum-exp trick.

    Shapes:
        logits: (T, V) float32 or float64; targets: (T,) ints in [0, V)
        returns: (T,) float64, every entry <= 0

    Raises:
        ValueError: if the shapes do not match or a target lies outside [0, V).
    """
    raise NotImplementedError("token_logprobs: a stable log-softmax, then pick each target")


def perplexity(logprobs: np.ndarray, mask: np.ndarray | None = None) -> float:
    """exp(-mean of the natural-log probabilities) over the tokens where mask is True (all if None).

    Shapes:
        logprobs: (T,) float; mask: (T,) bool or None; returns: a float >= 1

    Raises:
        ValueError: if no token is selected.
    """
    raise NotImplementedError("perplexity: exponentiated mean negative log-likelihood")


def bits_per_byte(logprobs: np.ndarray, tokens: list[str], mask: np.ndarray | None = None) -> float:
    """Total negative log-likelihood in bits divided by the number of UTF-8 bytes, over the tokens
    where mask is True (all if None): -sum(logprobs) / ln 2 / sum(utf8 bytes of tokens).

    Shapes:
        logprobs: (T,) float, natural log; tokens: T strings; mask: (T,) bool or None
        returns: a float >= 0

    Raises:
        ValueError: if len(tokens) != len(logprobs) or the selected tokens have no bytes.
    """
    raise NotImplementedError("bits_per_byte: nats to bits, per UTF-8 byte")

"""Plausible wrong skip-gram implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from skipgram import noise_distribution, sample_negatives, sgns_loss_and_grads, skipgram_pairs


def _sgns(w_in: np.ndarray, w_out: np.ndarray, centers: np.ndarray, contexts: np.ndarray, negatives: np.ndarray,
          *, negative_sign: float = -1.0, stable: bool = True, buffered: bool = False,
          mean: bool = True) -> tuple[float, np.ndarray, np.ndarray]:
    batch = len(centers)
    v, u_pos, u_neg = w_in[centers], w_out[contexts], w_out[negatives]
    s_pos = np.einsum("bd,bd->b", v, u_pos)
    s_neg = np.einsum("bkd,bd->bk", u_neg, v)
    with np.errstate(all="ignore"):
        if stable:
            log_sig = lambda x: -np.logaddexp(0.0, -x)  # noqa: E731
        else:
            log_sig = lambda x: np.log(1.0 / (1.0 + np.exp(-x)))  # noqa: E731
        terms = log_sig(s_pos) + log_sig(negative_sign * s_neg).sum(axis=1)
        sig = lambda x: np.exp(-np.logaddexp(0.0, -x))  # noqa: E731
        g_pos = sig(s_pos) - 1.0
        g_neg = -negative_sign * sig(-negative_sign * s_neg) if negative_sign > 0 else sig(s_neg)
    scale = batch if mean else 1
    loss = float(-(terms.mean() if mean else terms.sum()))
    g_pos, g_neg = g_pos / scale, g_neg / scale
    d_v = g_pos[:, None] * u_pos + np.einsum("bk,bkd->bd", g_neg, u_neg)
    d_w_in = np.zeros_like(w_in)
    d_w_out = np.zeros_like(w_out)
    neg_update = (g_neg[..., None] * v[:, None, :]).reshape(-1, w_in.shape[1])
    if buffered:
        d_w_in[centers] += d_v
        d_w_out[contexts] += g_pos[:, None] * v
        d_w_out[negatives.reshape(-1)] += neg_update
    else:
        np.add.at(d_w_in, centers, d_v)
        np.add.at(d_w_out, contexts, g_pos[:, None] * v)
        np.add.at(d_w_out, negatives.reshape(-1), neg_update)
    return loss, d_w_in, d_w_out


@pitfall(replaces="skipgram_pairs", why="range(-window, window + 1) keeps offset 0: each word is its own context")
def includes_the_center(ids: Sequence[int], window: int) -> tuple[np.ndarray, np.ndarray]:
    centers, contexts = [], []
    for t in range(len(ids)):
        for offset in range(-window, window + 1):
            if 0 <= t + offset < len(ids):
                centers.append(ids[t])
                contexts.append(ids[t + offset])
    return np.array(centers, dtype=np.int64), np.array(contexts, dtype=np.int64)


@pitfall(replaces="noise_distribution", why="ignores the power: draws negatives by raw frequency")
def raw_frequencies(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64)
    return counts / counts.sum()


@pitfall(replaces="noise_distribution", why="normalises before raising to the power, so it no longer sums to 1")
def power_after_normalising(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64)
    return (counts / counts.sum()) ** power


@pitfall(replaces="sgns_loss_and_grads", why="log sigmoid(+n.v) for the negatives: rewards noise words instead of pushing them away")
def wrong_negative_sign(w_in: np.ndarray, w_out: np.ndarray, centers: np.ndarray, contexts: np.ndarray,
                        negatives: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    return _sgns(w_in, w_out, centers, contexts, negatives, negative_sign=1.0)


@pitfall(replaces="sgns_loss_and_grads", why="log(1 / (1 + exp(-x))): exp overflows, log(0) = -inf for large dot products")
def unstable_log_sigmoid(w_in: np.ndarray, w_out: np.ndarray, centers: np.ndarray, contexts: np.ndarray,
                         negatives: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    return _sgns(w_in, w_out, centers, contexts, negatives, stable=False)


@pitfall(replaces="sgns_loss_and_grads", why="w_out[negatives] += g: a noise word drawn twice is updated once")
def buffered_update(w_in: np.ndarray, w_out: np.ndarray, centers: np.ndarray, contexts: np.ndarray,
                    negatives: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    return _sgns(w_in, w_out, centers, contexts, negatives, buffered=True)


@pitfall(replaces="sgns_loss_and_grads", why="sums the loss over the pairs instead of averaging it")
def summed_loss(w_in: np.ndarray, w_out: np.ndarray, centers: np.ndarray, contexts: np.ndarray,
                negatives: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    return _sgns(w_in, w_out, centers, contexts, negatives, mean=False)


@pitfall(replaces="train_skipgram", why="draws the negatives once before training and reuses them every step")
def negatives_drawn_once(sentences: Sequence[Sequence[int]], vocab_size: int, dim: int, window: int, k: int,
                         steps: int, lr: float, seed: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    rng = np.random.default_rng(seed)
    w_in = rng.normal(0.0, 0.1, (vocab_size, dim))
    w_out = rng.normal(0.0, 0.1, (vocab_size, dim))
    pairs = [skipgram_pairs(s, window) for s in sentences]
    centers = np.concatenate([c for c, _ in pairs])
    contexts = np.concatenate([o for _, o in pairs])
    counts = np.bincount(np.concatenate([np.asarray(s, dtype=np.int64) for s in sentences]), minlength=vocab_size)
    negatives = sample_negatives(noise_distribution(counts), len(centers), k, rng)
    losses = []
    for _ in range(steps):
        loss, d_in, d_out = sgns_loss_and_grads(w_in, w_out, centers, contexts, negatives)
        losses.append(loss)
        w_in -= lr * d_in
        w_out -= lr * d_out
    return w_in, w_out, losses


@pitfall(replaces="skipgram_pairs", why="np.array(list) without dtype: a sentence with no pairs gives float64 arrays")
def untyped_pairs(ids: Sequence[int], window: int) -> tuple[np.ndarray, np.ndarray]:
    centers, contexts = [], []
    for t in range(len(ids)):
        for offset in [*range(-window, 0), *range(1, window + 1)]:
            if 0 <= t + offset < len(ids):
                centers.append(ids[t])
                contexts.append(ids[t + offset])
    return np.array(centers), np.array(contexts)


@pitfall(replaces="noise_distribution", why="raises the caller's float counts to the power in place (weights **= power)")
def powers_in_place(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    weights = np.asarray(counts, dtype=np.float64)
    weights **= power
    return weights / weights.sum()

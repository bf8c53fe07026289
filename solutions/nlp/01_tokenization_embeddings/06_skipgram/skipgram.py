"""Reference solution for nlp-01-6."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def sample_negatives(noise: np.ndarray, n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """k noise word ids for each of n pairs, drawn from `noise`, given: (n, k) int64."""
    return rng.choice(len(noise), size=(n, k), p=noise).astype(np.int64)


def skipgram_pairs(ids: Sequence[int], window: int) -> tuple[np.ndarray, np.ndarray]:
    centers, contexts = [], []
    for t in range(len(ids)):
        for offset in [*range(-window, 0), *range(1, window + 1)]:
            if 0 <= t + offset < len(ids):
                centers.append(ids[t])
                contexts.append(ids[t + offset])
    return np.array(centers, dtype=np.int64), np.array(contexts, dtype=np.int64)


def noise_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    weights = np.asarray(counts, dtype=np.float64) ** power
    return weights / weights.sum()


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0.0, -x)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(_log_sigmoid(x))


def sgns_loss_and_grads(w_in: np.ndarray, w_out: np.ndarray, centers: np.ndarray, contexts: np.ndarray,
                        negatives: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    batch = len(centers)
    v = w_in[centers]                                       # (B, d)
    u_pos = w_out[contexts]                                 # (B, d)
    u_neg = w_out[negatives]                                # (B, k, d)
    s_pos = np.einsum("bd,bd->b", v, u_pos)
    s_neg = np.einsum("bkd,bd->bk", u_neg, v)
    loss = float(-(_log_sigmoid(s_pos) + _log_sigmoid(-s_neg).sum(axis=1)).mean())
    g_pos = (_sigmoid(s_pos) - 1.0) / batch                 # d loss / d s_pos
    g_neg = _sigmoid(s_neg) / batch                         # d loss / d s_neg
    d_v = g_pos[:, None] * u_pos + np.einsum("bk,bkd->bd", g_neg, u_neg)
    d_w_in = np.zeros_like(w_in)
    np.add.at(d_w_in, centers, d_v)
    d_w_out = np.zeros_like(w_out)
    np.add.at(d_w_out, contexts, g_pos[:, None] * v)
    np.add.at(d_w_out, negatives.reshape(-1), (g_neg[..., None] * v[:, None, :]).reshape(-1, w_in.shape[1]))
    return loss, d_w_in, d_w_out


def train_skipgram(sentences: Sequence[Sequence[int]], vocab_size: int, dim: int, window: int, k: int,
                   steps: int, lr: float, seed: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    rng = np.random.default_rng(seed)
    w_in = rng.normal(0.0, 0.1, (vocab_size, dim))
    w_out = rng.normal(0.0, 0.1, (vocab_size, dim))
    pairs = [skipgram_pairs(s, window) for s in sentences]
    centers = np.concatenate([c for c, _ in pairs])
    contexts = np.concatenate([o for _, o in pairs])
    counts = np.bincount(np.concatenate([np.asarray(s, dtype=np.int64) for s in sentences]), minlength=vocab_size)
    noise = noise_distribution(counts)
    losses = []
    for _ in range(steps):
        negatives = sample_negatives(noise, len(centers), k, rng)
        loss, d_in, d_out = sgns_loss_and_grads(w_in, w_out, centers, contexts, negatives)
        losses.append(loss)
        w_in -= lr * d_in
        w_out -= lr * d_out
    return w_in, w_out, losses

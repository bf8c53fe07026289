"""Reference solution for nlp-01-5."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

PAD = -1  # marks a context slot outside the sentence


def build_vocab(sentences: Sequence[Sequence[str]]) -> dict[str, int]:
    """Word -> id in order of first appearance, given."""
    vocab: dict[str, int] = {}
    for sentence in sentences:
        for word in sentence:
            vocab.setdefault(word, len(vocab))
    return vocab


def cbow_windows(ids: Sequence[int], window: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(ids)
    contexts, targets = [], []
    if n >= 2:
        for t in range(n):
            left = [ids[j] if j >= 0 else PAD for j in range(t - window, t)]
            right = [ids[j] if j < n else PAD for j in range(t + 1, t + window + 1)]
            contexts.append(left + right)
            targets.append(ids[t])
    return (np.array(contexts, dtype=np.int64).reshape(len(targets), 2 * window),
            np.array(targets, dtype=np.int64))


def cbow_loss_and_grads(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray,
                        targets: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    batch = len(targets)
    valid = contexts != PAD
    counts = valid.sum(axis=1, keepdims=True)
    safe = np.where(valid, contexts, 0)
    h = (w_in[safe] * valid[..., None]).sum(axis=1) / counts            # (B, d)
    logits = h @ w_out.T                                                 # (B, V)
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    loss = float(-log_probs[np.arange(batch), targets].mean())
    d_logits = np.exp(log_probs)
    d_logits[np.arange(batch), targets] -= 1.0
    d_logits /= batch
    d_w_out = d_logits.T @ h                                             # (V, d)
    d_h = d_logits @ w_out                                               # (B, d)
    d_w_in = np.zeros_like(w_in)
    per_slot = (d_h / counts)[:, None, :] * valid[..., None]             # (B, 2w, d)
    np.add.at(d_w_in, safe.reshape(-1), per_slot.reshape(-1, w_in.shape[1]))
    return loss, d_w_in, d_w_out


def train_cbow(sentences: Sequence[Sequence[int]], vocab_size: int, dim: int, window: int, steps: int,
               lr: float, seed: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    rng = np.random.default_rng(seed)
    w_in = rng.normal(0.0, 0.1, (vocab_size, dim))
    w_out = rng.normal(0.0, 0.1, (vocab_size, dim))
    pairs = [cbow_windows(s, window) for s in sentences]
    contexts = np.concatenate([c for c, _ in pairs])
    targets = np.concatenate([t for _, t in pairs])
    losses = []
    for _ in range(steps):
        loss, d_in, d_out = cbow_loss_and_grads(w_in, w_out, contexts, targets)
        losses.append(loss)
        w_in -= lr * d_in
        w_out -= lr * d_out
    return w_in, w_out, losses

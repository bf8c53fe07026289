"""Plausible wrong CBOW implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from cbow import PAD, train_cbow


def _grads(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray, targets: np.ndarray, *,
           divide_by_slots: bool = False, pad_as_index: bool = False, buffered: bool = False,
           stable: bool = True, mean: bool = True) -> tuple[float, np.ndarray, np.ndarray]:
    batch = len(targets)
    valid = np.ones_like(contexts, dtype=bool) if pad_as_index else contexts != PAD
    counts = np.full((batch, 1), contexts.shape[1]) if divide_by_slots else valid.sum(axis=1, keepdims=True)
    safe = contexts if pad_as_index else np.where(valid, contexts, 0)
    h = (w_in[safe] * valid[..., None]).sum(axis=1) / counts
    logits = h @ w_out.T
    if stable:
        logits = logits - logits.max(axis=1, keepdims=True)
    with np.errstate(all="ignore"):
        log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    losses = -log_probs[np.arange(batch), targets]
    loss = float(losses.mean() if mean else losses.sum())
    d_logits = np.exp(log_probs)
    d_logits[np.arange(batch), targets] -= 1.0
    if mean:
        d_logits /= batch
    d_w_out = d_logits.T @ h
    d_h = d_logits @ w_out
    d_w_in = np.zeros_like(w_in)
    per_slot = (d_h / counts)[:, None, :] * valid[..., None]
    if buffered:
        d_w_in[safe.reshape(-1)] += per_slot.reshape(-1, w_in.shape[1])
    else:
        np.add.at(d_w_in, safe.reshape(-1), per_slot.reshape(-1, w_in.shape[1]))
    return loss, d_w_in, d_w_out


@pitfall(replaces="cbow_windows", why="drops the edge positions whose window is not full, instead of padding")
def full_windows_only(ids: Sequence[int], window: int) -> tuple[np.ndarray, np.ndarray]:
    rows = [list(ids[t - window:t]) + list(ids[t + 1:t + window + 1]) for t in range(window, len(ids) - window)]
    return (np.array(rows, dtype=np.int64).reshape(len(rows), 2 * window),
            np.array(ids[window:len(ids) - window], dtype=np.int64))


@pitfall(replaces="cbow_loss_and_grads", why="averages over all 2*window slots, counting PAD slots as zeros")
def mean_over_all_slots(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray,
                        targets: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    return _grads(w_in, w_out, contexts, targets, divide_by_slots=True)


@pitfall(replaces="cbow_loss_and_grads", why="uses PAD = -1 as an index: NumPy silently reads the LAST row of w_in")
def pad_as_index(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray,
                 targets: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    return _grads(w_in, w_out, contexts, targets, pad_as_index=True)


@pitfall(replaces="cbow_loss_and_grads", why="d_w_in[ids] += g: a context id that repeats gets only one update")
def buffered_update(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray,
                    targets: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    return _grads(w_in, w_out, contexts, targets, buffered=True)


@pitfall(replaces="cbow_loss_and_grads", why="softmax without subtracting the max: exp() overflows to inf/NaN")
def unstable_softmax(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray,
                     targets: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    return _grads(w_in, w_out, contexts, targets, stable=False)


@pitfall(replaces="cbow_loss_and_grads", why="sums the loss over the batch instead of averaging it")
def summed_loss(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray,
                targets: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    return _grads(w_in, w_out, contexts, targets, mean=False)


@pitfall(replaces="train_cbow", why="joins all sentences into one, so windows cross sentence boundaries")
def windows_cross_sentences(sentences: Sequence[Sequence[int]], vocab_size: int, dim: int, window: int, steps: int,
                            lr: float, seed: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    return _solution_train([[i for s in sentences for i in s]], vocab_size, dim, window, steps, lr, seed)


_solution_train = train_cbow


@pitfall(replaces="cbow_windows", why="fills a np.full((n, 2*window), PAD, dtype=float) table: float64 ids, not int64")
def float_windows(ids: Sequence[int], window: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(ids)
    if n < 2:
        return np.zeros((0, 2 * window)), np.zeros(0)
    contexts = np.full((n, 2 * window), PAD, dtype=float)
    for t in range(n):
        row = [ids[j] if 0 <= j < n else PAD for j in range(t - window, t + window + 1) if j != t]
        contexts[t] = row
    return contexts, np.array(ids, dtype=float)


@pitfall(replaces="cbow_loss_and_grads", why="writes 0 over the PAD slots of the caller's contexts array in place")
def pads_in_place(w_in: np.ndarray, w_out: np.ndarray, contexts: np.ndarray,
                  targets: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    valid = contexts != PAD
    contexts[~valid] = 0
    counts = valid.sum(axis=1, keepdims=True)
    batch = len(targets)
    h = (w_in[contexts] * valid[..., None]).sum(axis=1) / counts
    logits = h @ w_out.T
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    loss = float(-log_probs[np.arange(batch), targets].mean())
    d_logits = np.exp(log_probs)
    d_logits[np.arange(batch), targets] -= 1.0
    d_logits /= batch
    d_h = d_logits @ w_out
    d_w_in = np.zeros_like(w_in)
    per_slot = (d_h / counts)[:, None, :] * valid[..., None]
    np.add.at(d_w_in, contexts.reshape(-1), per_slot.reshape(-1, w_in.shape[1]))
    return loss, d_w_in, d_logits.T @ h

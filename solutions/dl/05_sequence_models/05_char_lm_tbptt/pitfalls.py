"""Plausible wrong TBPTT language-model pieces that the tests must reject."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from char_lm import CharLSTM, tbptt_batches


@pitfall(replaces="tbptt_batches", why="chops the text into consecutive batches of rows (x.view(B, -1) per chunk): rows do not continue across chunks")
def rows_not_streams(ids: torch.Tensor, batch_size: int, seq_len: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    if batch_size < 1 or seq_len < 1:
        raise ValueError("sizes")
    L = (len(ids) - 1) // batch_size
    if L < 1:
        raise ValueError("short")
    for start in range(0, L, seq_len):
        w = min(seq_len, L - start)
        base = start * batch_size
        x = ids[base: base + batch_size * w].reshape(batch_size, w)
        yield x, ids[base + 1: base + 1 + batch_size * w].reshape(batch_size, w)


@pitfall(replaces="tbptt_batches", why="targets equal to the inputs (forgot the shift by one)")
def unshifted_targets(ids: torch.Tensor, batch_size: int, seq_len: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    if batch_size < 1 or seq_len < 1:
        raise ValueError("sizes")
    L = (len(ids) - 1) // batch_size
    if L < 1:
        raise ValueError("short")
    streams = torch.stack([ids[b * L: (b + 1) * L + 1] for b in range(batch_size)])
    for start in range(0, L, seq_len):
        x = streams[:, start:min(start + seq_len, L)]
        yield x, x.clone()


def _train(model: CharLSTM, ids: torch.Tensor, batch_size: int, seq_len: int, steps: int, lr: float, clip: float,
           *, carry: bool = True, detach: bool = True, clip_grads: bool = True) -> list[float]:
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses: list[float] = []
    batches, state = tbptt_batches(ids, batch_size, seq_len), None
    while len(losses) < steps:
        try:
            x, y = next(batches)
        except StopIteration:
            batches, state = tbptt_batches(ids, batch_size, seq_len), None
            continue
        if not carry:
            state = None
        elif state is not None and detach:
            state = (state[0].detach(), state[1].detach())
        opt.zero_grad()
        logits, state = model(x, state)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        loss.backward(retain_graph=not detach)
        if clip_grads:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        losses.append(float(loss.detach()))
    return losses


@pitfall(replaces="train_tbptt", why="resets the state to zeros at every chunk: no information crosses chunk boundaries")
def no_carry(model: CharLSTM, ids: torch.Tensor, batch_size: int, seq_len: int, steps: int, lr: float,
             clip: float = 1.0) -> list[float]:
    return _train(model, ids, batch_size, seq_len, steps, lr, clip, carry=False)


@pitfall(replaces="train_tbptt", why="carries the state without detaching (retain_graph=True): full BPTT into earlier chunks")
def no_detach(model: CharLSTM, ids: torch.Tensor, batch_size: int, seq_len: int, steps: int, lr: float,
              clip: float = 1.0) -> list[float]:
    return _train(model, ids, batch_size, seq_len, steps, lr, clip, detach=False)


@pitfall(replaces="train_tbptt", why="never clips the gradient norm")
def no_clipping(model: CharLSTM, ids: torch.Tensor, batch_size: int, seq_len: int, steps: int, lr: float,
                clip: float = 1.0) -> list[float]:
    return _train(model, ids, batch_size, seq_len, steps, lr, clip, clip_grads=False)


@pitfall(replaces="evaluate", why="averages the per-chunk mean losses: a short last chunk weighs as much as a full one")
def mean_of_chunk_means(model: CharLSTM, ids: torch.Tensor, batch_size: int, seq_len: int,
                        carry_state: bool = True) -> float:
    means, state = [], None
    with torch.no_grad():
        for x, y in tbptt_batches(ids, batch_size, seq_len):
            logits, new = model(x, state if carry_state else None)
            state = new
            means.append(float(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))))
    return sum(means) / len(means)


@pitfall(replaces="evaluate", why="ignores carry_state and always carries")
def always_carry(model: CharLSTM, ids: torch.Tensor, batch_size: int, seq_len: int, carry_state: bool = True) -> float:
    total, count, state = 0.0, 0, None
    with torch.no_grad():
        for x, y in tbptt_batches(ids, batch_size, seq_len):
            logits, state = model(x, state)
            total += float(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum"))
            count += y.numel()
    return total / count

"""Reference solution for dl-05-5."""
from __future__ import annotations

from collections.abc import Iterator

import torch
import torch.nn.functional as F

State = tuple[torch.Tensor, torch.Tensor]


class CharLSTM(torch.nn.Module):
    """Given: Embedding(V, E) → one-layer LSTM(E, H, batch_first=True) → Linear(H, V)."""

    def __init__(self, vocab_size: int, emb: int = 32, hidden: int = 64) -> None:
        super().__init__()
        self.emb = torch.nn.Embedding(vocab_size, emb)
        self.lstm = torch.nn.LSTM(emb, hidden, batch_first=True)
        self.head = torch.nn.Linear(hidden, vocab_size)

    def forward(self, idx: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
        """idx (B, T) -> logits (B, T, V) and the final (h, c), each (1, B, H)."""
        out, state = self.lstm(self.emb(idx), state)
        return self.head(out), state


def tbptt_batches(ids: torch.Tensor, batch_size: int, seq_len: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    if batch_size < 1 or seq_len < 1:
        raise ValueError("batch_size and seq_len must be positive")
    L = (len(ids) - 1) // batch_size
    if L < 1:
        raise ValueError("text too short")
    streams = torch.stack([ids[b * L: (b + 1) * L + 1] for b in range(batch_size)])
    for start in range(0, L, seq_len):
        stop = min(start + seq_len, L)
        yield streams[:, start:stop], streams[:, start + 1: stop + 1]


def train_tbptt(model: CharLSTM, ids: torch.Tensor, batch_size: int, seq_len: int, steps: int, lr: float,
                clip: float = 1.0) -> list[float]:
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    losses: list[float] = []
    batches, state = tbptt_batches(ids, batch_size, seq_len), None
    while len(losses) < steps:
        try:
            x, y = next(batches)
        except StopIteration:
            batches, state = tbptt_batches(ids, batch_size, seq_len), None
            continue
        if state is not None:
            state = (state[0].detach(), state[1].detach())
        opt.zero_grad()
        logits, state = model(x, state)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        losses.append(float(loss.detach()))
    return losses


def evaluate(model: CharLSTM, ids: torch.Tensor, batch_size: int, seq_len: int, carry_state: bool = True) -> float:
    total, count, state = 0.0, 0, None
    with torch.no_grad():
        for x, y in tbptt_batches(ids, batch_size, seq_len):
            logits, new_state = model(x, state if carry_state else None)
            state = new_state
            total += float(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum"))
            count += y.numel()
    return total / count

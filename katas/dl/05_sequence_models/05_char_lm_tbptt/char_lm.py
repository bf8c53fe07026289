"""dl-05-5: a character-level LSTM language model trained with truncated BPTT. Edit this file;
`grader check dl-05-5` tests it.

Text is a 1-D int64 tensor of character ids (grader.lm.corpus_splits() gives tiny Shakespeare).
"""
from __future__ import annotations

from collections.abc import Iterator

import torch

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
    """Cut the text into batch_size parallel streams and walk them in chunks of seq_len steps.

    Stream b is ids[b·L : (b+1)·L + 1] with L = (len(ids) − 1) // batch_size (the leftover tail is
    dropped). Chunk k holds positions k·seq_len .. k·seq_len + seq_len − 1 of every stream as inputs x
    and the next character of each as targets y (teacher forcing: the inputs are always the true
    text, never the model's own predictions); the last chunk may be shorter. So row b of chunk k+1
    continues exactly where row b of chunk k stopped.

    Yields:
        x, y: (batch_size, ≤ seq_len) int64

    Raises:
        ValueError: if batch_size or seq_len < 1 or the text is too short for one step per stream.
    """
    raise NotImplementedError("tbptt_batches: reshape into streams, then slice time in chunks")


def train_tbptt(model: CharLSTM, ids: torch.Tensor, batch_size: int, seq_len: int, steps: int, lr: float,
                clip: float = 1.0) -> list[float]:
    """Truncated BPTT: follow tbptt_batches (cycling to the start when it runs out, with a zero state),
    carry the LSTM state from one chunk into the next but detach it, so gradients stop at the chunk
    boundary. Each step: zero the gradients, mean cross-entropy over the chunk, backward, clip the
    global gradient norm to `clip` (torch.nn.utils.clip_grad_norm_), torch.optim.Adam(lr) step.
    The state starts as None (zeros). Returns the loss of each of the `steps` steps.
    """
    raise NotImplementedError("train_tbptt: carry the state across chunks, detached")


def evaluate(model: CharLSTM, ids: torch.Tensor, batch_size: int, seq_len: int, carry_state: bool = True) -> float:
    """Mean cross-entropy per predicted character over all of tbptt_batches(ids, batch_size, seq_len),
    without gradients; the state is carried across chunks (carry_state=True) or reset to zeros at each
    chunk (False)."""
    raise NotImplementedError("evaluate: the same walk without gradients; weight chunks by their size")


"""nlp-11-1: masked, causal and prefix language modelling. Edit this file; `grader check nlp-11-1` tests it."""
from __future__ import annotations

import math
from collections.abc import Iterable

import torch
import torch.nn.functional as F
from torch import nn

OBJECTIVES = ("mlm", "clm", "prefix")
WORDS = ["[MASK]", ".", "the", "a", "big", "small", "red", "cat", "dog", "bird", "fish",
         "sees", "likes", "chases", "eats"]
MASK_ID = 0


def toy_english(n_sentences: int, generator: torch.Generator) -> torch.Tensor:
    """Given: a stream of word ids from a tiny grammar, `DET [ADJ] NOUN VERB DET [ADJ] NOUN .`

    Each adjective slot is filled with probability 1/2; every word is drawn uniformly from its class.
    `" ".join(WORDS[i] for i in ids)` reads like "the cat sees a red fish . a dog eats the bird ."

    Shapes:
        returns: (n_tokens,) long, ids into WORDS, never MASK_ID
    """
    def pick(lo: int, hi: int) -> int:
        return lo + int(torch.randint(hi - lo, (), generator=generator))

    out: list[int] = []
    for _ in range(n_sentences):
        for role in ("subject", "object"):
            out.append(pick(2, 4))                                   # the / a
            if torch.rand((), generator=generator) < 0.5:
                out.append(pick(4, 7))                               # big / small / red
            out.append(pick(7, 11))                                  # cat / dog / bird / fish
            if role == "subject":
                out.append(pick(11, 15))                             # sees / likes / chases / eats
        out.append(1)                                                # .
    return torch.tensor(out)


def random_windows(stream: torch.Tensor, batch_size: int, seq_len: int, generator: torch.Generator) -> torch.Tensor:
    """Given: a batch of random contiguous windows of the token stream.

    Shapes:
        stream: (n_tokens,) long, n_tokens >= seq_len
        returns: (batch_size, seq_len) long
    """
    start = torch.randint(len(stream) - seq_len + 1, (batch_size,), generator=generator)
    return stream[start[:, None] + torch.arange(seq_len)]


class Block(nn.Module):
    """Given: a pre-norm transformer block whose attention takes an explicit bool mask (True = may attend)."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.fc = nn.Linear(d_model, 4 * d_model)
        self.out = nn.Linear(4 * d_model, d_model)

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor | None) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.n_heads)
        if attn_mask is not None:
            scores = scores.masked_fill(~attn_mask, float("-inf"))
        y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class TinyLM(nn.Module):
    """Given: a tiny transformer whose attention pattern is whatever mask you pass.

    forward(idx (B, T) long, attn_mask (T, T) bool or None) -> logits (B, T, vocab_size).
    The same network is a masked, causal or prefix LM: only the mask and the loss differ.
    """

    def __init__(self, vocab_size: int, d_model: int = 32, n_heads: int = 2, n_layers: int = 1,
                 max_len: int = 64) -> None:
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(idx.shape[-1], device=idx.device))
        for block in self.blocks:
            x = block(x, attn_mask)
        return self.head(self.norm(x))


def attention_mask(objective: str, seq_len: int, prefix_len: int = 0) -> torch.Tensor:
    """Which keys each query may attend to, for one of the three objectives (True = may attend).

    "mlm": every position sees every position (bidirectional).
    "clm": position i sees positions 0..i (causal).
    "prefix": the first prefix_len positions see each other (bidirectional); every later
        position i sees the whole prefix and positions up to i (causal).

    Shapes:
        returns: (seq_len, seq_len) bool; row = query position, column = key position

    Raises:
        ValueError: for an unknown objective, or prefix_len outside 0..seq_len.
    """
    raise NotImplementedError("attention_mask: all True, lower triangle, or lower triangle plus a prefix block")


def mlm_corrupt(idx: torch.Tensor, mask_prob: float, mask_id: int, vocab_size: int,
                generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's corruption: select each position independently with probability mask_prob; of the
    selected positions, 80% become mask_id, 10% a token drawn uniformly from 0..vocab_size-1 and 10%
    keep their token. Unselected positions are never changed. Does not modify idx.

    Shapes:
        idx: (B, T) long
        returns: inputs (B, T) long (the corrupted copy), selected (B, T) bool
    """
    raise NotImplementedError("mlm_corrupt: select with prob mask_prob, then 80/10/10")


def make_example(objective: str, idx: torch.Tensor, prefix_len: int = 0, mask_prob: float = 0.15,
                 mask_id: int = MASK_ID, vocab_size: int = len(WORDS),
                 generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """What the model reads, what each position must predict, and which positions are scored.

    "clm": inputs = idx; position t predicts idx[t + 1]; every position but the last is scored.
    "prefix": as "clm", but only the positions whose target lies after the prefix are scored
        (the last prefix position predicts the first non-prefix token).
    "mlm": inputs, selected = mlm_corrupt(idx, mask_prob, mask_id, vocab_size, generator), called
        once; position t predicts idx[t] itself; the selected positions are scored.
    Targets at positions that are not scored may hold any valid token id.

    Shapes:
        idx: (B, T) long
        returns: inputs (B, T) long, targets (B, T) long, loss_mask (B, T) bool

    Raises:
        ValueError: for an objective other than "mlm", "clm" and "prefix".
    """
    raise NotImplementedError("make_example: inputs, targets and loss mask for the objective")


def masked_cross_entropy(logits: torch.Tensor, targets: torch.Tensor, loss_mask: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy (nats) over the scored positions only.

    Shapes:
        logits: (B, T, V); targets: (B, T) long; loss_mask: (B, T) bool with at least one True
        returns: scalar tensor
    """
    raise NotImplementedError("masked_cross_entropy: cross-entropy averaged over loss_mask")


def train_objective(model: nn.Module, objective: str, batches: Iterable[torch.Tensor], lr: float,
                    prefix_len: int = 0, mask_prob: float = 0.15, vocab_size: int = len(WORDS),
                    generator: torch.Generator | None = None) -> list[float]:
    """Train model with one objective: AdamW(model.parameters(), lr=lr, weight_decay=0.0), one step per batch.

    Each step: make_example(objective, batch, prefix_len, mask_prob, MASK_ID, vocab_size, generator),
    logits = model(inputs, attention_mask(objective, T, prefix_len)), loss = masked_cross_entropy(...).

    Shapes:
        batches: an iterable of (B, T) long tensors
        returns: the training loss of every step, as Python floats, in order
    """
    raise NotImplementedError("train_objective: the classic loop with the objective's mask and loss")

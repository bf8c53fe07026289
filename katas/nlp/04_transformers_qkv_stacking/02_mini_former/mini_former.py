"""nlp-04-2: an n-block mini transformer language model. Edit this file; `grader check nlp-04-2` tests it."""
from __future__ import annotations

import math
from collections.abc import Iterable

import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    """Given, complete (you built it in nlp-03-2): multi-head attention with separate projections.

    forward(query, key, value, mask=None) -> (output (B, Lq, d_model), weights (B, H, Lq, Lk)), with
    a bool mask broadcastable to (B, H, Lq, Lk) where True = may attend.
    """

    def __init__(self, d_model: int, n_heads: int, bias: bool = True) -> None:
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}")
        self.d_model, self.n_heads, self.d_head = d_model, n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, seq, _ = x.shape
        return x.view(b, seq, self.n_heads, self.d_head).transpose(1, 2)      # (B, H, L, d_head)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        q, k, v = self._split(self.q_proj(query)), self._split(self.k_proj(key)), self._split(self.v_proj(value))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(query.shape[0], query.shape[1], self.d_model)
        return self.out_proj(out), weights


class TransformerBlock(nn.Module):
    """Given, complete (you built it in nlp-04-1): torch.nn.TransformerEncoderLayer(batch_first=True).

    Attributes self_attn, linear1, linear2, norm1, norm2, dropout, dropout1, dropout2.
    forward(x (B, T, d_model), mask=None) -> (B, T, d_model), with a bool (T, T) mask, True = may attend.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0, activation: str = "relu",
                 norm_first: bool = False, layer_norm_eps: float = 1e-5) -> None:
        super().__init__()
        if activation not in ("relu", "gelu"):
            raise ValueError(f"activation must be 'relu' or 'gelu', not {activation!r}")
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model, eps=layer_norm_eps)
        self.norm2 = nn.LayerNorm(d_model, eps=layer_norm_eps)
        self.dropout = nn.Dropout(dropout)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)
        self.activation = F.relu if activation == "relu" else F.gelu
        self.norm_first = norm_first

    def _sa_block(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        return self.dropout1(self.self_attn(x, x, x, mask=mask)[0])

    def _ff_block(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), mask)
            x = x + self._ff_block(self.norm2(x))
        else:
            x = self.norm1(x + self._sa_block(x, mask))
            x = self.norm2(x + self._ff_block(x))
        return x


def toy_batch(batch_size: int, seq_len: int, vocab_size: int, generator: torch.Generator,
              max_step: int = 3) -> torch.Tensor:
    """Given: a batch of "counting" sequences x[t+1] = (x[t] + s) mod vocab_size.

    Each sequence has its own random start and its own step s in 1..max_step, so predicting the
    next token needs the previous two tokens (one gives the value, the difference gives s).
    Every token is (close to) uniform on its own: the unigram baseline is about log(vocab_size) nats.

    Shapes:
        returns: (batch_size, seq_len), dtype torch.long
    """
    start = torch.randint(vocab_size, (batch_size, 1), generator=generator)
    step = torch.randint(1, max_step + 1, (batch_size, 1), generator=generator)
    return (start + step * torch.arange(seq_len)) % vocab_size


class MiniFormer(nn.Module):
    """A decoder-only (GPT-style) language model: embeddings, n pre-norm blocks, final norm, LM head.

        x = tok_emb(idx) + pos_emb(0 .. T-1)
        x = block_i(x, causal mask)            for i = 1 .. n_layers
        logits = lm_head(norm(x))

    Use these attribute names (the tests copy torch.nn.TransformerEncoder's weights into them):
        tok_emb: nn.Embedding(vocab_size, d_model)
        pos_emb: nn.Embedding(max_len, d_model)          (learned positions)
        blocks: nn.ModuleList of n_layers independent TransformerBlock(d_model, n_heads, d_ff,
                dropout=dropout, activation="gelu", norm_first=True); d_ff defaults to 4 * d_model
        norm: nn.LayerNorm(d_model)                      (the final norm a pre-norm stack needs)
        lm_head: nn.Linear(d_model, vocab_size, bias=False)
    """

    def __init__(self, vocab_size: int, d_model: int, n_heads: int, n_layers: int, max_len: int,
                 d_ff: int | None = None, dropout: float = 0.0) -> None:
        super().__init__()
        raise NotImplementedError("MiniFormer.__init__: embeddings, a ModuleList of blocks, final norm, head")

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        """Next-token logits; position t only sees tokens 0..t.

        Shapes:
            idx: (B, T) long, T <= max_len (raise ValueError otherwise)
            returns: (B, T, vocab_size) logits; logits[:, t] predicts idx[:, t + 1]
        """
        raise NotImplementedError("MiniFormer.forward: embed, add positions, run the blocks causally, norm, head")


def lm_loss(logits: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    """Mean next-token cross-entropy (nats): logits at position t are scored against token t + 1.

    Shapes:
        logits: (B, T, V), idx: (B, T) long, T >= 2
        returns: scalar tensor, the mean over the B * (T - 1) predictions
    """
    raise NotImplementedError("lm_loss: shift by one, then cross-entropy")


def train(model: nn.Module, batches: Iterable[torch.Tensor], lr: float) -> list[float]:
    """Train with AdamW (weight_decay=0) for one step per batch, minimising lm_loss.

    Shapes:
        batches: an iterable of (B, T) long tensors
        returns: the training loss of every step, as Python floats, in order
    """
    raise NotImplementedError("train: the classic loop, zero_grad / backward / step")

"""The workbook's small language model and its corpus, shared by the katas that need a real model.

A character-level GPT (pre-norm transformer, rotary position embeddings, 4 layers, ~0.3 M parameters)
trained on tiny Shakespeare (`data/tinyshakespeare.txt`) with a fixed context of `CONTEXT` = 64
characters by `tools/train_char_lm.py`. The committed weights live in `data/models/`; their training
seed, schedule and final validation loss are in `data/models/char_gpt.json`.

Katas load the corpus and the model only through this module:

    from grader import lm
    train_ids, val_ids = lm.corpus_splits()      # int64 tensors of character ids
    model = lm.load_model()                      # CharGPT in eval mode, float32, a fresh copy
    lm.evaluate_loss(model, val_ids[:4096], context=64)

`load_model()` returns a fresh copy on every call (the weights are read once), so a model one test
changes in place never leaks into the next. torch is imported at module top: only torch katas
import this module.
"""
from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from grader.discovery import paths

CONTEXT = 64           # the fixed training context, in characters
VAL_FRACTION = 0.1     # the last 10 % of the corpus (by characters) is the held-out validation split
CORPUS_FILE = "tinyshakespeare.txt"
WEIGHTS_FILE = "char_gpt.pt"
META_FILE = "char_gpt.json"


def data_dir() -> Path:
    """`data/` of the workbook (falls back to the checkout the grader is installed from)."""
    here = paths.root() / "data"
    if (here / CORPUS_FILE).exists():
        return here
    return paths.PACKAGE.parent / "data"


# ----------------------------------------------------------------------------- corpus and vocabulary

@lru_cache(maxsize=1)
def corpus_text() -> str:
    """The whole corpus as one string (1,115,394 characters)."""
    return (data_dir() / CORPUS_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def vocab() -> tuple[str, ...]:
    """The 65 characters of the corpus, sorted by code point; a character's id is its index."""
    return tuple(sorted(set(corpus_text())))


@lru_cache(maxsize=1)
def _stoi() -> dict[str, int]:
    return {c: i for i, c in enumerate(vocab())}


def encode(text: str) -> torch.Tensor:
    """Character ids of `text` as an int64 tensor of shape (len(text),). KeyError on an unknown char."""
    stoi = _stoi()
    return torch.tensor([stoi[c] for c in text], dtype=torch.long)


def decode(ids: torch.Tensor | list[int]) -> str:
    """The text of a sequence of character ids."""
    chars = vocab()
    return "".join(chars[int(i)] for i in (ids.tolist() if isinstance(ids, torch.Tensor) else ids))


@lru_cache(maxsize=1)
def _corpus_ids() -> torch.Tensor:
    stoi = _stoi()
    ids = torch.tensor([stoi[c] for c in corpus_text()], dtype=torch.long)
    ids.requires_grad_(False)
    return ids


def corpus_splits() -> tuple[torch.Tensor, torch.Tensor]:
    """(train_ids, val_ids): the first 90 % and the last 10 % of the corpus as int64 id tensors.

    Fresh clones on every call, so a caller may modify them.
    """
    ids = _corpus_ids()
    n_train = int(len(ids) * (1 - VAL_FRACTION))
    return ids[:n_train].clone(), ids[n_train:].clone()


# ----------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class LMConfig:
    vocab_size: int = 65
    n_layer: int = 4
    n_head: int = 4
    d_model: int = 80
    d_ff: int = 320
    context: int = CONTEXT
    rope_base: float = 10000.0


Attend = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]


def causal_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """softmax(q kᵀ / sqrt(head_dim) + causal mask) v for (B, H, T, head_dim) tensors (torch's SDPA)."""
    return F.scaled_dot_product_attention(q, k, v, is_causal=True)


def rope_angles(positions: torch.Tensor, head_dim: int, base: float = 10000.0) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin of the rotary angles, each of shape (len(positions), head_dim // 2), float32."""
    inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    angles = positions.to(torch.float32)[:, None] * inv_freq[None, :]
    return angles.cos(), angles.sin()


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate pairs (x[..., 2i], x[..., 2i+1]) of x (..., T, head_dim) by the angles of cos/sin (T, head_dim//2)."""
    x1, x2 = x[..., 0::2], x[..., 1::2]
    cos, sin = cos.to(x.dtype), sin.to(x.dtype)
    out = torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)
    return out.flatten(-2)


class Attention(nn.Module):
    """Causal multi-head self-attention with rotary positions; one fused qkv projection, no biases."""

    def __init__(self, cfg: LMConfig) -> None:
        super().__init__()
        self.n_head = cfg.n_head
        self.head_dim = cfg.d_model // cfg.n_head
        self.rope_base = cfg.rope_base
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model, bias=False)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model, bias=False)

    def split_heads(self, x: torch.Tensor, positions: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """q, k, v of shape (B, H, T, head_dim) for x (B, T, D) at absolute `positions` (T,); q, k rotated."""
        B, T, D = x.shape
        q, k, v = self.qkv(x).split(D, dim=-1)
        q, k, v = (t.view(B, T, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))
        cos, sin = rope_angles(positions, self.head_dim, self.rope_base)
        return apply_rope(q, cos, sin), apply_rope(k, cos, sin), v

    def merge_heads(self, y: torch.Tensor) -> torch.Tensor:
        """(B, H, T, head_dim) -> output projection of (B, T, D)."""
        B, H, T, hd = y.shape
        return self.proj(y.transpose(1, 2).reshape(B, T, H * hd))

    def forward(self, x: torch.Tensor, positions: torch.Tensor, attention: Attend | None = None) -> torch.Tensor:
        q, k, v = self.split_heads(x, positions)
        y = causal_attention(q, k, v) if attention is None else attention(q, k, v)
        return self.merge_heads(y)


class Block(nn.Module):
    def __init__(self, cfg: LMConfig) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.attn = Attention(cfg)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.fc = nn.Linear(cfg.d_model, cfg.d_ff)
        self.out = nn.Linear(cfg.d_ff, cfg.d_model)

    def mlp(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(F.gelu(self.fc(x)))

    def forward(self, x: torch.Tensor, positions: torch.Tensor, attention: Attend | None = None) -> torch.Tensor:
        x = x + self.attn(self.ln1(x), positions, attention)
        return x + self.mlp(self.ln2(x))


class CharGPT(nn.Module):
    """Character-level GPT: embedding -> n_layer pre-norm blocks (RoPE attention + GELU MLP) -> LayerNorm -> head.

    `forward(idx)` maps ids (B, T) to logits (B, T, vocab_size); `positions` (T,) defaults to
    arange(T); `attention(q, k, v) -> y`, all (B, H, T, head_dim), replaces the causal attention of
    every layer (q and k already rotated), e.g. by a sliding-window attention. Nothing stops T from exceeding `cfg.context`: RoPE has no table to run out of, which
    is what lets the long-context katas measure what happens past the training context.
    """

    def __init__(self, cfg: LMConfig | None = None) -> None:
        super().__init__()
        self.cfg = cfg or LMConfig()
        c = self.cfg
        self.embed = nn.Embedding(c.vocab_size, c.d_model)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.n_layer))
        self.ln_f = nn.LayerNorm(c.d_model)
        self.head = nn.Linear(c.d_model, c.vocab_size, bias=False)

    def forward(self, idx: torch.Tensor, positions: torch.Tensor | None = None,
                attention: Attend | None = None) -> torch.Tensor:
        if positions is None:
            positions = torch.arange(idx.shape[1])
        x = self.embed(idx)
        for block in self.blocks:
            x = block(x, positions, attention)
        return self.head(self.ln_f(x))


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# ----------------------------------------------------------------------------- evaluation and loading

def windows(ids: torch.Tensor, context: int, max_windows: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Non-overlapping (input, target) windows of `context` characters: two (N, context) int64 tensors."""
    n = (len(ids) - 1) // context
    if max_windows is not None:
        n = min(n, max_windows)
    x = ids[: n * context].view(n, context)
    y = ids[1: n * context + 1].view(n, context)
    return x, y


@torch.no_grad()
def evaluate_loss(model: nn.Module, ids: torch.Tensor, context: int = CONTEXT,
                  max_windows: int | None = None, batch_size: int = 64) -> float:
    """Mean next-character cross-entropy (nats) of `model` over non-overlapping windows of `ids`."""
    x, y = windows(ids, context, max_windows)
    total, count = 0.0, 0
    for i in range(0, len(x), batch_size):
        logits = model(x[i:i + batch_size])
        total += F.cross_entropy(logits.flatten(0, 1).double(), y[i:i + batch_size].flatten(),
                                 reduction="sum").item()
        count += y[i:i + batch_size].numel()
    return total / count


def metadata() -> dict:
    """The training record of the committed weights (seed, steps, config, validation loss, ...)."""
    return json.loads((data_dir() / "models" / META_FILE).read_text())


@lru_cache(maxsize=1)
def _committed_model() -> CharGPT:
    meta = metadata()
    model = CharGPT(LMConfig(**meta["config"]))
    state = torch.load(data_dir() / "models" / WEIGHTS_FILE, map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    model.eval()
    model.requires_grad_(False)
    return model


def load_model() -> CharGPT:
    """The committed CharGPT, float32, eval mode, gradients off: a fresh copy on every call.

    The weights are read from disk once; each caller gets its own copy, so code that changes a model
    in place (a learner's bug, a pitfall that quantizes in place) cannot change what the next test
    in the same process loads.
    """
    return copy.deepcopy(_committed_model())


def config_dict(cfg: LMConfig) -> dict:
    return asdict(cfg)


def perplexity(loss: float) -> float:
    return math.exp(loss)

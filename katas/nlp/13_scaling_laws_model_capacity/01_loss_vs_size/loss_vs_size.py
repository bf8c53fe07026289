"""nlp-13-1: train tiny, small and medium models and plot loss against size. Edit this file; `grader check nlp-13-1` tests it."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

WORDS = [".", "the", "a", "big", "small", "red", "cat", "dog", "bird", "fish", "sees", "likes", "chases", "eats"]


def toy_english(n_sentences: int, generator: torch.Generator) -> torch.Tensor:
    """Given: toy English, `DET [ADJ] NOUN VERB DET [ADJ] NOUN .` with uniform word choices.

    Shapes:
        returns: (n_tokens,) long, ids into WORDS
    """
    def pick(lo: int, hi: int) -> int:
        return lo + int(torch.randint(hi - lo, (), generator=generator))

    out: list[int] = []
    for _ in range(n_sentences):
        for role in ("subject", "object"):
            out.append(pick(1, 3))                                   # the / a
            if torch.rand((), generator=generator) < 0.5:
                out.append(pick(3, 6))                               # big / small / red
            out.append(pick(6, 10))                                  # cat / dog / bird / fish
            if role == "subject":
                out.append(pick(10, 14))                             # sees / likes / chases / eats
        out.append(0)                                                # .
    return torch.tensor(out)


def windows(stream: torch.Tensor, seq_len: int) -> torch.Tensor:
    """Given: the stream cut into consecutive non-overlapping windows, (n_tokens // seq_len, seq_len) long."""
    n = len(stream) // seq_len
    return stream[: n * seq_len].view(n, seq_len)


class Block(nn.Module):
    """Given: a pre-norm transformer block with a causal mask."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.fc = nn.Linear(d_model, 4 * d_model)
        self.out = nn.Linear(4 * d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.n_heads)
        scores = scores.masked_fill(~torch.ones(t, t, dtype=torch.bool, device=x.device).tril(), float("-inf"))
        y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class TinyLM(nn.Module):
    """Given: a tiny causal transformer LM whose size you choose. Parameter names: tok_emb.*, pos_emb.*,
    blocks.<i>.{ln1, qkv, proj, ln2, fc, out}.*, norm.*, head.weight (no bias).

    forward(idx (B, T) long) -> logits (B, T, vocab_size).
    """

    def __init__(self, vocab_size: int = len(WORDS), d_model: int = 32, n_heads: int = 2, n_layers: int = 2,
                 max_len: int = 32) -> None:
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(idx.shape[-1], device=idx.device))
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))


def lm_loss(logits: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    """Given: mean next-token cross-entropy, logits at t scored against idx[t + 1]."""
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), idx[:, 1:].reshape(-1))


LADDER = {
    "tiny": {"d_model": 2, "n_heads": 1, "n_layers": 1},
    "small": {"d_model": 8, "n_heads": 2, "n_layers": 1},
    "medium": {"d_model": 32, "n_heads": 2, "n_layers": 2},
}


def count_parameters(model: nn.Module, non_embedding: bool = True) -> int:
    """Number of scalar parameters of a TinyLM.

    non_embedding=True counts like Kaplan et al.: leave out the vocabulary- and position-sized
    matrices, i.e. every parameter under tok_emb, pos_emb and head (GPT-2 ties head to tok_emb).
    non_embedding=False counts everything.
    """
    raise NotImplementedError("count_parameters: sum of numel, optionally without the embeddings")


def parameter_formula(d_model: int, n_layers: int, vocab_size: int, max_len: int, non_embedding: bool = True) -> int:
    """The same count in closed form, from the architecture of Block and TinyLM (weights and biases
    of every Linear, weight and bias of every LayerNorm). For large d_model it approaches
    12 * n_layers * d_model**2, the approximation of Kaplan et al.
    """
    raise NotImplementedError("parameter_formula: add up each layer's weights and biases")


def train_ladder(configs: dict[str, dict], train: torch.Tensor, held_out: torch.Tensor, steps: int, batch_size: int,
                 lr: float, seed: int, dtype: torch.dtype = torch.float32) -> list[dict]:
    """Train one TinyLM per config on the same data and the same batches, and score each on held-out text.

    For each (name, config) in order: torch.manual_seed(seed); model = TinyLM(len(WORDS),
    max_len=train.shape[1], **config).to(dtype); gen = torch.Generator().manual_seed(seed);
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0); `steps` times:
    batch = train[torch.randint(len(train), (batch_size,), generator=gen)], one step on lm_loss.
    Then the held-out loss lm_loss(model(held_out), held_out) under torch.no_grad().

    Shapes:
        train: (N, T) long; held_out: (M, T) long

    Returns:
        [{"name": name, "params": count_parameters(model), "loss": held-out loss as a float}], sorted
        by params (smallest first)
    """
    raise NotImplementedError("train_ladder: same seed, same batches, one model per size")


def plot_loss_vs_size(results: list[dict]) -> Figure:
    """Held-out loss against non-embedding parameters on log-log axes, as in Kaplan et al. (2020).

    One axes: a single line with markers through (params, loss), ordered by params; both scales
    "log"; xlabel containing "param", ylabel containing "loss"; every point annotated with its name.
    """
    raise NotImplementedError("plot_loss_vs_size: a log-log line through the ladder, points labelled")

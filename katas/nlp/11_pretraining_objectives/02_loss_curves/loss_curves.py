"""nlp-11-2: loss curves of three objectives, and which learns faster. Edit this file; `grader check nlp-11-2` tests it."""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

WORDS = ["[MASK]", ".", "the", "a", "big", "small", "red", "cat", "dog", "bird", "fish",
         "sees", "likes", "chases", "eats"]
MASK_ID = 0
OBJECTIVES = ("mlm", "clm", "prefix")


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
    """Given (you built it in nlp-11-1): (T, T) bool, True = may attend."""
    if objective == "mlm":
        return torch.ones(seq_len, seq_len, dtype=torch.bool)
    mask = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
    if objective == "prefix":
        mask[:prefix_len, :prefix_len] = True
    return mask


def make_example(objective: str, idx: torch.Tensor, prefix_len: int,
                 generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Given (you built it in nlp-11-1): inputs, targets and loss mask, BERT's 80/10/10 at 15% for "mlm"."""
    if objective == "mlm":
        selected = torch.rand(idx.shape, generator=generator) < 0.15
        action = torch.rand(idx.shape, generator=generator)
        random_tokens = torch.randint(len(WORDS), idx.shape, generator=generator)
        inputs = torch.where(selected & (action < 0.8), torch.full_like(idx, MASK_ID), idx)
        inputs = torch.where(selected & (action >= 0.8) & (action < 0.9), random_tokens, inputs)
        return inputs, idx, selected
    scored = torch.arange(idx.shape[-1]) < idx.shape[-1] - 1
    if objective == "prefix":
        scored &= torch.arange(idx.shape[-1]) >= prefix_len - 1
    return idx, idx.roll(-1, dims=-1), scored.expand(idx.shape)


def train_objective(objective: str, batches: list[torch.Tensor], init_state: dict[str, torch.Tensor],
                    prefix_len: int = 6, lr: float = 1e-2, seed: int = 2) -> dict[str, list]:
    """One real training run of a TinyLM with one objective; the log the analysis below reads.

    Build TinyLM(len(WORDS), max_len=T) (T = batches[0].shape[1]), load init_state into it, and
    train it with torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0) on the batches in
    order, one step per batch: inputs, targets, scored = make_example(objective, batch, prefix_len, gen)
    with one gen = torch.Generator().manual_seed(seed) for the whole run; the loss is the
    cross-entropy of model(inputs, attention_mask(objective, T, prefix_len)) at the scored positions
    against targets there (logits[scored], targets[scored]); zero_grad, backward, step.
    init_state is not modified.

    Returns:
        {"loss": [loss.item() per step], "scored": [int(scored.sum()) per step]}

    Raises:
        ValueError: for an objective not in ("mlm", "clm", "prefix").
    """
    raise NotImplementedError("train_objective: the real training loop, one AdamW step per batch")


def run_objectives(steps: int = 60, seed: int = 0, seq_len: int = 16, prefix_len: int = 6, batch_size: int = 16,
                   lr: float = 1e-2) -> dict[str, dict[str, list]]:
    """Given: one TinyLM per objective, from the same initial weights, on the same batches, each
    trained by your train_objective (make_example's generator seeded with seed + 2).

    Returns {"mlm" | "clm" | "prefix": train_objective(...)}, the logs the functions below analyse.
    About a second on a CPU.
    """
    stream = toy_english(400, torch.Generator().manual_seed(seed))
    batches = [random_windows(stream, batch_size, seq_len, torch.Generator().manual_seed(seed + 1 + s))
               for s in range(steps)]
    torch.manual_seed(seed)
    init = TinyLM(len(WORDS), max_len=seq_len).state_dict()
    return {objective: train_objective(objective, batches, init, prefix_len, lr, seed + 2) for objective in OBJECTIVES}


def ema(values: np.ndarray | list[float], beta: float) -> np.ndarray:
    """Bias-corrected exponential moving average (the smoothing slider of TensorBoard).

    s_t = beta * s_{t-1} + (1 - beta) * x_t with s_{-1} = 0, returned as s_t / (1 - beta**(t + 1)).
    beta = 0 returns the values unchanged.

    Shapes:
        values: (n,) with n >= 1; returns: (n,) float64

    Raises:
        ValueError: unless 0 <= beta < 1.
    """
    raise NotImplementedError("ema: the running average, divided by 1 - beta**(t+1)")


def learning_speed(log: dict[str, list], threshold: float, beta: float) -> dict[str, int | None]:
    """How long one run took to reach a loss: the first step whose smoothed loss is <= threshold.

    With i the 0-based index of that step, returns {"steps": i + 1, "tokens": sum(log["scored"][: i + 1])},
    the number of optimisation steps and of scored (supervised) tokens it took; both None if the
    smoothed curve never gets there.
    """
    raise NotImplementedError("learning_speed: smooth, find the first crossing, count steps and tokens")


def fastest(speeds: dict[str, dict[str, int | None]], by: str) -> str | None:
    """The objective that reached the threshold first, measured in "steps" or in "tokens".

    speeds maps objective -> learning_speed(...). Objectives that never reached it (None) lose to
    every one that did; returns None when none did.
    """
    raise NotImplementedError("fastest: the name with the smallest count, ignoring None")


def plot_loss_curves(logs: dict[str, dict[str, list]], beta: float = 0.9) -> Figure:
    """Two side-by-side panels of the smoothed training losses, one line per objective.

    Left axes: x = step (1, 2, ..., n), xlabel containing "step". Right axes: x = cumulative scored
    tokens (sum of log["scored"] up to and including the step), xlabel containing "token". Both:
    y = ema(log["loss"], beta), ylabel containing "loss", each line labelled with its objective
    name, and a legend. Returns the matplotlib Figure (use matplotlib.figure.Figure or pyplot).
    """
    raise NotImplementedError("plot_loss_curves: two axes, one smoothed line per objective on each")

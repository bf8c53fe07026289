"""nlp-12-1: fine-tune a pretrained model on a small custom dataset. Edit this file; `grader check nlp-12-1` tests it."""
from __future__ import annotations

import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

WORDS = [".", "the", "a", "big", "small", "red", "cat", "dog", "bird", "fish", "sees", "likes", "chases", "eats"]


def toy_english(n_sentences: int, generator: torch.Generator) -> torch.Tensor:
    """Given: the general pretraining text, `DET [ADJ] NOUN VERB DET [ADJ] NOUN .` with uniform word choices.

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


def cat_stories(n_sentences: int, generator: torch.Generator) -> torch.Tensor:
    """Given: the small custom domain, sentences about one cat: `the big cat VERB a [ADJ] NOUN .`

    The subject is always "the big cat", the verb only "chases" or "eats", the object never a cat.

    Shapes:
        returns: (n_tokens,) long, ids into WORDS
    """
    out: list[int] = []
    for _ in range(n_sentences):
        out += [1, 3, 6, 12 + int(torch.randint(2, (), generator=generator)), 2]   # the big cat chases|eats a
        if torch.rand((), generator=generator) < 0.5:
            out.append(3 + int(torch.randint(3, (), generator=generator)))
        out += [7 + int(torch.randint(3, (), generator=generator)), 0]             # dog / bird / fish .
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
    """Given: a tiny causal transformer LM. Parameter names: tok_emb.*, pos_emb.*, blocks.<i>.*, norm.*, head.*

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


def pretrain(model: nn.Module, steps: int = 300, seq_len: int = 16, batch_size: int = 32, lr: float = 1e-2,
             seed: int = 0) -> list[float]:
    """Given: next-token training on general toy English with AdamW; returns the loss of every step."""
    gen = torch.Generator().manual_seed(seed)
    data = windows(toy_english(40 * steps, gen), seq_len)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for _ in range(steps):
        batch = data[torch.randint(len(data), (batch_size,), generator=gen)]
        loss = lm_loss(model(batch), batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def freeze_except(model: nn.Module, trainable: Sequence[str]) -> int:
    """Freeze every parameter except those under one of the given module names; return how many
    scalars stay trainable.

    A parameter is under "blocks.1" if its name is "blocks.1" or starts with "blocks.1." (so
    "blocks.10.fc.weight" is NOT under "blocks.1"). Sets requires_grad on every parameter.

    Returns:
        the number of trainable scalars (sum of numel of the parameters left trainable)
    """
    raise NotImplementedError("freeze_except: requires_grad by module-name prefix, count what is left")


def layerwise_lr_groups(model: TinyLM, lr: float, decay: float) -> list[dict]:
    """Optimizer parameter groups with layer-wise learning-rate decay (discriminative fine-tuning).

    With n = len(model.blocks): "head.*" and "norm.*" get lr; "blocks.<i>.*" gets lr * decay**(n - i);
    "tok_emb.*" and "pos_emb.*" get lr * decay**(n + 1). Only trainable parameters (requires_grad)
    are included; groups left empty are dropped.

    Returns:
        a list of {"params": [parameters], "lr": float} for torch.optim.AdamW
    """
    raise NotImplementedError("layerwise_lr_groups: one group per depth, lr shrinking towards the input")


def early_stopping(val_losses: Sequence[float], patience: int, min_delta: float = 0.0) -> tuple[int, bool]:
    """Which epoch was best so far, and whether to stop now.

    Epoch 0 starts as the best; a later epoch becomes the best if its loss is below the best loss so
    far minus min_delta (an equal loss is not an improvement). Stop once `patience` epochs have passed
    since the best one, i.e. when (len(val_losses) - 1 - best) >= patience.

    Returns:
        (best epoch index, stop?) for a non-empty list of losses
    """
    raise NotImplementedError("early_stopping: track the best, count epochs since it")


def finetune(model: TinyLM, train_batches: Sequence[torch.Tensor], val_batch: torch.Tensor, lr: float, epochs: int,
             patience: int, trainable: Sequence[str] | None = None, lr_decay: float = 1.0,
             min_delta: float = 0.0) -> dict:
    """Fine-tune model in place, with early stopping, and leave it holding its best weights.

    1. If trainable is given, freeze_except(model, trainable).
    2. opt = torch.optim.AdamW(layerwise_lr_groups(model, lr, lr_decay), weight_decay=0.0).
    3. Each epoch: one AdamW step per train batch in order (loss = lm_loss(model(batch), batch));
       then the validation loss lm_loss(model(val_batch), val_batch) under torch.no_grad();
       (best, stop) = early_stopping(val losses so far, patience, min_delta); keep a copy of the
       weights whenever this epoch is the best; break if stop.
    4. Load the best weights back into model.
    epochs >= 1 and patience >= 1.

    Returns:
        {"train_loss": [mean training loss of each epoch], "val_loss": [validation loss after each
        epoch], "best_epoch": index of the epoch whose weights the model now holds}
    """
    raise NotImplementedError("finetune: epochs of AdamW steps, validate, early-stop, restore the best")

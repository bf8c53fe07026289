"""nlp-30-2: sweep the LoRA rank and plot accuracy against trainable parameters. Edit this file; `grader check nlp-30-2` tests it."""
from __future__ import annotations

from collections.abc import Sequence

import torch
from matplotlib.figure import Figure
from torch import nn

from grader import lm

TARGETS = ("qkv", "proj", "fc", "out")


def rot13_windows(start: int, stop: int, length: int = 32) -> torch.Tensor:
    """Given: characters [start, stop) of the corpus in ROT13, as (N, length + 1) int64 windows."""
    lower = "abcdefghijklmnopqrstuvwxyz"
    upper = lower.upper()
    table = str.maketrans(lower + upper, lower[13:] + lower[:13] + upper[13:] + upper[:13])
    ids = lm.encode(lm.corpus_text()[start:stop].translate(table))
    n = len(ids) // (length + 1)
    return ids[: n * (length + 1)].view(n, length + 1)


def lora_trainable_params(model: nn.Module, targets: Sequence[str], r: int) -> int:
    """How many scalars LoRA of rank r on `targets` trains: sum of r * (in_features + out_features)
    over the nn.Linear modules whose dotted name is a target or ends with "." + a target.
    """
    raise NotImplementedError("lora_trainable_params: sum of r * (in + out) over the targeted nn.Linear modules")


def next_char_accuracy(model: nn.Module, windows: torch.Tensor) -> float:
    """Top-1 next-character accuracy on (N, T + 1) windows: the model reads windows[:, :-1]; a
    prediction is correct when argmax of its logits equals windows[:, 1:] at that position. The
    fraction of correct predictions over all N * T positions.
    """
    raise NotImplementedError("next_char_accuracy: fraction of positions where argmax equals the next character")


def lora_finetune(base: nn.Module, r: int, train_windows: torch.Tensor, steps: int, alpha: float = 8.0,
                  lr: float = 1e-2, batch_size: int = 16, seed: int = 0,
                  targets: Sequence[str] = TARGETS) -> nn.Module:
    """Fine-tune a copy of `base` with peft's LoRA of rank r; `base` itself is left untouched.

    model = get_peft_model(copy.deepcopy(base), LoraConfig(r=r, lora_alpha=alpha,
    target_modules=list(targets), lora_dropout=0.0)), built inside
    `with torch.random.fork_rng(): torch.manual_seed(seed)` (peft draws A from the global RNG; the
    fork keeps the caller's global RNG untouched); AdamW(trainable parameters, lr=lr,
    weight_decay=0.0); each of `steps` steps trains on train_windows[torch.randint(N, (batch_size,),
    generator=g)] with g = torch.Generator().manual_seed(seed), loss F.cross_entropy of
    model(batch[:, :-1]) against batch[:, 1:]. Returns the peft model in eval mode.
    """
    raise NotImplementedError("lora_finetune: peft LoRA on a deepcopy, AdamW on seeded batches")


def rank_sweep(base: nn.Module, ranks: Sequence[int], train_windows: torch.Tensor, val_windows: torch.Tensor,
               steps: int, **finetune_kwargs: object) -> list[dict]:
    """Fine-tune one LoRA per rank and measure it.

    For each r in order: r = 0 means no adapter (the base model, 0 trainable scalars); otherwise
    lora_finetune(base, r, train_windows, steps, **finetune_kwargs). Each entry is
    {"r": r, "trainable": number of scalars with requires_grad in the fine-tuned model (0 for r = 0),
     "accuracy": next_char_accuracy on val_windows}.
    """
    raise NotImplementedError("rank_sweep: one fine-tune per rank (r = 0: the base model), measured")


def plot_rank_sweep(results: Sequence[dict]) -> Figure:
    """Accuracy against trainable parameters, one marker per rank, joined in order of size.

    One line whose points are (trainable, accuracy) sorted by trainable; each point annotated with
    the text "r=<r>" (ax.annotate or ax.text); the x label mentions "param", the y label "accuracy".

    Returns:
        the matplotlib Figure (one Axes)
    """
    raise NotImplementedError("plot_rank_sweep: accuracy against trainable parameters, annotated with r")

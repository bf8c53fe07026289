"""nlp-47-1: progressive distillation. Edit this file; `grader check nlp-47-1` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401  (you will need it)
from torch import nn

from grader import lm


def make_chain(seed: int, widths: list[tuple[int, int]]) -> list[lm.CharGPT]:
    """Given: fresh CharGPT models of (n_layer, d_model) each, initialised from seed, seed + 1, ...
    (the global RNG is left alone)."""
    out = []
    with torch.random.fork_rng():
        for k, (n_layer, d_model) in enumerate(widths):
            torch.manual_seed(seed + k)
            out.append(lm.CharGPT(lm.LMConfig(n_layer=n_layer, d_model=d_model, d_ff=2 * d_model, n_head=2)))
    return out


def kd_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """T**2 * KL(softmax(teacher / T) || softmax(student / T)), summed over the vocabulary and averaged
    over positions (every leading dimension is a position). No gradient reaches teacher_logits.

    Shapes:
        student_logits, teacher_logits: (..., V); returns: a scalar

    Raises:
        ValueError: if temperature <= 0.
    """
    raise NotImplementedError("kd_loss")


def progressive_distill(teacher: nn.Module, chain: list[nn.Module], windows: torch.Tensor, steps: int,
                        temperature: float = 2.0, lr: float = 1e-2, batch_size: int = 16,
                        seed: int = 0) -> list[list[float]]:
    """Distil teacher -> chain[0] -> chain[1] -> ...: each model learns from the one before it,
    which is already trained and stays fixed while it teaches.

    Stage k (k = 0, 1, ...) trains chain[k] against prev = teacher if k == 0 else chain[k - 1]:
    AdamW(chain[k].parameters(), lr=lr, weight_decay=0.0); g = torch.Generator().manual_seed(seed + k);
    `steps` times: batch = windows[torch.randint(N, (batch_size,), generator=g)], x = batch[:, :-1];
    prev(x) under torch.no_grad(); loss = kd_loss(chain[k](x), that, temperature); zero_grad,
    backward, step. The teacher is never changed.

    Shapes:
        windows: (N, T + 1) int64 character ids

    Returns:
        the losses of every stage: len(chain) lists of `steps` floats
    """
    raise NotImplementedError("progressive_distill")

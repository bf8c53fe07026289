"""nlp-31-3: measure student performance against compression ratio. Edit this file; `grader check nlp-31-3` tests it."""
from __future__ import annotations

import copy
from collections.abc import Sequence

import torch
from matplotlib.figure import Figure
from torch import nn

from grader import lm


def truncated(model: lm.CharGPT, n_blocks: int) -> lm.CharGPT:
    """Given: a copy of `model` that keeps only its first n_blocks blocks (no retraining)."""
    small = copy.deepcopy(model)
    small.blocks = nn.ModuleList(small.blocks[:n_blocks])
    return small


def compression_ratio(teacher: nn.Module, student: nn.Module) -> float:
    """Parameters of the teacher divided by parameters of the student (all parameters, trainable or not)."""
    raise NotImplementedError("compression_ratio: teacher parameters / student parameters")


def top1_agreement(teacher: nn.Module, student: nn.Module, windows: torch.Tensor) -> float:
    """Fraction of positions where the student's argmax next character equals the teacher's.

    Both read windows[:, :-1] of the (N, T + 1) windows; ties in argmax go to the lower index
    (torch.argmax).
    """
    raise NotImplementedError("top1_agreement: fraction of positions where the argmaxes agree")


def compression_curve(teacher: nn.Module, students: dict[str, nn.Module], windows: torch.Tensor) -> list[dict]:
    """Measure every student against the teacher on the same (N, T + 1) windows.

    Each entry: {"name", "ratio": compression_ratio(teacher, student), "loss": mean next-character
    cross-entropy of the student on windows (nats, F.cross_entropy of float64 logits over all N * T positions),
    "loss_increase": that loss minus the teacher's, "agreement": top1_agreement(...)}.
    Sorted by ratio, smallest first (ties keep the order of `students`).
    """
    raise NotImplementedError("compression_curve: ratio, loss, loss increase and agreement per student, sorted by ratio")


def most_compressed_within(curve: Sequence[dict], max_loss_increase: float) -> dict | None:
    """The entry with the largest ratio whose loss_increase <= max_loss_increase (a tie in ratio goes
    to the earlier entry), or None if no entry qualifies."""
    raise NotImplementedError("most_compressed_within: the largest ratio whose loss increase is within tolerance")


def plot_compression_curve(curve: Sequence[dict]) -> Figure:
    """Two panels sharing the x axis (compression ratio): the loss increase (left Axes) and the top-1
    agreement with the teacher (right Axes), one point per student in the order of `curve`, each
    annotated with its name on the left panel. The x labels mention "compression", the y labels
    "loss" and "agreement".
    """
    raise NotImplementedError("plot_compression_curve: loss increase and agreement against compression ratio")

"""Reference solution for nlp-31-3."""
from __future__ import annotations

import copy
from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
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
    return sum(p.numel() for p in teacher.parameters()) / sum(p.numel() for p in student.parameters())


def top1_agreement(teacher: nn.Module, student: nn.Module, windows: torch.Tensor) -> float:
    """Fraction of positions where the student's argmax next character equals the teacher's.

    Both read windows[:, :-1] of the (N, T + 1) windows; ties in argmax go to the lower index
    (torch.argmax).
    """
    with torch.no_grad():
        x = windows[:, :-1]
        return (student(x).argmax(-1) == teacher(x).argmax(-1)).double().mean().item()


def compression_curve(teacher: nn.Module, students: dict[str, nn.Module], windows: torch.Tensor) -> list[dict]:
    """Measure every student against the teacher on the same (N, T + 1) windows.

    Each entry: {"name", "ratio": compression_ratio(teacher, student), "loss": mean next-character
    cross-entropy of the student on windows (nats, F.cross_entropy of float64 logits over all N * T positions),
    "loss_increase": that loss minus the teacher's, "agreement": top1_agreement(...)}.
    Sorted by ratio, smallest first (ties keep the order of `students`).
    """
    def loss(model: nn.Module) -> float:
        with torch.no_grad():
            logits = model(windows[:, :-1]).double()
        return F.cross_entropy(logits.transpose(1, 2), windows[:, 1:]).item()

    base = loss(teacher)
    rows = []
    for name, student in students.items():
        s_loss = loss(student)
        rows.append({"name": name, "ratio": compression_ratio(teacher, student), "loss": s_loss,
                     "loss_increase": s_loss - base, "agreement": top1_agreement(teacher, student, windows)})
    return sorted(rows, key=lambda r: r["ratio"])


def most_compressed_within(curve: Sequence[dict], max_loss_increase: float) -> dict | None:
    """The entry with the largest ratio whose loss_increase <= max_loss_increase (a tie in ratio goes
    to the earlier entry), or None if no entry qualifies."""
    best = None
    for row in curve:
        if row["loss_increase"] <= max_loss_increase and (best is None or row["ratio"] > best["ratio"]):
            best = row
    return best


def plot_compression_curve(curve: Sequence[dict]) -> Figure:
    """Two panels sharing the x axis (compression ratio): the loss increase (left Axes) and the top-1
    agreement with the teacher (right Axes), one point per student in the order of `curve`, each
    annotated with its name on the left panel. The x labels mention "compression", the y labels
    "loss" and "agreement".
    """
    fig, (ax_loss, ax_agree) = plt.subplots(1, 2)
    x = [r["ratio"] for r in curve]
    ax_loss.plot(x, [r["loss_increase"] for r in curve], marker="o")
    for r in curve:
        ax_loss.annotate(r["name"], (r["ratio"], r["loss_increase"]))
    ax_agree.plot(x, [r["agreement"] for r in curve], marker="o")
    for ax in (ax_loss, ax_agree):
        ax.set_xlabel("compression ratio (teacher / student parameters)")
    ax_loss.set_ylabel("loss increase (nats/char)")
    ax_agree.set_ylabel("top-1 agreement with the teacher")
    return fig

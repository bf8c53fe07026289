"""Plausible wrong compression-curve code that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from compression_curve import compression_ratio, top1_agreement


@pitfall(replaces="compression_ratio", why="student / teacher: the ratio comes out below 1 and shrinks as the student shrinks")
def inverted_ratio(teacher: nn.Module, student: nn.Module) -> float:
    return sum(p.numel() for p in student.parameters()) / sum(p.numel() for p in teacher.parameters())


@pitfall(replaces="compression_ratio", why="counts only trainable parameters: a frozen model has 'no' parameters")
def trainable_only(teacher: nn.Module, student: nn.Module) -> float:
    t = sum(p.numel() for p in teacher.parameters() if p.requires_grad)
    s = sum(p.numel() for p in student.parameters() if p.requires_grad)
    return t / s


@pitfall(replaces="top1_agreement", why="compares the student's prediction with the true next character, not the teacher's")
def agreement_with_labels(teacher: nn.Module, student: nn.Module, windows: torch.Tensor) -> float:
    with torch.no_grad():
        return (student(windows[:, :-1]).argmax(-1) == windows[:, 1:]).double().mean().item()


@pitfall(replaces="compression_curve", why="loss_increase measured as teacher minus student (sign flipped)")
def flipped_increase(teacher: nn.Module, students: dict[str, nn.Module], windows: torch.Tensor) -> list[dict]:
    def loss(model: nn.Module) -> float:
        with torch.no_grad():
            return F.cross_entropy(model(windows[:, :-1]).double().transpose(1, 2), windows[:, 1:]).item()
    base = loss(teacher)
    rows = [{"name": n, "ratio": compression_ratio(teacher, s), "loss": loss(s), "loss_increase": base - loss(s),
             "agreement": top1_agreement(teacher, s, windows)} for n, s in students.items()]
    return sorted(rows, key=lambda r: r["ratio"])


@pitfall(replaces="compression_curve", why="sorted by loss instead of compression ratio")
def sorted_by_loss(teacher: nn.Module, students: dict[str, nn.Module], windows: torch.Tensor) -> list[dict]:
    def loss(model: nn.Module) -> float:
        with torch.no_grad():
            return F.cross_entropy(model(windows[:, :-1]).double().transpose(1, 2), windows[:, 1:]).item()
    base = loss(teacher)
    rows = [{"name": n, "ratio": compression_ratio(teacher, s), "loss": loss(s), "loss_increase": loss(s) - base,
             "agreement": top1_agreement(teacher, s, windows)} for n, s in students.items()]
    return sorted(rows, key=lambda r: -r["loss"])


@pitfall(replaces="most_compressed_within", why="strict <: a student exactly at the tolerance is rejected")
def strict_tolerance(curve: Sequence[dict], max_loss_increase: float) -> dict | None:
    best = None
    for row in curve:
        if row["loss_increase"] < max_loss_increase and (best is None or row["ratio"] > best["ratio"]):
            best = row
    return best


@pitfall(replaces="most_compressed_within", why="returns the best-loss student within tolerance, not the most compressed")
def lowest_loss(curve: Sequence[dict], max_loss_increase: float) -> dict | None:
    ok = [r for r in curve if r["loss_increase"] <= max_loss_increase]
    return min(ok, key=lambda r: r["loss_increase"]) if ok else None

"""Plausible wrong feature-distillation pieces that the tests must reject."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from grader import lm
from grader.pitfalls import pitfall


@pitfall(replaces="layer_map", why="i * n_teacher // n_student: pairs the first student block with the first teacher block, never the last")
def first_to_first(n_student: int, n_teacher: int) -> list[tuple[int, int]]:
    if n_student < 1 or n_student > n_teacher:
        raise ValueError("bad")
    return [(i, i * n_teacher // n_student) for i in range(n_student)]


@pitfall(replaces="hidden_states", why="forward PRE-hooks: the block's input, one block too early")
def block_inputs(model: lm.CharGPT, idx: torch.Tensor, layers: list[int]) -> list[torch.Tensor]:
    seen: dict[int, torch.Tensor] = {}
    handles = [model.blocks[i].register_forward_pre_hook(lambda m, a, i=i: seen.__setitem__(i, a[0])) for i in set(layers)]
    try:
        model(idx)
    finally:
        for h in handles:
            h.remove()
    return [seen[i] for i in layers]


@pitfall(replaces="hidden_states", why="detaches the hidden states: the hint loss can never train the student")
def detached(model: lm.CharGPT, idx: torch.Tensor, layers: list[int]) -> list[torch.Tensor]:
    seen: dict[int, torch.Tensor] = {}
    handles = [model.blocks[i].register_forward_hook(lambda m, a, out, i=i: seen.__setitem__(i, out.detach()))
               for i in set(layers)]
    try:
        model(idx)
    finally:
        for h in handles:
            h.remove()
    return [seen[i] for i in layers]


@pitfall(replaces="hidden_states", why="never removes its hooks: every later forward pass keeps recording")
def leaks_hooks(model: lm.CharGPT, idx: torch.Tensor, layers: list[int]) -> list[torch.Tensor]:
    seen: dict[int, torch.Tensor] = {}
    for i in set(layers):
        model.blocks[i].register_forward_hook(lambda m, a, out, i=i: seen.__setitem__(i, out))
    model(idx)
    return [seen[i] for i in layers]


@pitfall(replaces="feature_loss", why="sums the per-layer losses instead of averaging them")
def summed(student_h: list, teacher_h: list, projections: nn.ModuleList) -> torch.Tensor:
    if not student_h or not len(student_h) == len(teacher_h) == len(projections):
        raise ValueError("lengths")
    return sum(F.mse_loss(p(s), t.detach()) for s, t, p in zip(student_h, teacher_h, projections, strict=True))


@pitfall(replaces="feature_loss", why="no detach: the hint loss also pushes the teacher's features toward the student")
def trains_teacher(student_h: list, teacher_h: list, projections: nn.ModuleList) -> torch.Tensor:
    if not student_h or not len(student_h) == len(teacher_h) == len(projections):
        raise ValueError("lengths")
    return torch.stack([F.mse_loss(p(s), t) for s, t, p in zip(student_h, teacher_h, projections, strict=True)]).mean()

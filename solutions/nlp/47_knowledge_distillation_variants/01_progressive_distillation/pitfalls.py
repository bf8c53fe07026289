"""Plausible wrong progressive-distillation pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from progressive import kd_loss


@pitfall(replaces="kd_loss", why="forgets the T**2 factor: soft-target gradients shrink as 1/T**2")
def no_t_squared(student_logits: torch.Tensor, teacher_logits: torch.Tensor, temperature: float) -> torch.Tensor:
    if temperature <= 0:
        raise ValueError("T")
    V = student_logits.shape[-1]
    s = F.log_softmax(student_logits.reshape(-1, V) / temperature, dim=-1)
    t = F.log_softmax(teacher_logits.detach().reshape(-1, V) / temperature, dim=-1)
    return F.kl_div(s, t, log_target=True, reduction="batchmean")


@pitfall(replaces="kd_loss", why="KL in the wrong direction: KL(student || teacher)")
def reversed_kl(student_logits: torch.Tensor, teacher_logits: torch.Tensor, temperature: float) -> torch.Tensor:
    if temperature <= 0:
        raise ValueError("T")
    V = student_logits.shape[-1]
    s = F.log_softmax(student_logits.reshape(-1, V) / temperature, dim=-1)
    t = F.log_softmax(teacher_logits.detach().reshape(-1, V) / temperature, dim=-1)
    return F.kl_div(t, s, log_target=True, reduction="batchmean") * temperature ** 2


@pitfall(replaces="progressive_distill", why="every stage learns from the original teacher: no assistant, plain direct distillation")
def all_from_teacher(teacher: nn.Module, chain: list[nn.Module], windows: torch.Tensor, steps: int,
                     temperature: float = 2.0, lr: float = 1e-2, batch_size: int = 16, seed: int = 0) -> list[list[float]]:
    out = []
    for k, student in enumerate(chain):
        opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
        g = torch.Generator().manual_seed(seed + k)
        losses = []
        for _ in range(steps):
            x = windows[torch.randint(len(windows), (batch_size,), generator=g)][:, :-1]
            with torch.no_grad():
                target = teacher(x)
            loss = kd_loss(student(x), target, temperature)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out.append(losses)
    return out


@pitfall(replaces="progressive_distill", why="trains all stages together step by step: the assistant is still untrained when it teaches")
def interleaved(teacher: nn.Module, chain: list[nn.Module], windows: torch.Tensor, steps: int,
                temperature: float = 2.0, lr: float = 1e-2, batch_size: int = 16, seed: int = 0) -> list[list[float]]:
    opts = [torch.optim.AdamW(m.parameters(), lr=lr, weight_decay=0.0) for m in chain]
    gens = [torch.Generator().manual_seed(seed + k) for k in range(len(chain))]
    out: list[list[float]] = [[] for _ in chain]
    for _ in range(steps):
        for k, student in enumerate(chain):
            prev = teacher if k == 0 else chain[k - 1]
            x = windows[torch.randint(len(windows), (batch_size,), generator=gens[k])][:, :-1]
            with torch.no_grad():
                target = prev(x)
            loss = kd_loss(student(x), target, temperature)
            opts[k].zero_grad()
            loss.backward()
            opts[k].step()
            out[k].append(loss.item())
    return out

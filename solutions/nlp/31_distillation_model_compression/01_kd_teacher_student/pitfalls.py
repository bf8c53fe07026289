"""Plausible wrong distillation code that the tests must reject."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall


def _check(temperature: float, alpha: float) -> None:
    if temperature <= 0 or not 0.0 <= alpha <= 1.0:
        raise ValueError("bad arguments")


@pitfall(replaces="distillation_loss", why="forgets the T^2 factor: the soft term's gradients shrink as 1/T^2")
def no_t_squared(student_logits: torch.Tensor, teacher_logits: torch.Tensor, targets: torch.Tensor,
                 temperature: float, alpha: float) -> torch.Tensor:
    _check(temperature, alpha)
    V = student_logits.shape[-1]
    s = F.log_softmax(student_logits.reshape(-1, V) / temperature, dim=-1)
    t = F.log_softmax(teacher_logits.detach().reshape(-1, V) / temperature, dim=-1)
    soft = F.kl_div(s, t, log_target=True, reduction="batchmean")
    return alpha * soft + (1 - alpha) * F.cross_entropy(student_logits.reshape(-1, V), targets.reshape(-1))


@pitfall(replaces="distillation_loss", why="KL the wrong way round: KL(student || teacher)")
def reversed_kl(student_logits: torch.Tensor, teacher_logits: torch.Tensor, targets: torch.Tensor,
                temperature: float, alpha: float) -> torch.Tensor:
    _check(temperature, alpha)
    V = student_logits.shape[-1]
    s = F.log_softmax(student_logits.reshape(-1, V) / temperature, dim=-1)
    t = F.log_softmax(teacher_logits.detach().reshape(-1, V) / temperature, dim=-1)
    soft = F.kl_div(t, s, log_target=True, reduction="batchmean") * temperature ** 2
    return alpha * soft + (1 - alpha) * F.cross_entropy(student_logits.reshape(-1, V), targets.reshape(-1))


@pitfall(replaces="distillation_loss", why="F.kl_div(reduction='mean'): divides by the vocabulary size too")
def mean_reduction(student_logits: torch.Tensor, teacher_logits: torch.Tensor, targets: torch.Tensor,
                   temperature: float, alpha: float) -> torch.Tensor:
    _check(temperature, alpha)
    V = student_logits.shape[-1]
    s = F.log_softmax(student_logits.reshape(-1, V) / temperature, dim=-1)
    t = F.log_softmax(teacher_logits.detach().reshape(-1, V) / temperature, dim=-1)
    soft = F.kl_div(s, t, log_target=True, reduction="mean") * temperature ** 2
    return alpha * soft + (1 - alpha) * F.cross_entropy(student_logits.reshape(-1, V), targets.reshape(-1))


@pitfall(replaces="distillation_loss", why="softens only the teacher: the student's logits are not divided by T")
def student_not_softened(student_logits: torch.Tensor, teacher_logits: torch.Tensor, targets: torch.Tensor,
                         temperature: float, alpha: float) -> torch.Tensor:
    _check(temperature, alpha)
    V = student_logits.shape[-1]
    s = F.log_softmax(student_logits.reshape(-1, V), dim=-1)
    t = F.log_softmax(teacher_logits.detach().reshape(-1, V) / temperature, dim=-1)
    soft = F.kl_div(s, t, log_target=True, reduction="batchmean") * temperature ** 2
    return alpha * soft + (1 - alpha) * F.cross_entropy(student_logits.reshape(-1, V), targets.reshape(-1))


@pitfall(replaces="distillation_loss", why="does not detach the teacher: gradients flow into the teacher's logits")
def teacher_not_detached(student_logits: torch.Tensor, teacher_logits: torch.Tensor, targets: torch.Tensor,
                         temperature: float, alpha: float) -> torch.Tensor:
    _check(temperature, alpha)
    V = student_logits.shape[-1]
    s = F.log_softmax(student_logits.reshape(-1, V) / temperature, dim=-1)
    t = F.log_softmax(teacher_logits.reshape(-1, V) / temperature, dim=-1)
    soft = F.kl_div(s, t, log_target=True, reduction="batchmean") * temperature ** 2
    return alpha * soft + (1 - alpha) * F.cross_entropy(student_logits.reshape(-1, V), targets.reshape(-1))


@pitfall(replaces="distill", why="trains on the teacher's argmax as hard labels: the dark knowledge in the soft targets is thrown away")
def argmax_labels(student: nn.Module, teacher: nn.Module, windows: torch.Tensor, steps: int, temperature: float = 2.0,
                  alpha: float = 1.0, lr: float = 1e-2, batch_size: int = 16, seed: int = 0) -> list[float]:
    opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(steps):
        batch = windows[torch.randint(len(windows), (batch_size,), generator=g)]
        x = batch[:, :-1]
        with torch.no_grad():
            labels = teacher(x).argmax(-1)
        loss = F.cross_entropy(student(x).transpose(1, 2), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses

"""Plausible wrong on-policy distillation pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from on_policy import on_policy_loss, sample


@pitfall(replaces="sample", why="torch.multinomial without the generator: the global RNG, not reproducible from the seed")
@torch.no_grad()
def global_rng(model: nn.Module, prompts: torch.Tensor, n_new: int, temperature: float, gen: torch.Generator) -> torch.Tensor:
    if temperature <= 0 or n_new < 0:
        raise ValueError("bad")
    seq = prompts.clone()
    for _ in range(n_new):
        probs = torch.softmax(model(seq)[:, -1] / temperature, dim=-1)
        seq = torch.cat([seq, torch.multinomial(probs, 1)], dim=1)
    return seq


@pitfall(replaces="sample", why="ignores the temperature")
@torch.no_grad()
def no_temperature(model: nn.Module, prompts: torch.Tensor, n_new: int, temperature: float, gen: torch.Generator) -> torch.Tensor:
    if temperature <= 0 or n_new < 0:
        raise ValueError("bad")
    seq = prompts.clone()
    for _ in range(n_new):
        probs = torch.softmax(model(seq)[:, -1], dim=-1)
        seq = torch.cat([seq, torch.multinomial(probs, 1, generator=gen)], dim=1)
    return seq


@pitfall(replaces="on_policy_loss", why="reverse KL(student || teacher) instead of forward KL(teacher || student)")
def reverse_kl(student: nn.Module, teacher: nn.Module, sequences: torch.Tensor, prompt_len: int) -> torch.Tensor:
    x = sequences[:, :-1]
    s = F.log_softmax(student(x)[:, prompt_len - 1:], dim=-1)
    with torch.no_grad():
        t = F.log_softmax(teacher(x)[:, prompt_len - 1:], dim=-1)
    V = s.shape[-1]
    return F.kl_div(t.reshape(-1, V), s.reshape(-1, V), log_target=True, reduction="batchmean")


@pitfall(replaces="on_policy_loss", why="averages over every position, the prompt's included, not only those predicting generated tokens")
def includes_prompt(student: nn.Module, teacher: nn.Module, sequences: torch.Tensor, prompt_len: int) -> torch.Tensor:
    x = sequences[:, :-1]
    s = F.log_softmax(student(x), dim=-1)
    with torch.no_grad():
        t = F.log_softmax(teacher(x), dim=-1)
    V = s.shape[-1]
    return F.kl_div(s.reshape(-1, V), t.reshape(-1, V), log_target=True, reduction="batchmean")


@pitfall(replaces="on_policy_distill", why="off-policy: the TEACHER generates the training sequences, not the student")
def teacher_generates(student: nn.Module, teacher: nn.Module, prompts: torch.Tensor, steps: int, n_new: int,
                      temperature: float = 1.0, lr: float = 1e-2, seed: int = 0) -> list[float]:
    opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(steps):
        sequences = sample(teacher, prompts, n_new, temperature, gen)
        loss = on_policy_loss(student, teacher, sequences, prompts.shape[1])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses

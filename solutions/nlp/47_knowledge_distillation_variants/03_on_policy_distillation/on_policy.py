"""Reference solution for nlp-47-3."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from grader import lm


def small_student(seed: int, n_layer: int = 1, d_model: int = 32) -> lm.CharGPT:
    """Given: a fresh grader.lm.CharGPT student initialised from `seed` (the global RNG is left alone)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return lm.CharGPT(lm.LMConfig(n_layer=n_layer, d_model=d_model, d_ff=2 * d_model, n_head=2))


def teacher_nll(teacher: nn.Module, sequences: torch.Tensor, prompt_len: int) -> float:
    """Given: the teacher's mean negative log-likelihood (nats) of the generated tokens
    sequences[:, prompt_len:], each predicted from everything before it."""
    with torch.no_grad():
        logits = teacher(sequences[:, :-1])[:, prompt_len - 1:]
        return F.cross_entropy(logits.flatten(0, 1).double(), sequences[:, prompt_len:].flatten()).item()


@torch.no_grad()
def sample(model: nn.Module, prompts: torch.Tensor, n_new: int, temperature: float, gen: torch.Generator) -> torch.Tensor:
    if temperature <= 0 or n_new < 0:
        raise ValueError(f"need temperature > 0 and n_new >= 0, got {temperature=}, {n_new=}")
    seq = prompts.clone()
    for _ in range(n_new):
        probs = torch.softmax(model(seq)[:, -1] / temperature, dim=-1)
        seq = torch.cat([seq, torch.multinomial(probs, 1, generator=gen)], dim=1)
    return seq


def on_policy_loss(student: nn.Module, teacher: nn.Module, sequences: torch.Tensor, prompt_len: int) -> torch.Tensor:
    x = sequences[:, :-1]
    s = F.log_softmax(student(x)[:, prompt_len - 1:], dim=-1)
    with torch.no_grad():
        t = F.log_softmax(teacher(x)[:, prompt_len - 1:], dim=-1)
    V = s.shape[-1]
    return F.kl_div(s.reshape(-1, V), t.reshape(-1, V), log_target=True, reduction="batchmean")


def on_policy_distill(student: nn.Module, teacher: nn.Module, prompts: torch.Tensor, steps: int, n_new: int,
                      temperature: float = 1.0, lr: float = 1e-2, seed: int = 0) -> list[float]:
    opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
    gen = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(steps):
        sequences = sample(student, prompts, n_new, temperature, gen)
        loss = on_policy_loss(student, teacher, sequences, prompts.shape[1])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses

"""Reference solution for nlp-47-1."""
from __future__ import annotations

import torch
import torch.nn.functional as F
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
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    V = student_logits.shape[-1]
    s = F.log_softmax(student_logits.reshape(-1, V) / temperature, dim=-1)
    t = F.log_softmax(teacher_logits.detach().reshape(-1, V) / temperature, dim=-1)
    return F.kl_div(s, t, log_target=True, reduction="batchmean") * temperature ** 2


def progressive_distill(teacher: nn.Module, chain: list[nn.Module], windows: torch.Tensor, steps: int,
                        temperature: float = 2.0, lr: float = 1e-2, batch_size: int = 16,
                        seed: int = 0) -> list[list[float]]:
    out = []
    for k, student in enumerate(chain):
        prev = teacher if k == 0 else chain[k - 1]
        opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
        g = torch.Generator().manual_seed(seed + k)
        losses = []
        for _ in range(steps):
            x = windows[torch.randint(len(windows), (batch_size,), generator=g)][:, :-1]
            with torch.no_grad():
                target = prev(x)
            loss = kd_loss(student(x), target, temperature)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out.append(losses)
    return out

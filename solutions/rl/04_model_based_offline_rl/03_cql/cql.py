"""Reference solution for rl-04-3."""
from __future__ import annotations

import torch


def _check(q_all: torch.Tensor, actions: torch.Tensor, alpha: float, temperature: float) -> None:
    if q_all.dim() != 2 or actions.shape != (q_all.shape[0],):
        raise ValueError("expected q_all (B, n_actions) and actions (B,)")
    if alpha < 0 or temperature <= 0:
        raise ValueError("alpha must be >= 0 and temperature > 0")


def cql_penalty(q_all: torch.Tensor, actions: torch.Tensor, alpha: float, temperature: float = 1.0) -> torch.Tensor:
    _check(q_all, actions, alpha, temperature)
    soft_max = temperature * torch.logsumexp(q_all / temperature, dim=1)
    data_q = q_all.gather(1, actions.long().unsqueeze(1)).squeeze(1)
    return alpha * (soft_max - data_q).mean()


def cql_loss(q_all: torch.Tensor, actions: torch.Tensor, targets: torch.Tensor, alpha: float,
             temperature: float = 1.0) -> dict[str, torch.Tensor]:
    _check(q_all, actions, alpha, temperature)
    if targets.shape != actions.shape:
        raise ValueError("targets must have shape (B,)")
    data_q = q_all.gather(1, actions.long().unsqueeze(1)).squeeze(1)
    td = ((data_q - targets.detach()) ** 2).mean()
    penalty = cql_penalty(q_all, actions, alpha, temperature)
    return {"loss": td + penalty, "td": td, "penalty": penalty}

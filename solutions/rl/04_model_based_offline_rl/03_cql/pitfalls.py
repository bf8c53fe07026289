"""Plausible wrong CQL penalties that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from cql import _check, cql_penalty


def _data_q(q_all: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
    return q_all.gather(1, actions.long().unsqueeze(1)).squeeze(1)


@pitfall(replaces="cql_penalty", why="log(sum(exp(Q))) without the max shift: overflows for large Q-values")
def naive_logsumexp(q_all: torch.Tensor, actions: torch.Tensor, alpha: float, temperature: float = 1.0) -> torch.Tensor:
    _check(q_all, actions, alpha, temperature)
    soft = temperature * torch.log(torch.exp(q_all / temperature).sum(1))
    return alpha * (soft - _data_q(q_all, actions)).mean()


@pitfall(replaces="cql_penalty", why="temperature applied outside: logsumexp(Q) / temperature")
def temperature_outside(q_all: torch.Tensor, actions: torch.Tensor, alpha: float,
                        temperature: float = 1.0) -> torch.Tensor:
    _check(q_all, actions, alpha, temperature)
    return alpha * (torch.logsumexp(q_all, 1) / temperature - _data_q(q_all, actions)).mean()


@pitfall(replaces="cql_penalty", why="hard max instead of the soft maximum (logsumexp)")
def hard_max(q_all: torch.Tensor, actions: torch.Tensor, alpha: float, temperature: float = 1.0) -> torch.Tensor:
    _check(q_all, actions, alpha, temperature)
    return alpha * (q_all.max(1).values - _data_q(q_all, actions)).mean()


@pitfall(replaces="cql_penalty", why="subtracts the mean Q over actions instead of the dataset action's Q")
def mean_not_data(q_all: torch.Tensor, actions: torch.Tensor, alpha: float, temperature: float = 1.0) -> torch.Tensor:
    _check(q_all, actions, alpha, temperature)
    return alpha * (temperature * torch.logsumexp(q_all / temperature, 1) - q_all.mean(1)).mean()


@pitfall(replaces="cql_penalty", why="sign flipped: pushes the data actions down and the others up")
def sign_flipped(q_all: torch.Tensor, actions: torch.Tensor, alpha: float, temperature: float = 1.0) -> torch.Tensor:
    _check(q_all, actions, alpha, temperature)
    return -alpha * (temperature * torch.logsumexp(q_all / temperature, 1) - _data_q(q_all, actions)).mean()


@pitfall(replaces="cql_loss", why="the TD target is not detached (gradient flows into the targets)")
def targets_not_detached(q_all: torch.Tensor, actions: torch.Tensor, targets: torch.Tensor, alpha: float,
                         temperature: float = 1.0) -> dict[str, torch.Tensor]:
    _check(q_all, actions, alpha, temperature)
    if targets.shape != actions.shape:
        raise ValueError("targets")
    td = ((_data_q(q_all, actions) - targets) ** 2).mean()
    penalty = cql_penalty(q_all, actions, alpha, temperature)
    return {"loss": td + penalty, "td": td, "penalty": penalty}

"""rl-04-3: the conservative Q-learning (CQL) penalty. Edit this file; `grader check rl-04-3` tests it."""
from __future__ import annotations

import torch


def cql_penalty(q_all: torch.Tensor, actions: torch.Tensor, alpha: float, temperature: float = 1.0) -> torch.Tensor:
    """CQL(H) regulariser for discrete actions:

        alpha * mean_i( temperature * logsumexp_a(Q(s_i, a) / temperature) - Q(s_i, a_i) )

    where a_i is the data set's action. Numerically stable for large Q-values; never negative.
    Inputs are not modified; the result has q_all's dtype.

    Raises:
        ValueError: q_all not (B, n_actions); actions not (B,); alpha < 0; temperature <= 0.

    Shapes:
        q_all: (B, n_actions); actions: (B,) integer
        returns: a scalar tensor
    """
    raise NotImplementedError("cql_penalty: soft maximum of Q minus the data action's Q")


def cql_loss(q_all: torch.Tensor, actions: torch.Tensor, targets: torch.Tensor, alpha: float,
             temperature: float = 1.0) -> dict[str, torch.Tensor]:
    """The CQL objective: td = mean((Q(s_i, a_i) - y_i)^2) with y detached, penalty = cql_penalty(...),
    loss = td + penalty. Returns {"loss", "td", "penalty"}. Inputs are not modified.

    Raises:
        ValueError: as cql_penalty, or targets not (B,).
    """
    raise NotImplementedError("cql_loss: TD error on the data actions plus the conservative penalty")

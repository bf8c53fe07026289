"""Plausible wrong GAIL discriminator pieces that the tests must reject."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall


@pitfall(replaces="discriminator_loss", why="labels swapped: the expert is class 0, the policy class 1")
def swapped_labels(logits_expert: torch.Tensor, logits_policy: torch.Tensor) -> torch.Tensor:
    return F.softplus(logits_expert).mean() + F.softplus(-logits_policy).mean()


@pitfall(replaces="discriminator_loss", why="log(sigmoid(x)) computed naively: -inf / NaN for confident logits")
def naive_logs(logits_expert: torch.Tensor, logits_policy: torch.Tensor) -> torch.Tensor:
    return -torch.log(torch.sigmoid(logits_expert)).mean() - torch.log(1 - torch.sigmoid(logits_policy)).mean()


@pitfall(replaces="discriminator_loss", why="one mean over the concatenated batch: weights the larger batch more")
def pooled_mean(logits_expert: torch.Tensor, logits_policy: torch.Tensor) -> torch.Tensor:
    return torch.cat([F.softplus(-logits_expert), F.softplus(logits_policy)]).mean() * 2


@pitfall(replaces="gail_reward", why="-log(1-D) with the sign flipped: log(1-D)")
def sign_flipped(logits: torch.Tensor, kind: str = "-log(1-D)") -> torch.Tensor:
    if kind == "-log(1-D)":
        return -F.softplus(logits)
    if kind == "log(D)":
        return -F.softplus(-logits)
    if kind == "logit":
        return logits.clone()
    raise ValueError(kind)


@pitfall(replaces="gail_reward", why="the 'logit' reward returns D = sigmoid(logit) instead of log D - log(1 - D)")
def probability_not_logit(logits: torch.Tensor, kind: str = "-log(1-D)") -> torch.Tensor:
    if kind == "-log(1-D)":
        return F.softplus(logits)
    if kind == "log(D)":
        return -F.softplus(-logits)
    if kind == "logit":
        return torch.sigmoid(logits)
    raise ValueError(kind)


@pitfall(replaces="gail_reward", why="-log(1 - sigmoid(x)) computed naively: inf for confident logits")
def naive_reward(logits: torch.Tensor, kind: str = "-log(1-D)") -> torch.Tensor:
    d = torch.sigmoid(logits)
    if kind == "-log(1-D)":
        return -torch.log(1 - d)
    if kind == "log(D)":
        return torch.log(d)
    if kind == "logit":
        return torch.log(d) - torch.log(1 - d)
    raise ValueError(kind)

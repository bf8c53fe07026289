"""Reference solution for rl-05-2."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def discriminator_loss(logits_expert: torch.Tensor, logits_policy: torch.Tensor) -> torch.Tensor:
    return F.softplus(-logits_expert).mean() + F.softplus(logits_policy).mean()


def gail_reward(logits: torch.Tensor, kind: str = "-log(1-D)") -> torch.Tensor:
    if kind == "-log(1-D)":
        return F.softplus(logits)
    if kind == "log(D)":
        return -F.softplus(-logits)
    if kind == "logit":
        return logits.clone()
    raise ValueError(f"unknown reward kind {kind!r}")


def train_discriminator(expert_x: np.ndarray, policy_x: np.ndarray, seed: int, steps: int = 500,
                        lr: float = 0.05) -> torch.nn.Module:
    torch.manual_seed(seed)
    disc = torch.nn.Linear(expert_x.shape[1], 1)
    xe = torch.as_tensor(expert_x, dtype=torch.float32)
    xp = torch.as_tensor(policy_x, dtype=torch.float32)
    opt = torch.optim.Adam(disc.parameters(), lr=lr)
    for _ in range(steps):
        loss = discriminator_loss(disc(xe).squeeze(-1), disc(xp).squeeze(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return disc

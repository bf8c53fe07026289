"""rl-05-2: the GAIL discriminator reward. Edit this file; `grader check rl-05-2` tests it."""
from __future__ import annotations

import numpy as np
import torch


def discriminator_loss(logits_expert: torch.Tensor, logits_policy: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of the discriminator D = sigmoid(logit), expert pairs labelled 1:

        loss = -mean log D(expert pairs) - mean log(1 - D(policy pairs))

    one mean per batch (the batches may differ in size); numerically stable for any logits. Inputs
    are not modified; the result has their dtype.

    Shapes:
        logits_expert: (B_E,); logits_policy: (B_pi,); returns: a scalar tensor
    """
    raise NotImplementedError("discriminator_loss: softplus(-logit) for experts, softplus(logit) for the policy")


def gail_reward(logits: torch.Tensor, kind: str = "-log(1-D)") -> torch.Tensor:
    """The imitation reward of (s, a) pairs from the discriminator's logits, D = sigmoid(logit):

        "-log(1-D)": -log(1 - D)        (GAIL; positive)
        "log(D)":    log D              (negative)
        "logit":     log D - log(1 - D) = the logit (AIRL-style)

    Stable for any logits (no inf); a new tensor of the input's dtype.

    Raises:
        ValueError: an unknown kind.

    Shapes:
        logits: (B,); returns: (B,)
    """
    raise NotImplementedError("gail_reward: the three reward forms via softplus")


def train_discriminator(expert_x: np.ndarray, policy_x: np.ndarray, seed: int, steps: int = 500,
                        lr: float = 0.05) -> torch.nn.Module:
    """Fit a logistic discriminator: torch.manual_seed(seed), disc = nn.Linear(n_features, 1), then
    `steps` full-batch Adam(lr) steps on discriminator_loss(disc(expert_x), disc(policy_x)) (squeeze
    the last axis). Returns disc (its output is the logit). Same seed, same discriminator.

    Shapes:
        expert_x: (N_E, n_features); policy_x: (N_pi, n_features)
    """
    raise NotImplementedError("train_discriminator: logistic regression with discriminator_loss")

"""arch-03-4: classifier-free guidance. Edit this file; `grader check arch-03-4` tests it."""
from __future__ import annotations

from collections.abc import Callable

import torch

CondModel = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]


def drop_condition(cond: torch.Tensor, null_id: int, p_uncond: float, seed: int) -> torch.Tensor:
    """Training-time condition dropout: each label independently becomes null_id with probability p_uncond.

    All randomness from torch.Generator().manual_seed(seed); `cond` is not modified.

    Shapes:
        cond: int64 (B,)     returns: int64 (B,)

    Raises:
        ValueError: if p_uncond is outside [0, 1].
    """
    raise NotImplementedError("drop_condition")


def guided_eps(eps_model: CondModel, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor, null_id: int,
               guidance_scale: float) -> torch.Tensor:
    """Classifier-free guided noise prediction: eps_u + w (eps_c - eps_u).

    eps_c = eps_model(x, t, cond), eps_u = eps_model(x, t, null_id); compute both in ONE call of
    eps_model on the batch doubled (conditional half first, then the unconditional half).
    w = 0 gives the unconditional model, w = 1 the conditional one, w > 1 guides beyond it.

    Shapes:
        x: (B, ...)     t, cond: int64 (B,)     returns: (B, ...)
    """
    raise NotImplementedError("guided_eps")

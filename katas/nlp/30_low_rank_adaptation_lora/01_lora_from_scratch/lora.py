"""nlp-30-1: LoRA from scratch, injected into linear layers. Edit this file; `grader check nlp-30-1` tests it."""
from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


class LoRALinear(nn.Module):
    """A frozen nn.Linear plus a trainable low-rank update: y = base(x) + (alpha / r) * x A^T B^T.

    lora_A (r, in_features) starts as (torch.rand(r, in_features, generator=generator,
    dtype=torch.float64) * 2 - 1) / sqrt(in_features), cast to the base weight's dtype, and lora_B
    (out_features, r) as zeros of that dtype, both nn.Parameters, so the wrapped layer computes exactly base(x) at initialisation. The base layer's
    parameters are frozen (requires_grad False); only lora_A and lora_B train.

    merge() folds the update into the base weight (W += (alpha / r) B A) so inference costs
    nothing extra, and forward() then returns base(x) alone; unmerge() subtracts it again.
    merge() on a merged layer and unmerge() on an unmerged one raise ValueError.

    Shapes:
        x: (..., in_features) -> (..., out_features)

    Raises:
        ValueError: if r < 1.
    """

    def __init__(self, base: nn.Linear, r: int, alpha: float, generator: torch.Generator | None = None) -> None:
        raise NotImplementedError("LoRALinear.__init__: freeze base, A uniform in +-1/sqrt(in), B zeros")

    def delta_weight(self) -> torch.Tensor:
        """(alpha / r) * B @ A, shape (out_features, in_features)."""
        raise NotImplementedError("LoRALinear.delta_weight: (alpha / r) B A")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("LoRALinear.forward: base(x) + (alpha / r) x A^T B^T (base(x) alone once merged)")

    def merge(self) -> None:
        raise NotImplementedError("LoRALinear.merge: W += (alpha / r) B A")

    def unmerge(self) -> None:
        raise NotImplementedError("LoRALinear.unmerge: W -= (alpha / r) B A")


def inject_lora(model: nn.Module, targets: Sequence[str], r: int, alpha: float,
                generator: torch.Generator | None = None) -> list[str]:
    """Wrap every nn.Linear whose module name is a target, or ends with "." + a target, in LoRALinear.

    Modules are visited in model.named_modules() order and replaced in place (setattr on the
    parent). Every parameter of the model except the new lora_A / lora_B is frozen.

    Returns:
        the dotted names of the wrapped modules, in named_modules() order
    """
    raise NotImplementedError("inject_lora: wrap the target nn.Linear modules and freeze everything else")

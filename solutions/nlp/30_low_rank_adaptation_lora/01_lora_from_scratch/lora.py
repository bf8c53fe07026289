"""Reference solution for nlp-30-1."""
from __future__ import annotations

import math
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
        super().__init__()
        if r < 1:
            raise ValueError(f"rank r must be at least 1, got {r}")
        self.base = base
        self.r = r
        self.alpha = alpha
        self.scale = alpha / r
        self.merged = False
        for p in base.parameters():
            p.requires_grad_(False)
        w = base.weight
        a = (torch.rand(r, base.in_features, generator=generator, dtype=torch.float64) * 2 - 1)
        self.lora_A = nn.Parameter((a / math.sqrt(base.in_features)).to(w.dtype))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, dtype=w.dtype))

    def delta_weight(self) -> torch.Tensor:
        """(alpha / r) * B @ A, shape (out_features, in_features)."""
        return self.scale * (self.lora_B @ self.lora_A)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.merged:
            return self.base(x)
        return self.base(x) + self.scale * ((x @ self.lora_A.T) @ self.lora_B.T)

    def merge(self) -> None:
        if self.merged:
            raise ValueError("already merged")
        with torch.no_grad():
            self.base.weight += self.delta_weight()
        self.merged = True

    def unmerge(self) -> None:
        if not self.merged:
            raise ValueError("not merged")
        with torch.no_grad():
            self.base.weight -= self.delta_weight()
        self.merged = False


def inject_lora(model: nn.Module, targets: Sequence[str], r: int, alpha: float,
                generator: torch.Generator | None = None) -> list[str]:
    """Wrap every nn.Linear whose module name is a target, or ends with "." + a target, in LoRALinear.

    Modules are visited in model.named_modules() order and replaced in place (setattr on the
    parent). Every parameter of the model except the new lora_A / lora_B is frozen.

    Returns:
        the dotted names of the wrapped modules, in named_modules() order
    """
    for p in model.parameters():
        p.requires_grad_(False)
    names = [name for name, module in model.named_modules()
             if isinstance(module, nn.Linear) and any(name == t or name.endswith("." + t) for t in targets)]
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, LoRALinear(getattr(parent, child), r, alpha, generator))
    return names

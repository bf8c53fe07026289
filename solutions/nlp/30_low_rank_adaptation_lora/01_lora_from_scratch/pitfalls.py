"""Plausible wrong LoRA code that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from lora import LoRALinear


@pitfall(replaces="LoRALinear.forward", why="scales the update by alpha instead of alpha / r")
def alpha_not_over_r(self: LoRALinear, x: torch.Tensor) -> torch.Tensor:
    if self.merged:
        return self.base(x)
    return self.base(x) + self.alpha * ((x @ self.lora_A.T) @ self.lora_B.T)


@pitfall(replaces="LoRALinear.forward", why="keeps adding the update after merge(): the change is counted twice")
def double_counts_when_merged(self: LoRALinear, x: torch.Tensor) -> torch.Tensor:
    return self.base(x) + self.scale * ((x @ self.lora_A.T) @ self.lora_B.T)


@pitfall(replaces="LoRALinear.merge", why="merges B A without the alpha / r scale")
def merge_unscaled(self: LoRALinear) -> None:
    if self.merged:
        raise ValueError("already merged")
    with torch.no_grad():
        self.base.weight += self.lora_B @ self.lora_A
    self.merged = True


@pitfall(replaces="LoRALinear.unmerge", why="adds the update again instead of subtracting it")
def unmerge_adds(self: LoRALinear) -> None:
    if not self.merged:
        raise ValueError("not merged")
    with torch.no_grad():
        self.base.weight += self.delta_weight()
    self.merged = False


@pitfall(replaces="inject_lora", why="matches targets as substrings: 'proj' also wraps 'out_proj'")
def substring_match(model: nn.Module, targets: Sequence[str], r: int, alpha: float,
                    generator: torch.Generator | None = None) -> list[str]:
    for p in model.parameters():
        p.requires_grad_(False)
    names = [name for name, module in model.named_modules()
             if isinstance(module, nn.Linear) and any(t in name for t in targets)]
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, LoRALinear(getattr(parent, child), r, alpha, generator))
    return names


@pitfall(replaces="inject_lora", why="freezes only the wrapped layers: embeddings, norms and other layers keep training")
def freezes_only_wrapped(model: nn.Module, targets: Sequence[str], r: int, alpha: float,
                         generator: torch.Generator | None = None) -> list[str]:
    names = [name for name, module in model.named_modules()
             if isinstance(module, nn.Linear) and any(name == t or name.endswith("." + t) for t in targets)]
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, LoRALinear(getattr(parent, child), r, alpha, generator))
    return names


@pitfall(replaces="LoRALinear.__init__", why="initialises B randomly as well: the wrapped model no longer starts as the pretrained one")
def random_b(self: LoRALinear, base: nn.Linear, r: int, alpha: float, generator: torch.Generator | None = None) -> None:
    import math
    nn.Module.__init__(self)
    if r < 1:
        raise ValueError("bad r")
    self.base, self.r, self.alpha, self.scale, self.merged = base, r, alpha, alpha / r, False
    for p in base.parameters():
        p.requires_grad_(False)
    a = torch.rand(r, base.in_features, generator=generator, dtype=torch.float64) * 2 - 1
    self.lora_A = nn.Parameter((a / math.sqrt(base.in_features)).to(base.weight.dtype))
    self.lora_B = nn.Parameter(torch.randn(base.out_features, r, generator=generator, dtype=torch.float64)
                               .to(base.weight.dtype) * 0.01)


@pitfall(replaces="LoRALinear.__init__", why="leaves the base layer trainable: full fine-tuning in disguise")
def base_not_frozen(self: LoRALinear, base: nn.Linear, r: int, alpha: float,
                    generator: torch.Generator | None = None) -> None:
    import math
    nn.Module.__init__(self)
    if r < 1:
        raise ValueError("bad r")
    self.base, self.r, self.alpha, self.scale, self.merged = base, r, alpha, alpha / r, False
    a = torch.rand(r, base.in_features, generator=generator, dtype=torch.float64) * 2 - 1
    self.lora_A = nn.Parameter((a / math.sqrt(base.in_features)).to(base.weight.dtype))
    self.lora_B = nn.Parameter(torch.zeros(base.out_features, r, dtype=base.weight.dtype))

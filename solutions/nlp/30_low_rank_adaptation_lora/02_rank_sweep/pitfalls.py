"""Plausible wrong rank-sweep code that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from peft import LoraConfig, get_peft_model
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from rank_sweep import TARGETS


@pitfall(replaces="lora_trainable_params", why="counts a full r * in * out per layer instead of r * (in + out)")
def product_count(model: nn.Module, targets: Sequence[str], r: int) -> int:
    return sum(r * m.in_features * m.out_features for name, m in model.named_modules()
               if isinstance(m, nn.Linear) and any(name == t or name.endswith("." + t) for t in targets))


@pitfall(replaces="lora_trainable_params", why="matches targets as substrings ('out' also matches 'out_proj'-like names)")
def substring_count(model: nn.Module, targets: Sequence[str], r: int) -> int:
    return sum(r * (m.in_features + m.out_features) for name, m in model.named_modules()
               if isinstance(m, nn.Linear) and any(t in name for t in targets))


@pitfall(replaces="next_char_accuracy", why="scores each prediction against the character it just read (no shift)")
def unshifted_accuracy(model: nn.Module, windows: torch.Tensor) -> float:
    with torch.no_grad():
        pred = model(windows[:, :-1]).argmax(dim=-1)
    return (pred == windows[:, :-1]).double().mean().item()


@pitfall(replaces="next_char_accuracy", why="argmax over the time axis instead of the vocabulary")
def argmax_time(model: nn.Module, windows: torch.Tensor) -> float:
    with torch.no_grad():
        logits = model(windows[:, :-1])
        pred = logits.argmax(dim=1)[:, None].expand(-1, windows.shape[1] - 1)
    return (pred == windows[:, 1:]).double().mean().item()


@pitfall(replaces="lora_finetune", why="wraps the base model itself, not a copy: the pretrained model gets adapters injected")
def no_copy(base: nn.Module, r: int, train_windows: torch.Tensor, steps: int, alpha: float = 8.0, lr: float = 1e-2,
            batch_size: int = 16, seed: int = 0, targets: Sequence[str] = TARGETS) -> nn.Module:
    model = get_peft_model(base, LoraConfig(r=r, lora_alpha=alpha, target_modules=list(targets), lora_dropout=0.0))
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        batch = train_windows[torch.randint(len(train_windows), (batch_size,), generator=g)]
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


@pitfall(replaces="lora_finetune", why="sets lora_alpha = r: the update scale is always 1, whatever alpha says")
def alpha_is_r(base: nn.Module, r: int, train_windows: torch.Tensor, steps: int, alpha: float = 8.0, lr: float = 1e-2,
               batch_size: int = 16, seed: int = 0, targets: Sequence[str] = TARGETS) -> nn.Module:
    import copy
    model = get_peft_model(copy.deepcopy(base), LoraConfig(r=r, lora_alpha=r, target_modules=list(targets),
                                                           lora_dropout=0.0))
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        batch = train_windows[torch.randint(len(train_windows), (batch_size,), generator=g)]
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


@pitfall(replaces="plot_rank_sweep", why="plots accuracy against the rank, not the trainable-parameter count")
def x_is_rank(results: Sequence[dict]) -> Figure:
    fig, ax = plt.subplots()
    pts = sorted(results, key=lambda e: e["trainable"])
    ax.plot([e["r"] for e in pts], [e["accuracy"] for e in pts], marker="o")
    for e in pts:
        ax.annotate(f"r={e['r']}", (e["r"], e["accuracy"]))
    ax.set_xlabel("trainable parameters")
    ax.set_ylabel("accuracy")
    return fig


@pitfall(replaces="plot_rank_sweep", why="joins the points in input order, not by size: the line zig-zags")
def unsorted(results: Sequence[dict]) -> Figure:
    fig, ax = plt.subplots()
    ax.plot([e["trainable"] for e in results], [e["accuracy"] for e in results], marker="o")
    for e in results:
        ax.annotate(f"r={e['r']}", (e["trainable"], e["accuracy"]))
    ax.set_xlabel("trainable parameters")
    ax.set_ylabel("accuracy")
    return fig

"""Plausible wrong fine-tuning code that the tests must reject."""
from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from finetune import TinyLM, early_stopping, freeze_except, layerwise_lr_groups, lm_loss


@pitfall(replaces="freeze_except", why="bare startswith: 'blocks.1' also unfreezes blocks.10, blocks.11, ...")
def freeze_by_string_prefix(model: nn.Module, trainable: Sequence[str]) -> int:
    count = 0
    for name, param in model.named_parameters():
        keep = any(name.startswith(p) for p in trainable)
        param.requires_grad_(keep)
        count += param.numel() if keep else 0
    return count


@pitfall(replaces="freeze_except", why="counts parameter tensors, not scalars")
def freeze_counts_tensors(model: nn.Module, trainable: Sequence[str]) -> int:
    count = 0
    for name, param in model.named_parameters():
        keep = any(name == p or name.startswith(p + ".") for p in trainable)
        param.requires_grad_(keep)
        count += int(keep)
    return count


@pitfall(replaces="layerwise_lr_groups", why="decay runs the wrong way: the embeddings get the largest learning rate")
def lr_decay_reversed(model: TinyLM, lr: float, decay: float) -> list[dict]:
    n = len(model.blocks)
    groups: dict[int, list[nn.Parameter]] = {}
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        top = name.split(".")[0]
        depth = 0 if top in ("head", "norm") else n - int(name.split(".")[1]) if top == "blocks" else n + 1
        groups.setdefault(n + 1 - depth, []).append(param)
    return [{"params": ps, "lr": lr * decay ** d} for d, ps in sorted(groups.items())]


@pitfall(replaces="layerwise_lr_groups", why="puts frozen parameters into the optimizer too")
def lr_groups_include_frozen(model: TinyLM, lr: float, decay: float) -> list[dict]:
    n = len(model.blocks)
    groups: dict[int, list[nn.Parameter]] = {}
    for name, param in model.named_parameters():
        top = name.split(".")[0]
        depth = 0 if top in ("head", "norm") else n - int(name.split(".")[1]) if top == "blocks" else n + 1
        groups.setdefault(depth, []).append(param)
    return [{"params": ps, "lr": lr * decay ** d} for d, ps in sorted(groups.items())]


@pitfall(replaces="early_stopping", why="an equal loss counts as an improvement (<= instead of <)")
def ties_improve(val_losses: Sequence[float], patience: int, min_delta: float = 0.0) -> tuple[int, bool]:
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] <= val_losses[best] - min_delta:
            best = epoch
    return best, len(val_losses) - 1 - best >= patience


@pitfall(replaces="early_stopping", why="ignores min_delta when picking the best epoch (plain argmin)")
def argmin_best(val_losses: Sequence[float], patience: int, min_delta: float = 0.0) -> tuple[int, bool]:
    best = min(range(len(val_losses)), key=lambda i: (val_losses[i], i))
    return best, len(val_losses) - 1 - best >= patience


@pitfall(replaces="early_stopping", why="patience off by one: waits one epoch too many (> instead of >=)")
def patience_off_by_one(val_losses: Sequence[float], patience: int, min_delta: float = 0.0) -> tuple[int, bool]:
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best] - min_delta:
            best = epoch
    return best, len(val_losses) - 1 - best > patience


def _finetune(model: TinyLM, train_batches: Sequence[torch.Tensor], val_batch: torch.Tensor, lr: float, epochs: int,
              patience: int, trainable: Sequence[str] | None, lr_decay: float, min_delta: float, *,
              copy_best: bool = True, restore: bool = True) -> dict:
    import copy
    if trainable is not None:
        freeze_except(model, trainable)
    opt = torch.optim.AdamW(layerwise_lr_groups(model, lr, lr_decay), weight_decay=0.0)
    history: dict = {"train_loss": [], "val_loss": [], "best_epoch": 0}
    best_state = copy.deepcopy(model.state_dict()) if copy_best else model.state_dict()
    for epoch in range(epochs):
        total = 0.0
        for batch in train_batches:
            loss = lm_loss(model(batch), batch)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        history["train_loss"].append(total / len(train_batches))
        with torch.no_grad():
            history["val_loss"].append(lm_loss(model(val_batch), val_batch).item())
        best, stop = early_stopping(history["val_loss"], patience, min_delta)
        if best == epoch:
            best_state = copy.deepcopy(model.state_dict()) if copy_best else model.state_dict()
            history["best_epoch"] = epoch
        if stop:
            break
    if restore:
        model.load_state_dict(best_state)
    return history


@pitfall(replaces="finetune", why="keeps model.state_dict() without copying: it aliases the live weights, so nothing is restored")
def best_state_aliased(model: TinyLM, train_batches: Sequence[torch.Tensor], val_batch: torch.Tensor, lr: float,
                       epochs: int, patience: int, trainable: Sequence[str] | None = None, lr_decay: float = 1.0,
                       min_delta: float = 0.0) -> dict:
    return _finetune(model, train_batches, val_batch, lr, epochs, patience, trainable, lr_decay, min_delta,
                     copy_best=False)


@pitfall(replaces="finetune", why="early-stops but never loads the best weights back")
def never_restores(model: TinyLM, train_batches: Sequence[torch.Tensor], val_batch: torch.Tensor, lr: float,
                   epochs: int, patience: int, trainable: Sequence[str] | None = None, lr_decay: float = 1.0,
                   min_delta: float = 0.0) -> dict:
    return _finetune(model, train_batches, val_batch, lr, epochs, patience, trainable, lr_decay, min_delta,
                     restore=False)


@pitfall(replaces="finetune", why="builds the optimizer over all parameters with one lr, ignoring the layer-wise groups")
def single_lr(model: TinyLM, train_batches: Sequence[torch.Tensor], val_batch: torch.Tensor, lr: float, epochs: int,
              patience: int, trainable: Sequence[str] | None = None, lr_decay: float = 1.0,
              min_delta: float = 0.0) -> dict:
    return _finetune(model, train_batches, val_batch, lr, epochs, patience, trainable, 1.0, min_delta)


@pitfall(replaces="finetune", why="calls early_stopping without min_delta: every small gain counts as an improvement")
def drops_min_delta(model: TinyLM, train_batches: Sequence[torch.Tensor], val_batch: torch.Tensor, lr: float,
                    epochs: int, patience: int, trainable: Sequence[str] | None = None, lr_decay: float = 1.0,
                    min_delta: float = 0.0) -> dict:
    if trainable is not None:
        freeze_except(model, trainable)
    opt = torch.optim.AdamW(layerwise_lr_groups(model, lr, lr_decay), weight_decay=0.0)
    history: dict = {"train_loss": [], "val_loss": [], "best_epoch": 0}
    best_state = copy.deepcopy(model.state_dict())
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for batch in train_batches:
            loss = lm_loss(model(batch), batch)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        history["train_loss"].append(total / len(train_batches))
        model.eval()
        with torch.no_grad():
            history["val_loss"].append(lm_loss(model(val_batch), val_batch).item())
        best, stop = early_stopping(history["val_loss"], patience)
        if best == epoch:
            best_state = copy.deepcopy(model.state_dict())
            history["best_epoch"] = epoch
        if stop:
            break
    model.load_state_dict(best_state)
    return history

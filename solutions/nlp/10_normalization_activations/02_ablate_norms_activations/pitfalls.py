"""Plausible wrong training, evaluation and ablation code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ablate import ToyNet, evaluate, train


@pitfall(replaces="evaluate", why="evaluates in train mode: dropout is still active")
def dropout_left_on(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return float(F.cross_entropy(model(x), y))


@pitfall(replaces="evaluate", why="switches to eval mode and never switches back")
def mode_not_restored(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    with torch.no_grad():
        return float(F.cross_entropy(model(x), y))


@pitfall(replaces="train", why="never calls zero_grad: gradients accumulate across steps")
def no_zero_grad(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float, batch_size: int,
                 seed: int) -> list[float]:
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    model.train()
    losses = []
    for _ in range(steps):
        idx = torch.randint(len(x), (batch_size,), generator=g)
        loss = F.cross_entropy(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pitfall(replaces="train", why="never calls model.train(): a model left in eval mode trains without dropout")
def no_train_mode(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float, batch_size: int,
                  seed: int) -> list[float]:
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(steps):
        idx = torch.randint(len(x), (batch_size,), generator=g)
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pitfall(replaces="run_ablation", why="seeds once before the loop: every variant after the first starts from other weights")
def seeded_once(variants: dict[str, tuple[str, str]], train_data: tuple[torch.Tensor, torch.Tensor],
                test_data: tuple[torch.Tensor, torch.Tensor], steps: int, lr: float, batch_size: int = 64,
                seed: int = 0, d_model: int = 16, n_blocks: int = 2, dropout: float = 0.0) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    torch.manual_seed(seed)
    for name, (norm, activation) in variants.items():
        model = ToyNet(train_data[0].shape[1], d_model, n_blocks, norm, activation, dropout)
        curve = train(model, *train_data, steps, lr, batch_size, seed)
        results[name] = {"train_loss": evaluate(model, *train_data), "test_loss": evaluate(model, *test_data),
                         "curve": curve}
    return results


@pitfall(replaces="run_ablation", why="reports the last minibatch's loss as the train loss")
def last_batch_as_train_loss(variants: dict[str, tuple[str, str]], train_data: tuple[torch.Tensor, torch.Tensor],
                             test_data: tuple[torch.Tensor, torch.Tensor], steps: int, lr: float, batch_size: int = 64,
                             seed: int = 0, d_model: int = 16, n_blocks: int = 2,
                             dropout: float = 0.0) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for name, (norm, activation) in variants.items():
        torch.manual_seed(seed)
        model = ToyNet(train_data[0].shape[1], d_model, n_blocks, norm, activation, dropout)
        curve = train(model, *train_data, steps, lr, batch_size, seed)
        results[name] = {"train_loss": curve[-1], "test_loss": evaluate(model, *test_data), "curve": curve}
    return results


@pitfall(replaces="plot_ablation", why="one bar per variant (the test loss only): the train/test gap is invisible")
def test_bars_only(results: dict[str, dict[str, Any]]) -> Figure:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.bar(range(len(results)), [r["test_loss"] for r in results.values()], label="test")
    ax.set_xticks(range(len(results)), labels=list(results))
    ax.set_ylabel("loss")
    ax.legend()
    return fig


@pitfall(replaces="run_ablation", why="builds every ToyNet with the default width, depth and dropout, ignoring the arguments")
def default_architecture(variants: dict[str, tuple[str, str]], train_data: tuple[torch.Tensor, torch.Tensor],
                         test_data: tuple[torch.Tensor, torch.Tensor], steps: int, lr: float, batch_size: int = 64,
                         seed: int = 0, d_model: int = 16, n_blocks: int = 2,
                         dropout: float = 0.0) -> dict[str, dict[str, Any]]:
    results = {}
    for name, (norm, activation) in variants.items():
        torch.manual_seed(seed)
        model = ToyNet(train_data[0].shape[1], 16, 2, norm, activation, 0.0)
        curve = train(model, *train_data, steps, lr, batch_size, seed)
        results[name] = {"train_loss": evaluate(model, *train_data), "test_loss": evaluate(model, *test_data),
                         "curve": curve}
    return results

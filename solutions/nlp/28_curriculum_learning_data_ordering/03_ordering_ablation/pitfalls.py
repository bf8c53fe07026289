"""Plausible wrong ordering-ablation code that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ordering import epoch_order, train_in_order


@pitfall(replaces="epoch_order", why="hard_to_easy as the flipped ascending sort: ties come out highest index first")
def flipped_ascending(strategy: str, scores: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    if strategy == "random":
        return torch.randperm(len(scores), generator=generator)
    ascending = torch.sort(scores, stable=True).indices
    if strategy == "easy_to_hard":
        return ascending
    if strategy == "hard_to_easy":
        return ascending.flip(0)
    raise ValueError(strategy)


@pitfall(replaces="epoch_order", why="'random' samples with replacement: some examples twice, some never in the epoch")
def random_with_replacement(strategy: str, scores: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    if strategy == "random":
        return torch.randint(len(scores), (len(scores),), generator=generator)
    if strategy == "easy_to_hard":
        return torch.sort(scores, stable=True).indices
    if strategy == "hard_to_easy":
        return torch.sort(scores, descending=True, stable=True).indices
    raise ValueError(strategy)


@pitfall(replaces="epoch_order", why="an unknown strategy silently falls back to random order")
def unknown_is_random(strategy: str, scores: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    if strategy == "easy_to_hard":
        return torch.sort(scores, stable=True).indices
    if strategy == "hard_to_easy":
        return torch.sort(scores, descending=True, stable=True).indices
    return torch.randperm(len(scores), generator=generator)


@pitfall(replaces="ablate_orderings", why="one generator shared by all strategies: the random run's order depends on which strategies came before")
def shared_generator(windows: torch.Tensor, scores: torch.Tensor, val_windows: torch.Tensor,
                     strategies: Sequence[str], seed: int, batch_size: int = 8, eval_every: int = 10,
                     lr: float = 3e-3) -> dict[str, list[float]]:
    g = torch.Generator().manual_seed(seed)
    curves = {}
    for strategy in strategies:
        g.manual_seed(seed + len(curves))
        curves[strategy] = train_in_order(windows, epoch_order(strategy, scores, g), val_windows, seed, batch_size,
                                          eval_every, lr)
    return curves


@pitfall(replaces="ablate_orderings", why="gives every strategy's run a different model seed: the comparison confounds order with initialisation")
def seed_per_strategy(windows: torch.Tensor, scores: torch.Tensor, val_windows: torch.Tensor,
                      strategies: Sequence[str], seed: int, batch_size: int = 8, eval_every: int = 10,
                      lr: float = 3e-3) -> dict[str, list[float]]:
    curves = {}
    for i, strategy in enumerate(strategies):
        order = epoch_order(strategy, scores, torch.Generator().manual_seed(seed))
        curves[strategy] = train_in_order(windows, order, val_windows, seed + i, batch_size, eval_every, lr)
    return curves


@pitfall(replaces="steps_to_threshold", why="returns the evaluation index instead of the number of training steps")
def index_not_steps(curve: Sequence[float], eval_every: int, threshold: float) -> int | None:
    for i, loss in enumerate(curve):
        if loss <= threshold:
            return i
    return None


@pitfall(replaces="steps_to_threshold", why="strict <: a loss exactly at the threshold does not count")
def strictly_below(curve: Sequence[float], eval_every: int, threshold: float) -> int | None:
    for i, loss in enumerate(curve):
        if loss < threshold:
            return (i + 1) * eval_every
    return None


@pitfall(replaces="steps_to_threshold", why="off by one evaluation: the first evaluation is taken as step 0")
def zero_based_steps(curve: Sequence[float], eval_every: int, threshold: float) -> int | None:
    for i, loss in enumerate(curve):
        if loss <= threshold:
            return i * eval_every
    return None


@pitfall(replaces="plot_convergence", why="plots against the evaluation index, not the training step")
def plots_index(curves: dict[str, Sequence[float]], eval_every: int, threshold: float | None = None) -> Figure:
    fig, ax = plt.subplots()
    for name, curve in curves.items():
        ax.plot(list(curve), label=name)
    if threshold is not None:
        ax.axhline(threshold, label="threshold")
    ax.set_xlabel("training step")
    ax.set_ylabel("validation loss")
    ax.legend()
    return fig


@pitfall(replaces="plot_convergence", why="forgets the legend: the lines cannot be told apart")
def no_legend(curves: dict[str, Sequence[float]], eval_every: int, threshold: float | None = None) -> Figure:
    fig, ax = plt.subplots()
    for name, curve in curves.items():
        ax.plot([(i + 1) * eval_every for i in range(len(curve))], list(curve), label=name)
    if threshold is not None:
        ax.axhline(threshold, label="threshold")
    ax.set_xlabel("training step")
    ax.set_ylabel("validation loss")
    return fig

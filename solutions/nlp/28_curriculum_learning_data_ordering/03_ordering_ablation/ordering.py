"""Reference solution for nlp-28-3."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from grader import lm

STRATEGIES = ("random", "easy_to_hard", "hard_to_easy")


def difficulty(windows: torch.Tensor) -> torch.Tensor:
    """Given: each window's mean next-character loss under the workbook's trained char GPT (nlp-28-1).

    Shapes:
        windows: (N, T + 1) int64
        returns: (N,) float64
    """
    scorer = lm.load_model()
    with torch.no_grad():
        logits = scorer(windows[:, :-1]).double()
        return F.cross_entropy(logits.transpose(1, 2), windows[:, 1:], reduction="none").mean(dim=1)


def train_in_order(windows: torch.Tensor, order: torch.Tensor, val_windows: torch.Tensor, seed: int,
                   batch_size: int = 8, eval_every: int = 10, lr: float = 3e-3) -> list[float]:
    """Given: one epoch of a fresh small CharGPT over `windows` in the given order; the validation curve.

    The model is initialised from `seed`; step s trains on windows[order[s*B:(s+1)*B]] with AdamW;
    after every `eval_every` steps the mean loss on `val_windows` is appended to the curve.

    Returns:
        the validation losses, one per evaluation (len = n_steps // eval_every)
    """
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = lm.CharGPT(lm.LMConfig(n_layer=1, d_model=32, d_ff=64, n_head=2))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    curve = []
    for step, start in enumerate(range(0, len(order), batch_size), start=1):
        batch = windows[order[start:start + batch_size]]
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % eval_every == 0:
            with torch.no_grad():
                logits = model(val_windows[:, :-1])
                curve.append(F.cross_entropy(logits.transpose(1, 2), val_windows[:, 1:]).item())
    return curve


def epoch_order(strategy: str, scores: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """The order in which one epoch visits the examples: a permutation of range(N).

    "random": torch.randperm(N, generator=generator);
    "easy_to_hard": ascending score; "hard_to_easy": descending score. In both sorted orders ties
    keep their original order (lower index first).

    Shapes:
        scores: (N,) float
        returns: (N,) int64

    Raises:
        ValueError: for any other strategy name.
    """
    if strategy == "random":
        return torch.randperm(len(scores), generator=generator)
    if strategy == "easy_to_hard":
        return torch.sort(scores, stable=True).indices
    if strategy == "hard_to_easy":
        return torch.sort(scores, descending=True, stable=True).indices
    raise ValueError(f"unknown strategy {strategy!r}; expected one of {STRATEGIES}")


def ablate_orderings(windows: torch.Tensor, scores: torch.Tensor, val_windows: torch.Tensor,
                     strategies: Sequence[str], seed: int, batch_size: int = 8, eval_every: int = 10,
                     lr: float = 3e-3) -> dict[str, list[float]]:
    """Train one fresh model per strategy on the same data and seed; return each validation curve.

    For each strategy: order = epoch_order(strategy, scores, torch.Generator().manual_seed(seed)),
    then train_in_order(windows, order, val_windows, seed, batch_size, eval_every, lr). Only the
    order differs between runs.

    Returns:
        {strategy: validation curve}, in the order of `strategies`
    """
    curves = {}
    for strategy in strategies:
        order = epoch_order(strategy, scores, torch.Generator().manual_seed(seed))
        curves[strategy] = train_in_order(windows, order, val_windows, seed, batch_size, eval_every, lr)
    return curves


def steps_to_threshold(curve: Sequence[float], eval_every: int, threshold: float) -> int | None:
    """Convergence speed: training steps until the validation loss first reaches `threshold`.

    curve[i] was measured after (i + 1) * eval_every steps. Returns (i + 1) * eval_every for the
    first i with curve[i] <= threshold (reaching it exactly counts), or None if it never does.
    """
    for i, loss in enumerate(curve):
        if loss <= threshold:
            return (i + 1) * eval_every
    return None


def plot_convergence(curves: dict[str, Sequence[float]], eval_every: int, threshold: float | None = None) -> Figure:
    """One validation-loss line per strategy against training steps.

    Each line is labelled with its strategy name and has x = eval_every, 2 * eval_every, ... and
    y = the curve. The x-axis label mentions "step", the y-axis label "loss", and the axes carry a
    legend. With a threshold, add a horizontal line at y = threshold labelled "threshold".

    Returns:
        the matplotlib Figure (one Axes)
    """
    fig, ax = plt.subplots()
    for name, curve in curves.items():
        steps = [(i + 1) * eval_every for i in range(len(curve))]
        ax.plot(steps, list(curve), label=name)
    if threshold is not None:
        ax.axhline(threshold, color="grey", linestyle="--", label="threshold")
    ax.set_xlabel("training step")
    ax.set_ylabel("validation loss (nats/char)")
    ax.legend()
    return fig

"""Plausible wrong curve analyses that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from loss_curves import OBJECTIVES, WORDS, TinyLM, attention_mask, ema, make_example


@pitfall(replaces="ema", why="no bias correction: the smoothed curve starts near zero")
def ema_without_bias_correction(values: np.ndarray | list[float], beta: float) -> np.ndarray:
    if not 0.0 <= beta < 1.0:
        raise ValueError("beta")
    out, s = [], 0.0
    for value in np.asarray(values, dtype=np.float64):
        s = beta * s + (1.0 - beta) * value
        out.append(s)
    return np.array(out)


@pitfall(replaces="ema", why="beta weights the new value instead of the history (beta and 1 - beta swapped)")
def ema_weights_swapped(values: np.ndarray | list[float], beta: float) -> np.ndarray:
    if not 0.0 <= beta < 1.0:
        raise ValueError("beta")
    out, s = [], 0.0
    for t, value in enumerate(np.asarray(values, dtype=np.float64)):
        s = (1.0 - beta) * s + beta * value
        out.append(s / (1.0 - (1.0 - beta) ** (t + 1)))
    return np.array(out)


@pitfall(replaces="learning_speed", why="compares the raw loss with the threshold, so one lucky batch counts")
def raw_crossing(log: dict[str, list], threshold: float, beta: float) -> dict[str, int | None]:
    below = np.flatnonzero(np.asarray(log["loss"]) <= threshold)
    if below.size == 0:
        return {"steps": None, "tokens": None}
    i = int(below[0])
    return {"steps": i + 1, "tokens": int(np.sum(log["scored"][: i + 1]))}


@pitfall(replaces="learning_speed", why="reports the 0-based index as the number of steps, and tokens before it")
def zero_based_steps(log: dict[str, list], threshold: float, beta: float) -> dict[str, int | None]:
    below = np.flatnonzero(ema(log["loss"], beta) <= threshold)
    if below.size == 0:
        return {"steps": None, "tokens": None}
    i = int(below[0])
    return {"steps": i, "tokens": int(np.sum(log["scored"][:i]))}


@pitfall(replaces="fastest", why="treats a run that never got there (None) as 0, i.e. the fastest")
def none_counts_as_zero(speeds: dict[str, dict[str, int | None]], by: str) -> str | None:
    return min(speeds, key=lambda name: speeds[name][by] or 0) if speeds else None


@pitfall(replaces="plot_loss_curves", why="plots the per-step scored counts, not their running total, on the token axis")
def tokens_not_cumulative(logs: dict[str, dict[str, list]], beta: float = 0.9) -> Figure:
    fig = Figure()
    ax_steps, ax_tokens = fig.subplots(1, 2)
    for name, log in logs.items():
        smooth = ema(log["loss"], beta)
        ax_steps.plot(np.arange(1, len(smooth) + 1), smooth, label=name)
        ax_tokens.plot(log["scored"], smooth, label=name)
    ax_steps.set_xlabel("step")
    ax_tokens.set_xlabel("scored tokens")
    for ax in (ax_steps, ax_tokens):
        ax.set_ylabel("loss")
        ax.legend()
    return fig


@pitfall(replaces="plot_loss_curves", why="draws the raw losses, not the smoothed ones")
def plots_raw_loss(logs: dict[str, dict[str, list]], beta: float = 0.9) -> Figure:
    fig = Figure()
    ax_steps, ax_tokens = fig.subplots(1, 2)
    for name, log in logs.items():
        ax_steps.plot(np.arange(1, len(log["loss"]) + 1), log["loss"], label=name)
        ax_tokens.plot(np.cumsum(log["scored"]), log["loss"], label=name)
    ax_steps.set_xlabel("step")
    ax_tokens.set_xlabel("scored tokens")
    for ax in (ax_steps, ax_tokens):
        ax.set_ylabel("loss")
        ax.legend()
    return fig


def _loop(objective: str, batches: list[torch.Tensor], init_state: dict[str, torch.Tensor], prefix_len: int,
          lr: float, seed: int, *, reseed: bool = False, all_positions: bool = False, zero_grad: bool = True,
          mask: str | None = None, share: bool = False) -> dict[str, list]:
    if objective not in OBJECTIVES:
        raise ValueError(objective)
    seq_len = batches[0].shape[1]
    model = TinyLM(len(WORDS), max_len=seq_len)
    if share:
        for name, p in model.named_parameters():
            p.data = init_state[name]
    else:
        model.load_state_dict(init_state)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    attn = attention_mask(mask or objective, seq_len, prefix_len)
    gen = torch.Generator().manual_seed(seed)
    log: dict[str, list] = {"loss": [], "scored": []}
    for batch in batches:
        if reseed:
            gen = torch.Generator().manual_seed(seed)
        inputs, targets, scored = make_example(objective, batch, prefix_len, gen)
        logits = model(inputs, attn)
        if all_positions:
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        else:
            loss = F.cross_entropy(logits[scored], targets[scored])
        if zero_grad:
            opt.zero_grad()
        loss.backward()
        opt.step()
        log["loss"].append(loss.item())
        log["scored"].append(int(scored.sum()))
    return log


@pitfall(replaces="train_objective", why="a fresh generator every step: the masked LM masks the same positions each time")
def reseeds_every_step(objective: str, batches: list[torch.Tensor], init_state: dict[str, torch.Tensor],
                       prefix_len: int = 6, lr: float = 1e-2, seed: int = 2) -> dict[str, list]:
    return _loop(objective, batches, init_state, prefix_len, lr, seed, reseed=True)


@pitfall(replaces="train_objective", why="the loss over every position instead of the scored ones (the MLM copies its input)")
def loss_on_every_position(objective: str, batches: list[torch.Tensor], init_state: dict[str, torch.Tensor],
                           prefix_len: int = 6, lr: float = 1e-2, seed: int = 2) -> dict[str, list]:
    return _loop(objective, batches, init_state, prefix_len, lr, seed, all_positions=True)


@pitfall(replaces="train_objective", why="never zeroes the gradients: every step adds up all earlier ones")
def gradients_accumulate(objective: str, batches: list[torch.Tensor], init_state: dict[str, torch.Tensor],
                         prefix_len: int = 6, lr: float = 1e-2, seed: int = 2) -> dict[str, list]:
    return _loop(objective, batches, init_state, prefix_len, lr, seed, zero_grad=False)


@pitfall(replaces="train_objective", why="the masked LM's bidirectional mask for every objective: the causal LM sees the answer")
def one_mask_for_all(objective: str, batches: list[torch.Tensor], init_state: dict[str, torch.Tensor],
                     prefix_len: int = 6, lr: float = 1e-2, seed: int = 2) -> dict[str, list]:
    return _loop(objective, batches, init_state, prefix_len, lr, seed, mask="mlm")


@pitfall(replaces="train_objective", why="trains the init_state tensors themselves: the next objective starts from trained weights")
def trains_the_initial_weights(objective: str, batches: list[torch.Tensor], init_state: dict[str, torch.Tensor],
                               prefix_len: int = 6, lr: float = 1e-2, seed: int = 2) -> dict[str, list]:
    return _loop(objective, batches, init_state, prefix_len, lr, seed, share=True)


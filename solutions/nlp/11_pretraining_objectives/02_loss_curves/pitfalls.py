"""Plausible wrong curve analyses that the tests must reject."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from grader.pitfalls import pitfall


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

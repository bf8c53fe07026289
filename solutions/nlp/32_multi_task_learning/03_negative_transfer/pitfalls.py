"""Plausible wrong versions of the negative-transfer functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from negative_transfer import final_loss, transfer_ratio


@pitfall(replaces="final_loss", why="takes the single last point, ignoring `last`: noisy curves flip the verdict")
def last_point(curves: np.ndarray, last: int = 20) -> np.ndarray:
    if curves.ndim != 2 or not 1 <= last <= curves.shape[1]:
        raise ValueError("bad input")
    return curves[:, -1].copy()


@pitfall(replaces="final_loss", why="off by one: averages the `last` points before the final one")
def tail_off_by_one(curves: np.ndarray, last: int = 20) -> np.ndarray:
    if curves.ndim != 2 or not 1 <= last <= curves.shape[1]:
        raise ValueError("bad input")
    return curves[:, -last - 1:-1].mean(axis=1) if last < curves.shape[1] else curves.mean(axis=1)


@pitfall(replaces="transfer_ratio", why="single / multi: the ratio upside down, helping looks like hurting")
def inverted(single: np.ndarray, multi: np.ndarray, last: int = 20) -> np.ndarray:
    if single.shape[0] != multi.shape[0]:
        raise ValueError("task counts differ")
    return final_loss(single, last) / final_loss(multi, last)


@pitfall(replaces="negative_transfer", why="flags ratio >= 1 + tolerance: a ratio exactly on the threshold is flagged")
def inclusive(single: np.ndarray, multi: np.ndarray, last: int = 20, tolerance: float = 0.1) -> np.ndarray:
    if tolerance < 0:
        raise ValueError("negative tolerance")
    return transfer_ratio(single, multi, last) >= 1 + tolerance


@pitfall(replaces="negative_transfer", why="compares differences, multi - single > tolerance: depends on the loss scale")
def absolute_difference(single: np.ndarray, multi: np.ndarray, last: int = 20, tolerance: float = 0.1) -> np.ndarray:
    if tolerance < 0 or single.shape[0] != multi.shape[0]:
        raise ValueError("bad input")
    return final_loss(multi, last) - final_loss(single, last) > tolerance


@pitfall(replaces="plot_task_curves", why="one panel per run with a line per task, instead of a panel per task")
def panel_per_run(runs: dict[str, np.ndarray], task_names: list[str]) -> Figure:
    fig, axes = plt.subplots(1, len(runs), squeeze=False)
    for ax, (run, curves) in zip(axes[0], runs.items(), strict=True):
        for t, name in enumerate(task_names):
            ax.plot(curves[t], label=name)
        ax.set_title(run)
        ax.set_xlabel("step")
        ax.set_ylabel("validation loss")
        ax.legend()
    return fig

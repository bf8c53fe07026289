"""nlp-32-3: per-task learning curves and negative transfer. Edit this file; `grader check nlp-32-3` tests it."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure

Task = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]   # x_train, y_train, x_val, y_val


def train_curves(tasks: list[Task], width: int, steps: int, seed: int, lr: float = 0.05) -> np.ndarray:
    """Train one shared linear encoder (8 -> width) with a linear head per task on the sum of the tasks'
    training MSE (full batch, Adam); return every task's validation MSE after each step, (T, steps)."""
    torch.manual_seed(seed)
    encoder = torch.nn.Linear(tasks[0][0].shape[1], width)
    heads = torch.nn.ModuleList(torch.nn.Linear(width, 1) for _ in tasks)
    opt = torch.optim.Adam([*encoder.parameters(), *heads.parameters()], lr=lr)
    curves = np.zeros((len(tasks), steps))
    for step in range(steps):
        loss = sum(F.mse_loss(head(encoder(x)).squeeze(-1), y) for head, (x, y, _, _) in zip(heads, tasks, strict=True))
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            for i, (head, (_, _, xv, yv)) in enumerate(zip(heads, tasks, strict=True)):
                curves[i, step] = F.mse_loss(head(encoder(xv)).squeeze(-1), yv).item()
    return curves


def final_loss(curves: np.ndarray, last: int = 20) -> np.ndarray:
    """Each task's final loss: the mean of its last `last` points (a noisy curve's end, smoothed).

    Shapes:
        curves: (T, steps)
        returns: (T,)

    Raises:
        ValueError: if curves is not 2-D or last is not in 1..steps.
    """
    raise NotImplementedError("final_loss: mean over the tail of each curve")


def transfer_ratio(single: np.ndarray, multi: np.ndarray, last: int = 20) -> np.ndarray:
    """final_loss(multi) / final_loss(single) per task: below 1 the other tasks helped, above 1 they hurt.

    single[t] is task t's curve trained alone, multi[t] its curve trained with the other tasks.

    Shapes:
        single, multi: (T, steps)
        returns: (T,)

    Raises:
        ValueError: if single and multi have different numbers of tasks (and what final_loss raises).
    """
    raise NotImplementedError("transfer_ratio: compare the final losses")


def negative_transfer(single: np.ndarray, multi: np.ndarray, last: int = 20, tolerance: float = 0.1) -> np.ndarray:
    """True for the tasks whose transfer_ratio is strictly above 1 + tolerance.

    Shapes:
        returns: (T,) bool

    Raises:
        ValueError: if tolerance < 0 (and what transfer_ratio raises).
    """
    raise NotImplementedError("negative_transfer: ratio above 1 + tolerance")


def plot_task_curves(runs: dict[str, np.ndarray], task_names: list[str]) -> Figure:
    """One panel per task (titled with its name, in order), one line per run in each panel: the run's
    curve for that task, labelled with the run's name in a legend; both axes labelled.

    runs maps a run name ("alone", "with task B", ...) to its (T, steps) curves.
    """
    raise NotImplementedError("plot_task_curves: a panel per task, a line per run")

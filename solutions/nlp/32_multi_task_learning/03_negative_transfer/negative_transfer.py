"""Reference solution for nlp-32-3."""
from __future__ import annotations

import matplotlib.pyplot as plt
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
    if curves.ndim != 2 or not 1 <= last <= curves.shape[1]:
        raise ValueError(f"need (T, steps) curves and 1 <= last <= steps, got {curves.shape}, last={last}")
    return curves[:, -last:].mean(axis=1)


def transfer_ratio(single: np.ndarray, multi: np.ndarray, last: int = 20) -> np.ndarray:
    if single.shape[0] != multi.shape[0]:
        raise ValueError("single and multi must have one curve per task each")
    return final_loss(multi, last) / final_loss(single, last)


def negative_transfer(single: np.ndarray, multi: np.ndarray, last: int = 20, tolerance: float = 0.1) -> np.ndarray:
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    return transfer_ratio(single, multi, last) > 1 + tolerance


def plot_task_curves(runs: dict[str, np.ndarray], task_names: list[str]) -> Figure:
    fig, axes = plt.subplots(1, len(task_names), squeeze=False)
    for t, (ax, name) in enumerate(zip(axes.flat, task_names, strict=True)):
        for run, curves in runs.items():
            ax.plot(curves[t], label=run)
        ax.set_title(name)
        ax.set_xlabel("step")
        ax.set_ylabel("validation loss")
        ax.set_yscale("log")
        ax.legend()
    return fig

"""Reference solution for ml-08-5."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import matplotlib.figure
import numpy as np
import torch

OptimizerFactory = Callable[[Iterable[torch.nn.Parameter]], torch.optim.Optimizer]


def make_mlp(d_in: int, hidden: int, d_out: int, seed: int) -> torch.nn.Sequential:
    """A float64 tanh MLP whose initial weights depend only on `seed` (given)."""
    g = torch.Generator().manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(d_in, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, d_out))
    model = model.double()
    with torch.no_grad():
        for layer in (model[0], model[2]):
            fan_in = layer.weight.shape[1]
            layer.weight.copy_(torch.randn(layer.weight.shape, generator=g, dtype=torch.float64) / math.sqrt(fan_in))
            layer.bias.zero_()
    return model


def mse(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Full-batch mean squared error (given)."""
    return torch.nn.functional.mse_loss(model(X), y)


def loss_curve(make_optimizer: OptimizerFactory, X: torch.Tensor, y: torch.Tensor, *, hidden: int, steps: int,
               seed: int) -> np.ndarray:
    model = make_mlp(X.shape[1], hidden, y.shape[1], seed)
    opt = make_optimizer(model.parameters())
    curve = np.empty(steps + 1)
    for t in range(steps):
        opt.zero_grad()
        loss = mse(model, X, y)
        curve[t] = loss.item()
        loss.backward()
        opt.step()
    with torch.no_grad():
        curve[steps] = mse(model, X, y).item()
    return curve


def compare_optimizers(optimizers: dict[str, OptimizerFactory], X: torch.Tensor, y: torch.Tensor, *, hidden: int,
                       steps: int, seed: int) -> dict[str, np.ndarray]:
    return {name: loss_curve(make, X, y, hidden=hidden, steps=steps, seed=seed) for name, make in optimizers.items()}


def steps_to_fraction(curve: np.ndarray, fraction: float) -> int:
    curve = np.asarray(curve, dtype=np.float64)
    hit = np.flatnonzero(curve <= fraction * curve[0])
    return int(hit[0]) if hit.size else -1


def diverged(curve: np.ndarray, factor: float = 10.0) -> bool:
    curve = np.asarray(curve, dtype=np.float64)
    return bool(not np.all(np.isfinite(curve)) or np.any(curve > factor * curve[0]))


def summarize(curves: dict[str, np.ndarray], fraction: float = 0.5, factor: float = 10.0) -> dict[str, dict]:
    out = {}
    for name, curve in curves.items():
        c = np.asarray(curve, dtype=np.float64)
        finite = c[np.isfinite(c)]
        out[name] = {
            "final_loss": float(c[-1]),
            "best_loss": float(finite.min()) if finite.size else math.nan,
            "steps_to_fraction": steps_to_fraction(c, fraction),
            "diverged": diverged(c, factor),
        }
    return out


def plot_loss_curves(curves: dict[str, np.ndarray]) -> matplotlib.figure.Figure:
    fig = matplotlib.figure.Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    for name, curve in curves.items():
        ax.plot(np.arange(len(curve)), curve, label=name)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("training loss (MSE)")
    ax.set_title("Optimizer comparison")
    ax.legend()
    return fig

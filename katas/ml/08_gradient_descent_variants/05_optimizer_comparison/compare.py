"""ml-08-5: one small network, trained with each optimizer. Edit this file; `grader check ml-08-5` tests it."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import matplotlib.figure
import numpy as np
import torch

# Builds an optimizer for a model's parameters, e.g. `lambda p: torch.optim.Adam(p, lr=0.01)`.
OptimizerFactory = Callable[[Iterable[torch.nn.Parameter]], torch.optim.Optimizer]


def make_mlp(d_in: int, hidden: int, d_out: int, seed: int) -> torch.nn.Sequential:
    """A float64 tanh MLP whose initial weights depend only on `seed` (given: do not change)."""
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
    """Train make_mlp(X.shape[1], hidden, y.shape[1], seed) full-batch on mse for `steps` steps.

    Returns the loss curve: curve[t] is the full-batch loss of the weights after t optimizer
    steps, so curve[0] is the loss of the initial weights and curve[steps] the loss after the last
    step (one extra forward pass, no update).

    Shapes:
        X: (n, d_in) float64;  y: (n, d_out) float64
        returns: (steps + 1,) float64
    """
    raise NotImplementedError("loss_curve: zero_grad, loss, record, backward, step; then the final loss")


def compare_optimizers(optimizers: dict[str, OptimizerFactory], X: torch.Tensor, y: torch.Tensor, *, hidden: int,
                       steps: int, seed: int) -> dict[str, np.ndarray]:
    """One loss curve per optimizer, every one from the SAME initial weights (same seed): {name: curve}."""
    raise NotImplementedError("compare_optimizers")


def steps_to_fraction(curve: np.ndarray, fraction: float) -> int:
    """Speed: the first t with curve[t] <= fraction * curve[0], or -1 if the curve never gets there."""
    raise NotImplementedError("steps_to_fraction")


def diverged(curve: np.ndarray, factor: float = 10.0) -> bool:
    """Stability: True if any loss is NaN or infinite, or larger than factor * curve[0]."""
    raise NotImplementedError("diverged")


def summarize(curves: dict[str, np.ndarray], fraction: float = 0.5, factor: float = 10.0) -> dict[str, dict]:
    """For every optimizer: {"final_loss": curve[-1], "best_loss": smallest finite loss,
    "steps_to_fraction": steps_to_fraction(curve, fraction), "diverged": diverged(curve, factor)}
    (floats, an int and a Python bool)."""
    raise NotImplementedError("summarize")


def plot_loss_curves(curves: dict[str, np.ndarray]) -> matplotlib.figure.Figure:
    """One axes; one line per optimizer labelled with its name (x: step, y: loss on a log scale);
    axis labels and a legend. Build it with matplotlib.figure.Figure() (no pyplot needed)."""
    raise NotImplementedError("plot_loss_curves")

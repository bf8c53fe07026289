"""nlp-10-3: activation distributions, layer by layer. Edit this file; `grader check nlp-10-3` tests it."""
from __future__ import annotations

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn


class Block(nn.Module):
    """Given: one residual feed-forward block, h + fc2(act(fc1(norm(h)))), pre-norm (or no norm)."""

    def __init__(self, d_model: int, d_ff: int, norm: str, activation: str) -> None:
        super().__init__()
        self.norm: nn.Module = nn.LayerNorm(d_model) if norm == "layernorm" else nn.Identity()
        self.fc1 = nn.Linear(d_model, d_ff)
        self.act = {"gelu": nn.GELU, "relu": nn.ReLU, "tanh": nn.Tanh}[activation]()
        self.fc2 = nn.Linear(d_ff, d_model)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.fc2(self.act(self.fc1(self.norm(h))))


class ResidualStack(nn.Module):
    """Given: embed, depth residual blocks, final norm. Submodule names: "embed", "blocks.3",
    "blocks.3.norm", "blocks.3.fc1", "blocks.3.act", "blocks.3.fc2", "final_norm".

    The output of "blocks.i" is the residual stream after block i. init_gain scales the default
    initialization of every Linear weight (gain > 1 makes activations grow with depth).
    """

    def __init__(self, d_in: int, d_model: int, depth: int, d_ff: int, norm: str = "layernorm",
                 activation: str = "gelu", init_gain: float = 1.0) -> None:
        super().__init__()
        if norm not in ("layernorm", "none"):
            raise ValueError(f"norm must be 'layernorm' or 'none', not {norm!r}")
        self.embed = nn.Linear(d_in, d_model)
        self.blocks = nn.ModuleList(Block(d_model, d_ff, norm, activation) for _ in range(depth))
        self.final_norm: nn.Module = nn.LayerNorm(d_model) if norm == "layernorm" else nn.Identity()
        with torch.no_grad():
            for m in self.modules():
                if isinstance(m, nn.Linear):
                    m.weight.mul_(init_gain)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.embed(x)
        for block in self.blocks:
            h = block(h)
        return self.final_norm(h)


def capture_activations(model: nn.Module, x: torch.Tensor, names: list[str]) -> dict[str, torch.Tensor]:
    """Run model(x) once and return the output of every named submodule, captured with forward hooks.

    names are submodule names as model.named_modules() spells them ("blocks.0.act"); the result
    has exactly those keys, in the order given. The tensors are detached from autograd (run the
    forward under torch.no_grad()). Every hook is removed afterwards, even if the forward raises.

    Shapes:
        returns: name -> the output tensor of that submodule (its shape, e.g. (B, d_ff) for an act)

    Raises:
        KeyError: if a name is not a submodule of model (check before running anything)
    """
    raise NotImplementedError("capture_activations: register forward hooks, run once, remove them")


def activation_stats(acts: dict[str, torch.Tensor]) -> dict[str, dict[str, float]]:
    """Summary statistics of every tensor over all its elements, as Python floats:

        "mean", "std" (population: divide by n), "rms" (sqrt(mean(a**2))), "abs_max",
        "frac_zero" (fraction of elements exactly equal to 0: dead ReLU units)

    Tensors may be float32 (a float32 model's activations) or float64; compute in float64 either way.

    Returns:
        name -> {statistic: value}, in the order of acts
    """
    raise NotImplementedError("activation_stats: five numbers per tensor")


def shared_histograms(acts: dict[str, torch.Tensor], bins: int = 40,
                      value_range: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Histograms of every tensor's values on one shared set of bins, so layers can be compared.

    value_range defaults to (smallest value, largest value) over *all* tensors. Semantics are
    numpy.histogram's: bins equal-width bins over value_range, the last bin includes its right
    edge, values outside value_range are not counted. Tensors may be float32 or float64; the edges
    are computed in float64 either way.

    Shapes:
        returns: edges (bins + 1,) float64, counts (len(acts), bins) int64, rows in the order of acts
    """
    raise NotImplementedError("shared_histograms: one set of edges for every layer, then count")


def plot_activation_distributions(acts: dict[str, torch.Tensor], bins: int = 40) -> Figure:
    """One axes per tensor, stacked vertically with a shared x axis, each titled with its name and
    holding one ax.stairs(counts, edges) of its histogram on the shared bins of shared_histograms;
    y label "count" on every axes, x label "activation" on the bottom one.

    Returns:
        a matplotlib Figure with len(acts) axes
    """
    raise NotImplementedError("plot_activation_distributions: one stairs histogram per layer, shared bins")

"""Reference solution for nlp-10-3."""
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
    modules = dict(model.named_modules())
    missing = [n for n in names if n not in modules]
    if missing:
        raise KeyError(f"no submodules named {missing}")
    captured: dict[str, torch.Tensor] = {}
    handles = []
    for name in names:
        def hook(module: nn.Module, args: tuple, output: torch.Tensor, name: str = name) -> None:
            captured[name] = output.detach()
        handles.append(modules[name].register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return {name: captured[name] for name in names}


def activation_stats(acts: dict[str, torch.Tensor]) -> dict[str, dict[str, float]]:
    """Summary statistics of every tensor over all its elements, as Python floats:

        "mean", "std" (population: divide by n), "rms" (sqrt(mean(a**2))), "abs_max",
        "frac_zero" (fraction of elements exactly equal to 0: dead ReLU units)

    Tensors may be float32 (a float32 model's activations) or float64; compute in float64 either way.

    Returns:
        name -> {statistic: value}, in the order of acts
    """
    out = {}
    for name, a in acts.items():
        a = a.detach().double().reshape(-1)
        out[name] = {"mean": float(a.mean()), "std": float(a.std(correction=0)), "rms": float(a.square().mean().sqrt()),
                     "abs_max": float(a.abs().max()), "frac_zero": float((a == 0).double().mean())}
    return out


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
    values = [a.detach().double().reshape(-1).cpu().numpy() for a in acts.values()]
    if value_range is None:
        value_range = (min(float(v.min()) for v in values), max(float(v.max()) for v in values))
    edges = np.histogram_bin_edges(np.concatenate(values), bins=bins, range=value_range)
    counts = np.stack([np.histogram(v, bins=edges)[0] for v in values]).astype(np.int64)
    return edges, counts


def plot_activation_distributions(acts: dict[str, torch.Tensor], bins: int = 40) -> Figure:
    """One axes per tensor, stacked vertically with a shared x axis, each titled with its name and
    holding one ax.stairs(counts, edges) of its histogram on the shared bins of shared_histograms;
    y label "count" on every axes, x label "activation" on the bottom one.

    Returns:
        a matplotlib Figure with len(acts) axes
    """
    import matplotlib.pyplot as plt

    edges, counts = shared_histograms(acts, bins)
    fig, axes = plt.subplots(len(acts), 1, sharex=True, squeeze=False, figsize=(6, 1.4 * len(acts) + 0.6))
    for ax, name, row in zip(axes[:, 0], acts, counts, strict=True):
        ax.stairs(row, edges, fill=True)
        ax.set_title(name, fontsize=9)
        ax.set_ylabel("count")
    axes[-1, 0].set_xlabel("activation")
    return fig

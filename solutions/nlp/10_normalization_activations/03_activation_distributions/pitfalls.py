"""Plausible wrong activation probes that the tests must reject."""
from __future__ import annotations

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn

from grader.pitfalls import pitfall


@pitfall(replaces="capture_activations", why="never removes the hooks: every later forward keeps recording")
def hooks_left_on(model: nn.Module, x: torch.Tensor, names: list[str]) -> dict[str, torch.Tensor]:
    modules = dict(model.named_modules())
    captured: dict[str, torch.Tensor] = {}
    for name in names:
        modules[name].register_forward_hook(lambda m, a, out, name=name: captured.__setitem__(name, out.detach()))
    with torch.no_grad():
        model(x)
    return {name: captured[name] for name in names}


@pitfall(replaces="capture_activations", why="records the hook's input (args[0]) instead of the module's output")
def records_inputs(model: nn.Module, x: torch.Tensor, names: list[str]) -> dict[str, torch.Tensor]:
    modules = dict(model.named_modules())
    captured: dict[str, torch.Tensor] = {}
    handles = [modules[n].register_forward_hook(lambda m, a, out, n=n: captured.__setitem__(n, a[0].detach()))
               for n in names]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return {name: captured[name] for name in names}


@pitfall(replaces="capture_activations", why="keeps the autograd graph: no no_grad, no detach")
def not_detached(model: nn.Module, x: torch.Tensor, names: list[str]) -> dict[str, torch.Tensor]:
    modules = dict(model.named_modules())
    captured: dict[str, torch.Tensor] = {}
    handles = [modules[n].register_forward_hook(lambda m, a, out, n=n: captured.__setitem__(n, out)) for n in names]
    try:
        model(x)
    finally:
        for h in handles:
            h.remove()
    return {name: captured[name] for name in names}


@pitfall(replaces="capture_activations", why="walks model.named_modules(): the keys come back in the model's order")
def model_order(model: nn.Module, x: torch.Tensor, names: list[str]) -> dict[str, torch.Tensor]:
    captured: dict[str, torch.Tensor] = {}
    handles = [m.register_forward_hook(lambda mod, a, out, n=n: captured.__setitem__(n, out.detach()))
               for n, m in model.named_modules() if n in names]
    if len(handles) != len(set(names)):
        for h in handles:
            h.remove()
        raise KeyError(names)
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return {n: captured[n] for n, _ in model.named_modules() if n in names}


@pitfall(replaces="activation_stats", why="torch.std's default: the unbiased std (divides by n - 1)")
def unbiased_std(acts: dict[str, torch.Tensor]) -> dict[str, dict[str, float]]:
    out = {}
    for name, a in acts.items():
        a = a.double().reshape(-1)
        out[name] = {"mean": float(a.mean()), "std": float(torch.nan_to_num(a.std())),
                     "rms": float(a.square().mean().sqrt()), "abs_max": float(a.abs().max()),
                     "frac_zero": float((a == 0).double().mean())}
    return out


@pitfall(replaces="activation_stats", why="frac_zero counts every element <= 0, negatives included")
def nonpositive_as_zero(acts: dict[str, torch.Tensor]) -> dict[str, dict[str, float]]:
    out = {}
    for name, a in acts.items():
        a = a.double().reshape(-1)
        out[name] = {"mean": float(a.mean()), "std": float(a.std(correction=0)), "rms": float(a.square().mean().sqrt()),
                     "abs_max": float(a.abs().max()), "frac_zero": float((a <= 0).double().mean())}
    return out


@pitfall(replaces="shared_histograms", why="bins each layer over its own range: the rows are not comparable")
def per_layer_bins(acts: dict[str, torch.Tensor], bins: int = 40,
                   value_range: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    values = [a.double().reshape(-1).numpy() for a in acts.values()]
    counts = np.stack([np.histogram(v, bins=bins, range=value_range)[0] for v in values]).astype(np.int64)
    lo = value_range[0] if value_range else min(v.min() for v in values)
    hi = value_range[1] if value_range else max(v.max() for v in values)
    return np.linspace(lo, hi, bins + 1), counts


@pitfall(replaces="plot_activation_distributions", why="ax.hist per layer with its own automatic bins")
def own_bins_per_axes(acts: dict[str, torch.Tensor], bins: int = 40) -> Figure:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(acts), 1, squeeze=False)
    for ax, (name, a) in zip(axes[:, 0], acts.items(), strict=True):
        counts, edges = np.histogram(a.double().reshape(-1).numpy(), bins=bins)
        ax.stairs(counts, edges)
        ax.set_title(name)
        ax.set_ylabel("count")
    axes[-1, 0].set_xlabel("activation")
    return fig


@pitfall(replaces="capture_activations", why="looks each name up while registering: an unknown name after a valid one leaves that hook behind")
def checks_while_registering(model: nn.Module, x: torch.Tensor, names: list[str]) -> dict[str, torch.Tensor]:
    modules = dict(model.named_modules())
    captured: dict[str, torch.Tensor] = {}
    handles = []
    for name in names:
        if name not in modules:
            raise KeyError(name)

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


@pitfall(replaces="shared_histograms", why="fills a np.zeros((n, bins)) table: float64 counts, not int64")
def float_counts(acts: dict[str, torch.Tensor], bins: int = 40,
                 value_range: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    values = [a.detach().double().reshape(-1).numpy() for a in acts.values()]
    if value_range is None:
        value_range = (min(float(v.min()) for v in values), max(float(v.max()) for v in values))
    edges = np.histogram_bin_edges(np.concatenate(values), bins=bins, range=value_range)
    counts = np.zeros((len(values), bins))
    for i, v in enumerate(values):
        counts[i] = np.histogram(v, bins=edges)[0]
    return edges, counts

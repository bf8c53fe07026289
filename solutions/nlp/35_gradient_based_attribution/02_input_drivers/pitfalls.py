"""Plausible wrong versions of the driver functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import torch
from captum.attr import IntegratedGradients
from matplotlib.figure import Figure

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from drivers import target_logit


def _ig(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int, steps: int, method: str = "riemann_right",
        zero: bool = False) -> torch.Tensor:
    x = model.embed(idx[None]).detach()
    base = torch.zeros_like(x) if zero else model.embed.weight.detach().mean(dim=0).expand_as(x)
    return IntegratedGradients(lambda e: target_logit(model, e, position, target)).attribute(
        x, baselines=base, n_steps=steps, method=method)[0]


@pitfall(replaces="token_attributions", why="scores each character by the L2 norm of its row: loses the sign and completeness")
def norm_per_character(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int | None = None,
                       steps: int = 32) -> torch.Tensor:
    if target is None:
        with torch.no_grad():
            target = int(model(idx[None])[0, position].argmax())
    return _ig(model, idx, position, target, steps).norm(dim=-1).detach()


@pitfall(replaces="token_attributions", why="captum's default method (Gauss-Legendre) instead of the right Riemann sum")
def gauss_legendre(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int | None = None,
                   steps: int = 32) -> torch.Tensor:
    if target is None:
        with torch.no_grad():
            target = int(model(idx[None])[0, position].argmax())
    return _ig(model, idx, position, target, steps, method="gausslegendre").sum(-1).detach()


@pitfall(replaces="token_attributions", why="target=None explains the argmax at the LAST position, not at `position`")
def argmax_at_last(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int | None = None,
                   steps: int = 32) -> torch.Tensor:
    if target is None:
        with torch.no_grad():
            target = int(model(idx[None])[0, -1].argmax())
    return _ig(model, idx, position, target, steps).sum(-1).detach()


@pitfall(replaces="top_drivers", why="ranks by the signed score, so large negative drivers are missed")
def signed_ranking(scores: torch.Tensor, k: int) -> list[int]:
    if not 0 <= k <= len(scores):
        raise ValueError("bad k")
    vals = scores.detach().numpy()
    return [int(i) for i in np.lexsort((np.arange(len(vals)), -vals))[:k]]


@pitfall(replaces="top_drivers", why="argsort of -|score| with the default quicksort: ties come out in no fixed order, here reversed")
def ties_reversed(scores: torch.Tensor, k: int) -> list[int]:
    if not 0 <= k <= len(scores):
        raise ValueError("bad k")
    mags = np.abs(scores.detach().numpy())
    return [int(i) for i in np.lexsort((-np.arange(len(mags)), -mags))[:k]]


@pitfall(replaces="plot_drivers", why="plots |scores|: the sign of each driver disappears from the chart")
def absolute_bars(text: str, scores: torch.Tensor, position: int) -> Figure:
    if len(text) != len(scores):
        raise ValueError("length mismatch")
    labels = [{" ": "␣", "\n": "⏎"}.get(c, c) for c in text]
    fig, ax = plt.subplots()
    ax.bar(range(len(text)), scores.abs().numpy(),
           color=["tab:red" if i == position else "tab:blue" for i in range(len(text))])
    ax.set_xticks(range(len(text)), labels)
    ax.set_title(f"drivers of the prediction at position {position}")
    ax.set_ylabel("attribution")
    return fig

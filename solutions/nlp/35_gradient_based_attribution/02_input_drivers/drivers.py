"""nlp-35-2: which input characters drive a prediction. Edit this file; `grader check nlp-35-2` tests it."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from captum.attr import IntegratedGradients
from matplotlib.figure import Figure

from grader import lm


def target_logit(model: lm.CharGPT, emb: torch.Tensor, position: int, target: int) -> torch.Tensor:
    """The logit of character `target` at `position` for token embeddings `emb` (N, T, d_model) -> (N,)."""
    positions = torch.arange(emb.shape[1])
    x = emb
    for block in model.blocks:
        x = block(x, positions)
    return model.head(model.ln_f(x))[:, position, target]


def token_attributions(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int | None = None,
                       steps: int = 32) -> torch.Tensor:
    """Integrated-gradients score of every input character for the logit of `target` at `position`.

    Use captum's `IntegratedGradients` on `target_logit` with respect to the embeddings
    `model.embed(idx)`, baseline = the mean embedding row at every position, `n_steps=steps`,
    `method="riemann_right"`; a character's score is the sum of its row of attributions.
    `target=None` explains the model's own prediction: the argmax of its logits at `position`.

    Shapes:
        idx: (T,) int64
        returns: (T,) in the model's dtype
    """
    x = model.embed(idx[None]).detach()
    if target is None:
        with torch.no_grad():
            target = int(model(idx[None])[0, position].argmax())
    baseline = model.embed.weight.detach().mean(dim=0).expand_as(x)
    ig = IntegratedGradients(lambda emb: target_logit(model, emb, position, target))
    attr = ig.attribute(x, baselines=baseline, n_steps=steps, method="riemann_right")
    return attr[0].sum(dim=-1).detach()


def top_drivers(scores: torch.Tensor, k: int) -> list[int]:
    """Positions of the k largest |scores|, largest first; equal |scores| in increasing position order.

    Raises:
        ValueError: if k < 0 or k > len(scores).
    """
    if not 0 <= k <= len(scores):
        raise ValueError(f"k = {k} for {len(scores)} scores")
    mags = np.abs(scores.detach().cpu().numpy())
    order = np.lexsort((np.arange(len(mags)), -mags))
    return [int(i) for i in order[:k]]


def plot_drivers(text: str, scores: torch.Tensor, position: int) -> Figure:
    """A bar chart of the scores: one axes, one bar per character, in order, height = its score.

    The x tick labels are the characters of `text` ("␣" for a space, "⏎" for a newline); the bar at
    `position` (the prediction being explained) is coloured "tab:red", every other bar "tab:blue";
    the title is f"drivers of the prediction at position {position}" and the y label "attribution".

    Raises:
        ValueError: if len(text) != len(scores).
    """
    if len(text) != len(scores):
        raise ValueError(f"{len(text)} characters for {len(scores)} scores")
    labels = [{" ": "␣", "\n": "⏎"}.get(c, c) for c in text]
    colors = ["tab:red" if i == position else "tab:blue" for i in range(len(text))]
    fig, ax = plt.subplots()
    ax.bar(range(len(text)), scores.detach().cpu().numpy(), color=colors)
    ax.set_xticks(range(len(text)), labels)
    ax.set_title(f"drivers of the prediction at position {position}")
    ax.set_ylabel("attribution")
    return fig

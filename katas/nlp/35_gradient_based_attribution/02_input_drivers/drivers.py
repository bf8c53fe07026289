"""nlp-35-2: which input characters drive a prediction. Edit this file; `grader check nlp-35-2` tests it."""
from __future__ import annotations

import matplotlib.pyplot as plt  # noqa: F401  (for plot_drivers)
import numpy as np  # noqa: F401  (for top_drivers)
import torch
from captum.attr import IntegratedGradients  # noqa: F401  (for token_attributions)
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
    raise NotImplementedError("token_attributions: captum IntegratedGradients, summed per character")


def top_drivers(scores: torch.Tensor, k: int) -> list[int]:
    """Positions of the k largest |scores|, largest first; equal |scores| in increasing position order.

    Raises:
        ValueError: if k < 0 or k > len(scores).
    """
    raise NotImplementedError("top_drivers: rank positions by |score|")


def plot_drivers(text: str, scores: torch.Tensor, position: int) -> Figure:
    """A bar chart of the scores: one axes, one bar per character, in order, height = its score.

    The x tick labels are the characters of `text` ("␣" for a space, "⏎" for a newline); the bar at
    `position` (the prediction being explained) is coloured "tab:red", every other bar "tab:blue";
    the title is f"drivers of the prediction at position {position}" and the y label "attribution".

    Raises:
        ValueError: if len(text) != len(scores).
    """
    raise NotImplementedError("plot_drivers: one bar per character")

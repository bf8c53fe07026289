"""nlp-35-1: saliency and integrated gradients for tokens. Edit this file; `grader check nlp-35-1` tests it."""
from __future__ import annotations

import torch

from grader import lm


def target_logit(model: lm.CharGPT, emb: torch.Tensor, position: int, target: int) -> torch.Tensor:
    """The logit of character `target` at `position`, for token embeddings `emb` instead of ids.

    Runs the model's blocks, final LayerNorm and head on `emb` (positions arange(T)). Differentiable
    in `emb`.

    Shapes:
        emb: (N, T, d_model) float
        returns: (N,) float, one logit per sequence
    """
    positions = torch.arange(emb.shape[1])
    x = emb
    for block in model.blocks:
        x = block(x, positions)
    return model.head(model.ln_f(x))[:, position, target]


def saliency(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int) -> torch.Tensor:
    """Gradient saliency per token: the L2 norm over d_model of d target_logit / d embedding.

    The embedding of `idx` is `model.embed(idx)`, in the model's dtype. The model is not modified.

    Shapes:
        idx: (T,) int64
        returns: (T,) in the model's dtype, >= 0; zero for tokens after `position` (causality)

    Raises:
        ValueError: if position is not in 0..T-1.
    """
    raise NotImplementedError("saliency: the per-token norm of the gradient of the target logit")


def integrated_gradients(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int,
                         baseline: torch.Tensor | None = None, steps: int = 50) -> torch.Tensor:
    """Integrated gradients of target_logit with respect to the token embeddings.

    attr = (x - x') * (1/steps) * sum_{k=1..steps} grad f(x' + (k/steps) (x - x'))
    (the right Riemann sum), f = target_logit, x = model.embed(idx), x' = `baseline`; when None, every
    position gets the mean row of the embedding table (the "average character": a zero baseline sits
    on LayerNorm's singular point). The attributions satisfy completeness up to the Riemann error,
    which shrinks as steps grows: attr.sum() ≈ f(x) - f(x'). The model and inputs are not modified.

    Shapes:
        idx: (T,) int64
        baseline: (T, d_model) or None
        returns: (T, d_model) in the model's dtype

    Raises:
        ValueError: if position is not in 0..T-1 or steps < 1.
    """
    raise NotImplementedError("integrated_gradients: average the gradients along the straight path")

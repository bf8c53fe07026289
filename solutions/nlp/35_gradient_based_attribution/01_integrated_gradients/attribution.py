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
    T = idx.shape[0]
    if not 0 <= position < T:
        raise ValueError(f"position {position} is outside a sequence of {T} tokens")
    emb = model.embed(idx[None]).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(target_logit(model, emb, position, target).sum(), emb)
    return grad[0].norm(dim=-1)


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
    T = idx.shape[0]
    if not 0 <= position < T:
        raise ValueError(f"position {position} is outside a sequence of {T} tokens")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    x = model.embed(idx).detach()
    x0 = model.embed.weight.detach().mean(dim=0).expand_as(x) if baseline is None else baseline.to(x.dtype)
    alphas = torch.arange(1, steps + 1, dtype=x.dtype) / steps
    path = (x0 + alphas[:, None, None] * (x - x0)).requires_grad_(True)
    (grads,) = torch.autograd.grad(target_logit(model, path, position, target).sum(), path)
    return (x - x0) * grads.mean(dim=0)

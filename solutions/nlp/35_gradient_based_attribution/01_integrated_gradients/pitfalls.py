"""Plausible wrong versions of the attribution functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from attribution import target_logit


def _ig(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int, baseline: torch.Tensor | None,
        steps: int, start: int = 1, scale: bool = True, zero_default: bool = False, mean: bool = True) -> torch.Tensor:
    T = idx.shape[0]
    if not 0 <= position < T or steps < 1:
        raise ValueError("bad arguments")
    x = model.embed(idx).detach()
    if baseline is None:
        x0 = torch.zeros_like(x) if zero_default else model.embed.weight.detach().mean(dim=0).expand_as(x)
    else:
        x0 = baseline.to(x.dtype)
    alphas = torch.arange(start, steps + start, dtype=x.dtype) / steps
    path = (x0 + alphas[:, None, None] * (x - x0)).requires_grad_(True)
    (grads,) = torch.autograd.grad(target_logit(model, path, position, target).sum(), path)
    g = grads.mean(dim=0) if mean else grads.sum(dim=0)
    return (x - x0) * g if scale else g


@pitfall(replaces="integrated_gradients", why="left Riemann sum: alphas 0..(steps-1)/steps, evaluating at the baseline and never at x")
def left_riemann(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int,
                 baseline: torch.Tensor | None = None, steps: int = 50) -> torch.Tensor:
    return _ig(model, idx, position, target, baseline, steps, start=0)


@pitfall(replaces="integrated_gradients", why="returns the averaged gradient without multiplying by (x - baseline)")
def missing_delta(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int,
                  baseline: torch.Tensor | None = None, steps: int = 50) -> torch.Tensor:
    return _ig(model, idx, position, target, baseline, steps, scale=False)


@pitfall(replaces="integrated_gradients", why="a zero default baseline: LayerNorm's singular point, completeness needs thousands of steps")
def zero_baseline(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int,
                  baseline: torch.Tensor | None = None, steps: int = 50) -> torch.Tensor:
    return _ig(model, idx, position, target, baseline, steps, zero_default=True)


@pitfall(replaces="integrated_gradients", why="sums the path gradients instead of averaging them (steps times too large)")
def summed_gradients(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int,
                     baseline: torch.Tensor | None = None, steps: int = 50) -> torch.Tensor:
    return _ig(model, idx, position, target, baseline, steps, mean=False)


@pitfall(replaces="saliency", why="L1 norm (sum of |gradient|) instead of the L2 norm over d_model")
def l1_saliency(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int) -> torch.Tensor:
    if not 0 <= position < idx.shape[0]:
        raise ValueError("bad position")
    emb = model.embed(idx[None]).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(target_logit(model, emb, position, target).sum(), emb)
    return grad[0].abs().sum(dim=-1)


@pitfall(replaces="saliency", why="gradient of the target logit summed over every position, not the one asked for")
def all_positions(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int) -> torch.Tensor:
    if not 0 <= position < idx.shape[0]:
        raise ValueError("bad position")
    emb = model.embed(idx[None]).detach().requires_grad_(True)
    positions = torch.arange(emb.shape[1])
    x = emb
    for block in model.blocks:
        x = block(x, positions)
    (grad,) = torch.autograd.grad(model.head(model.ln_f(x))[0, :, target].sum(), emb)
    return grad[0].norm(dim=-1)


@pitfall(replaces="saliency", why="gradient x input summed over d_model (a signed score), not the gradient's norm")
def grad_times_input(model: lm.CharGPT, idx: torch.Tensor, position: int, target: int) -> torch.Tensor:
    if not 0 <= position < idx.shape[0]:
        raise ValueError("bad position")
    emb = model.embed(idx[None]).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(target_logit(model, emb, position, target).sum(), emb)
    return (grad[0] * emb[0]).sum(dim=-1).detach()

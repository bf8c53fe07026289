"""Plausible wrong gradient-flow diagnostics that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gradient_flow import _loss


@pitfall(replaces="weight_grad_norms", why="collects norms in backward-hook order: output layer first")
def reversed_order(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    grads = torch.autograd.grad(_loss(model, x, y), weights)
    return [float(torch.linalg.vector_norm(g)) for g in grads][::-1]


@pitfall(replaces="weight_grad_norms", why="calls loss.backward() and reads p.grad: overwrites (accumulates into) the model's .grad")
def uses_backward(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    for p in model.parameters():
        p.grad = None
    _loss(model, x, y).backward()
    return [float(m.weight.grad.norm()) for m in model if isinstance(m, torch.nn.Linear)]


@pitfall(replaces="weight_grad_norms", why="norm of the whole layer's gradient, bias included")
def bias_included(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    lins = [m for m in model if isinstance(m, torch.nn.Linear)]
    grads = torch.autograd.grad(_loss(model, x, y), [p for m in lins for p in (m.weight, m.bias)])
    return [float(torch.sqrt(grads[2 * i].norm() ** 2 + grads[2 * i + 1].norm() ** 2)) for i in range(len(lins))]


@pitfall(replaces="weight_grad_norms", why="sums the squared error instead of averaging (mse_loss(reduction='sum'))")
def summed_loss(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    grads = torch.autograd.grad(torch.nn.functional.mse_loss(model(x), y, reduction="sum"), weights)
    return [float(torch.linalg.vector_norm(g)) for g in grads]


@pitfall(replaces="preactivation_grad_norms", why="differentiates w.r.t. each activation's output (after σ) instead of the Linear's output")
def post_activation(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    hs, h, layers = [], x, list(model)
    for i, layer in enumerate(layers):
        h = layer(h)
        followed_by_activation = i + 1 < len(layers) and not isinstance(layers[i + 1], torch.nn.Linear)
        if isinstance(layer, torch.nn.Linear) and followed_by_activation:
            continue  # the mistake: keeps the activation's output below instead of this one
        hs.append(h)
    grads = torch.autograd.grad(torch.nn.functional.mse_loss(h, y), hs)
    return [float(g.norm()) for g in grads]


@pitfall(replaces="preactivation_grad_norms", why="squared norms ‖δ‖² instead of ‖δ‖")
def squared_norms(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    hs: list[torch.Tensor] = []
    grads = torch.autograd.grad(_loss(model, x, y, keep=hs), hs)
    return [float(g.norm() ** 2) for g in grads]


@pitfall(replaces="decay_per_layer", why="arithmetic mean of the ratios instead of the geometric mean")
def arithmetic_mean(norms: list[float]) -> float:
    if len(norms) < 2 or any(not n > 0 for n in norms):
        raise ValueError("bad norms")
    return sum(a / b for a, b in zip(norms, norms[1:], strict=False)) / (len(norms) - 1)


@pitfall(replaces="decay_per_layer", why="(first/last) ** (1/L) with L = len(norms): one ratio too many")
def wrong_root(norms: list[float]) -> float:
    if len(norms) < 2 or any(not n > 0 for n in norms):
        raise ValueError("bad norms")
    return (norms[0] / norms[-1]) ** (1 / len(norms))


@pitfall(replaces="decay_per_layer", why="accepts a zero norm (division by zero or 0 ** x passes silently)")
def no_validation(norms: list[float]) -> float:
    if len(norms) < 2:
        raise ValueError("bad norms")
    return float("inf") if norms[-1] == 0 else (norms[0] / norms[-1]) ** (1 / (len(norms) - 1))

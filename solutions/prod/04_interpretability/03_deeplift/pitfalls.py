"""Plausible wrong DeepLIFT implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from deeplift import EPS, layer_activations, rescale_multipliers


@pitfall(replaces="rescale_multipliers", why="the ReLU's gradient at x instead of delta_out / delta_in: gradient x (x - baseline)")
def gradient_not_ratio(a_in: torch.Tensor, a0_in: torch.Tensor) -> torch.Tensor:
    return (a_in > 0).to(a_in.dtype)


@pitfall(replaces="rescale_multipliers", why="multiplier 0 where delta_in = 0 instead of the gradient")
def zero_fallback(a_in: torch.Tensor, a0_in: torch.Tensor) -> torch.Tensor:
    d_in = a_in - a0_in
    d_out = torch.relu(a_in) - torch.relu(a0_in)
    safe = torch.where(d_in.abs() < EPS, torch.ones_like(d_in), d_in)
    return torch.where(d_in.abs() < EPS, torch.zeros_like(d_in), d_out / safe)


@pitfall(replaces="rescale_multipliers", why="computes the multipliers in float64 and returns them so: the dtype of x is lost")
def upcast(a_in: torch.Tensor, a0_in: torch.Tensor) -> torch.Tensor:
    a, a0 = a_in.double(), a0_in.double()
    d_in, d_out = a - a0, torch.relu(a) - torch.relu(a0)
    safe = torch.where(d_in.abs() < EPS, torch.ones_like(d_in), d_in)
    return torch.where(d_in.abs() < EPS, (a > 0).double(), d_out / safe)


def _backward(model: nn.Sequential, x: torch.Tensor, baseline: torch.Tensor, seed: torch.Tensor) -> torch.Tensor:
    acts, acts0 = layer_activations(model, x), layer_activations(model, baseline)
    m = seed
    for i in reversed(range(len(model))):
        layer = model[i]
        m = m @ layer.weight.detach().to(m.dtype) if isinstance(layer, nn.Linear) else m * rescale_multipliers(
            acts[i], acts0[i])
    return m


@pitfall(replaces="deeplift_rescale", why="multiplies the multipliers by x, not by x - baseline")
def times_input(model: nn.Sequential, x: torch.Tensor, baseline: torch.Tensor, target: int = 0) -> torch.Tensor:
    if any(not isinstance(layer, nn.Linear | nn.ReLU) for layer in model):
        raise ValueError("layer")
    baseline = torch.broadcast_to(baseline, x.shape)
    k = model(x).shape[-1]
    if not 0 <= target < k:
        raise ValueError("target")
    seed = torch.zeros(x.shape[0], k, dtype=x.dtype)
    seed[:, target] = 1.0
    return _backward(model, x, baseline, seed) * x


@pitfall(replaces="deeplift_rescale", why="starts from a vector of ones: attributes the sum of all outputs, not column target")
def all_outputs(model: nn.Sequential, x: torch.Tensor, baseline: torch.Tensor, target: int = 0) -> torch.Tensor:
    if any(not isinstance(layer, nn.Linear | nn.ReLU) for layer in model):
        raise ValueError("layer")
    baseline = torch.broadcast_to(baseline, x.shape)
    k = model(x).shape[-1]
    if not 0 <= target < k:
        raise ValueError("target")
    return _backward(model, x, baseline, torch.ones(x.shape[0], k, dtype=x.dtype)) * (x - baseline)


@pitfall(replaces="deeplift_rescale", why="negative targets index from the end instead of raising ValueError")
def python_indexing(model: nn.Sequential, x: torch.Tensor, baseline: torch.Tensor, target: int = 0) -> torch.Tensor:
    if any(not isinstance(layer, nn.Linear | nn.ReLU) for layer in model):
        raise ValueError("layer")
    baseline = torch.broadcast_to(baseline, x.shape)
    k = model(x).shape[-1]
    seed = torch.zeros(x.shape[0], k, dtype=x.dtype)
    seed[:, target] = 1.0
    return _backward(model, x, baseline, seed) * (x - baseline)

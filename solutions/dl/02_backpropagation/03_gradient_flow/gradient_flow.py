"""Reference solution for dl-02-3.

All functions take an nn.Sequential of nn.Linear layers with elementwise activations between them
(as built by deep_mlp), a float64 input batch x and targets y, and use the loss
L = torch.nn.functional.mse_loss(model(x), y) (the mean over all entries).
"""
from __future__ import annotations

import torch


def deep_mlp(depth: int, width: int, d_in: int, d_out: int, activation: str, seed: int) -> torch.nn.Sequential:
    """Given: `depth` Linear layers (float64), the activation between them. "sigmoid" and "tanh" keep
    torch's default initialisation; "relu" uses He (kaiming_normal_) weights and zero biases;
    "linear" puts no activation at all (the layers follow each other directly)."""
    torch.manual_seed(seed)
    dims = [d_in] + [width] * (depth - 1) + [d_out]
    layers: list[torch.nn.Module] = []
    for i in range(depth):
        lin = torch.nn.Linear(dims[i], dims[i + 1]).double()
        if activation == "relu":
            torch.nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
            torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < depth - 1 and activation != "linear":
            layers.append({"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}[activation]())
    return torch.nn.Sequential(*layers)


def _loss(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor,
          keep: list[torch.Tensor] | None = None) -> torch.Tensor:
    h = x
    for layer in model:
        h = layer(h)
        if keep is not None and isinstance(layer, torch.nn.Linear):
            keep.append(h)
    return torch.nn.functional.mse_loss(h, y)


def weight_grad_norms(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    grads = torch.autograd.grad(_loss(model, x, y), weights)
    return [float(torch.linalg.vector_norm(g)) for g in grads]


def preactivation_grad_norms(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    hs: list[torch.Tensor] = []
    loss = _loss(model, x, y, keep=hs)
    grads = torch.autograd.grad(loss, hs)
    return [float(torch.linalg.vector_norm(g)) for g in grads]


def decay_per_layer(norms: list[float]) -> float:
    if len(norms) < 2 or any(not n > 0 for n in norms):
        raise ValueError("need at least two positive norms")
    return float((norms[0] / norms[-1]) ** (1.0 / (len(norms) - 1)))

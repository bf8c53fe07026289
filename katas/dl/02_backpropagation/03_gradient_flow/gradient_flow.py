"""dl-02-3: per-layer gradient norms and vanishing gradients. Edit this file; `grader check dl-02-3` tests it.

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


def weight_grad_norms(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    """‖∂L/∂W‖_F for the weight of every nn.Linear in the model, first layer first (biases excluded).

    The parameters' .grad fields are left exactly as they were (use torch.autograd.grad).

    Shapes:
        x: (n, d_in); y: (n, d_out)
        returns: one float per Linear layer
    """
    raise NotImplementedError("weight_grad_norms: torch.autograd.grad of the loss w.r.t. each Linear weight")


def preactivation_grad_norms(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    """‖∂L/∂h_l‖_F where h_l is the output of the l-th nn.Linear (before its activation), first layer first.

    The parameters' .grad fields are left exactly as they were.

    Shapes:
        x: (n, d_in); y: (n, d_out)
        returns: one float per Linear layer
    """
    raise NotImplementedError("preactivation_grad_norms: keep each Linear's output, differentiate L w.r.t. all of them")


def decay_per_layer(norms: list[float]) -> float:
    """The geometric-mean ratio between consecutive layers, (norms[0] / norms[-1]) ** (1 / (len(norms) − 1)):
    below 1 the gradient shrinks towards the input (vanishes), above 1 it grows (explodes).

    Raises:
        ValueError: if there are fewer than two norms or any norm is not positive.
    """
    raise NotImplementedError("decay_per_layer: the geometric mean of norms[l] / norms[l + 1]")

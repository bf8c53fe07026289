"""Plausible wrong norms and activations that the tests must reject."""
from __future__ import annotations

import math

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="layer_norm", why="torch.var's default is the unbiased variance (divides by n - 1)")
def unbiased_variance(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    mean = x.mean(dim=-1, keepdim=True)
    var = x.var(dim=-1, keepdim=True)
    return torch.nan_to_num((x - mean) / torch.sqrt(var + eps)) * weight + bias


@pitfall(replaces="layer_norm", why="eps added to the standard deviation instead of inside the square root")
def eps_outside_sqrt(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    mean = x.mean(dim=-1, keepdim=True)
    std = (x - mean).pow(2).mean(dim=-1, keepdim=True).sqrt()
    return (x - mean) / (std + eps) * weight + bias


@pitfall(replaces="layer_norm", why="one-pass variance E[x^2] - E[x]^2: catastrophic cancellation in float32")
def one_pass_variance(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    mean = x.mean(dim=-1, keepdim=True)
    var = (x * x).mean(dim=-1, keepdim=True) - mean * mean
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


@pitfall(replaces="rms_norm", why="subtracts the mean first: that is LayerNorm without a bias, not RMSNorm")
def centred_rms(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    c = x - x.mean(dim=-1, keepdim=True)
    return c * torch.rsqrt((c * c).mean(dim=-1, keepdim=True) + eps) * weight


@pitfall(replaces="rms_norm", why="eps added to the root mean square instead of inside the square root")
def rms_eps_outside(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    return x / ((x * x).mean(dim=-1, keepdim=True).sqrt() + eps) * weight


@pitfall(replaces="rms_norm", why="the L2 norm of the row instead of the root *mean* square (off by sqrt(d))")
def l2_norm(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    return x * torch.rsqrt((x * x).sum(dim=-1, keepdim=True) + eps) * weight


@pitfall(replaces="gelu", why="erf(x) instead of erf(x / sqrt(2))")
def erf_without_sqrt2(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    if approximate == "tanh":
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    if approximate != "none":
        raise ValueError(approximate)
    return 0.5 * x * (1.0 + torch.erf(x))


@pitfall(replaces="gelu", why="ignores approximate: always the exact erf form")
def ignores_approximate(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    if approximate not in ("none", "tanh"):
        raise ValueError(approximate)
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


@pitfall(replaces="gelu", why="tanh form without the cubic term 0.044715 x^3")
def tanh_without_cubic(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    if approximate == "tanh":
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * x))
    if approximate != "none":
        raise ValueError(approximate)
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


@pitfall(replaces="gelu", why="silently falls back to the exact form for an unknown approximate value")
def no_validation(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    if approximate == "tanh":
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


@pitfall(replaces="swiglu", why="sigmoid gate instead of silu: GLU, not SwiGLU")
def sigmoid_gate(x: torch.Tensor, w_gate: torch.Tensor, w_up: torch.Tensor, w_down: torch.Tensor) -> torch.Tensor:
    return (torch.sigmoid(x @ w_gate.T) * (x @ w_up.T)) @ w_down.T


@pitfall(replaces="swiglu", why="silu applied to the up projection instead of the gate")
def silu_on_up(x: torch.Tensor, w_gate: torch.Tensor, w_up: torch.Tensor, w_down: torch.Tensor) -> torch.Tensor:
    up = x @ w_up.T
    return (up * torch.sigmoid(up) * (x @ w_gate.T)) @ w_down.T


@pitfall(replaces="rms_norm", why="computes in float64 for accuracy and never casts back: float32 in, float64 out")
def float64_rms(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    x64 = x.double()
    return x64 / torch.sqrt((x64 * x64).mean(-1, keepdim=True) + eps) * weight.double()

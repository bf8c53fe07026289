"""Reference solution for nlp-10-1."""
from __future__ import annotations

import math  # noqa: F401  (math.pi, math.sqrt)

import torch


def layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """Layer normalization over the last axis (Ba, Kiros and Hinton 2016):

        y = (x - mean) / sqrt(var + eps) * weight + bias

    with mean and the *biased* variance (divide by n, not n - 1) of each row of the last axis.
    Use only elementwise ops and reductions (no torch.nn.functional.layer_norm / nn.LayerNorm).

    Shapes:
        x: (..., d); weight, bias: (d,)
        returns: (..., d), dtype of x
    """
    mean = x.mean(dim=-1, keepdim=True)
    centred = x - mean
    var = (centred * centred).mean(dim=-1, keepdim=True)
    return centred * torch.rsqrt(var + eps) * weight + bias


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Root-mean-square normalization over the last axis (Zhang and Sennrich 2019):

        y = x / sqrt(mean(x**2) + eps) * weight

    No centring and no bias. No torch.nn.functional.rms_norm / nn.RMSNorm.

    Shapes:
        x: (..., d); weight: (d,)
        returns: (..., d), dtype of x
    """
    return x * torch.rsqrt((x * x).mean(dim=-1, keepdim=True) + eps) * weight


def gelu(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    """The Gaussian error linear unit, x * Phi(x) with Phi the standard normal CDF (Hendrycks and Gimpel 2016).

    approximate="none":  0.5 * x * (1 + erf(x / sqrt(2)))
    approximate="tanh":  0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))   (GPT-2, BERT)
    Any other value raises ValueError. No torch.nn.functional.gelu / nn.GELU.

    Shapes:
        x: any shape; returns the same shape and dtype
    """
    if approximate == "none":
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if approximate == "tanh":
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    raise ValueError(f"approximate must be 'none' or 'tanh', not {approximate!r}")


def swiglu(x: torch.Tensor, w_gate: torch.Tensor, w_up: torch.Tensor, w_down: torch.Tensor) -> torch.Tensor:
    """The SwiGLU feed-forward block of PaLM and Llama (Shazeer 2020), without biases:

        y = (silu(x W_gate^T) * (x W_up^T)) W_down^T          silu(z) = z * sigmoid(z)

    The weights are in nn.Linear layout (out_features, in_features). Write silu yourself
    (torch.sigmoid is fine; no F.silu / nn.SiLU).

    Shapes:
        x: (..., d_model); w_gate, w_up: (d_ff, d_model); w_down: (d_model, d_ff)
        returns: (..., d_model)
    """
    gate = x @ w_gate.T
    return (gate * torch.sigmoid(gate) * (x @ w_up.T)) @ w_down.T

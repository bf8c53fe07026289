"""nlp-10-1: LayerNorm, RMSNorm, GELU, SwiGLU by hand. Edit this file; `grader check nlp-10-1` tests it."""
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
    raise NotImplementedError("layer_norm: centre, divide by sqrt(var + eps), scale and shift")


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Root-mean-square normalization over the last axis (Zhang and Sennrich 2019):

        y = x / sqrt(mean(x**2) + eps) * weight

    No centring and no bias. No torch.nn.functional.rms_norm / nn.RMSNorm.

    Shapes:
        x: (..., d); weight: (d,)
        returns: (..., d), dtype of x
    """
    raise NotImplementedError("rms_norm: divide by the root mean square, then scale")


def gelu(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    """The Gaussian error linear unit, x * Phi(x) with Phi the standard normal CDF (Hendrycks and Gimpel 2016).

    approximate="none":  0.5 * x * (1 + erf(x / sqrt(2)))
    approximate="tanh":  0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))   (GPT-2, BERT)
    Any other value raises ValueError. No torch.nn.functional.gelu / nn.GELU.

    Shapes:
        x: any shape; returns the same shape and dtype
    """
    raise NotImplementedError("gelu: x times the normal CDF, exact (erf) or tanh-approximated")


def swiglu(x: torch.Tensor, w_gate: torch.Tensor, w_up: torch.Tensor, w_down: torch.Tensor) -> torch.Tensor:
    """The SwiGLU feed-forward block of PaLM and Llama (Shazeer 2020), without biases:

        y = (silu(x W_gate^T) * (x W_up^T)) W_down^T          silu(z) = z * sigmoid(z)

    The weights are in nn.Linear layout (out_features, in_features). Write silu yourself
    (torch.sigmoid is fine; no F.silu / nn.SiLU).

    Shapes:
        x: (..., d_model); w_gate, w_up: (d_ff, d_model); w_down: (d_model, d_ff)
        returns: (..., d_model)
    """
    raise NotImplementedError("swiglu: a silu-gated product of two projections, then the down projection")

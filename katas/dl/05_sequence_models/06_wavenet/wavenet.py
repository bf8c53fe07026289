"""dl-05-6: WaveNet-style dilated causal convolutions with gated activations. Edit this file;
`grader check dl-05-6` tests it.

Sequences are (N, C, T), time last, as torch.nn.Conv1d expects.
"""
from __future__ import annotations

import torch


def causal_conv1d(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                  dilation: int = 1) -> torch.Tensor:
    """A causal dilated convolution: y[:, :, t] depends only on x[:, :, t − d(k−1)], …, x[:, :, t − d], x[:, :, t]
    (zeros before the start), i.e. y[..., t] = b + Σ_j W[:, :, j] · x[..., t − d·(k − 1 − j)].

    Shapes:
        x: (N, C_in, T); weight: (C_out, C_in, k) -> (N, C_out, T)
    """
    raise NotImplementedError("causal_conv1d: pad d·(k − 1) zeros on the left only, then F.conv1d")


def receptive_field(kernel_size: int, dilations: list[int]) -> int:
    """How many input steps one output of a stack of causal convolutions sees: 1 + Σ_l (k − 1)·d_l."""
    raise NotImplementedError("receptive_field: one plus what each layer adds")


class GatedResidualBlock(torch.nn.Module):
    """WaveNet's block (van den Oord et al. 2016), with these submodules:

        filter_conv, gate_conv = Conv1d(C, C, kernel_size, dilation=dilation)   (applied causally)
        res_conv, skip_conv    = Conv1d(C, C, 1)

        z = tanh(filter_conv *c x) ⊙ σ(gate_conv *c x)        (*c: causal_conv1d with the conv's weight and bias)
        forward(x) = (x + res_conv(z), skip_conv(z))            the residual output and the skip output
    """

    def __init__(self, channels: int, kernel_size: int, dilation: int) -> None:
        super().__init__()
        raise NotImplementedError("GatedResidualBlock.__init__")

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError("GatedResidualBlock.forward")


class WaveNet(torch.nn.Module):
    """input_conv = Conv1d(in_ch, channels, 1); blocks = ModuleList of GatedResidualBlock(channels,
    kernel_size, d) for d in dilations; output_conv = Conv1d(channels, out_ch, 1).

        h = input_conv(x);  for each block: h, s = block(h), summing the skips s
        forward(x) = output_conv(relu(Σ skips))

    Shapes:
        x: (N, in_ch, T) -> (N, out_ch, T); output t sees exactly inputs t − R + 1 … t with
        R = receptive_field(kernel_size, dilations).
    """

    def __init__(self, in_ch: int, out_ch: int, channels: int, kernel_size: int, dilations: list[int]) -> None:
        super().__init__()
        raise NotImplementedError("WaveNet.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("WaveNet.forward")

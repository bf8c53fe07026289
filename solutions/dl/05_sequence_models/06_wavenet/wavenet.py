"""Reference solution for dl-05-6."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def causal_conv1d(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                  dilation: int = 1) -> torch.Tensor:
    pad = dilation * (weight.shape[-1] - 1)
    return F.conv1d(F.pad(x, (pad, 0)), weight, bias, dilation=dilation)


def receptive_field(kernel_size: int, dilations: list[int]) -> int:
    return 1 + sum((kernel_size - 1) * d for d in dilations)


class GatedResidualBlock(torch.nn.Module):
    def __init__(self, channels: int, kernel_size: int, dilation: int) -> None:
        super().__init__()
        self.dilation = dilation
        self.filter_conv = torch.nn.Conv1d(channels, channels, kernel_size, dilation=dilation)
        self.gate_conv = torch.nn.Conv1d(channels, channels, kernel_size, dilation=dilation)
        self.res_conv = torch.nn.Conv1d(channels, channels, 1)
        self.skip_conv = torch.nn.Conv1d(channels, channels, 1)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        f = causal_conv1d(x, self.filter_conv.weight, self.filter_conv.bias, self.dilation)
        g = causal_conv1d(x, self.gate_conv.weight, self.gate_conv.bias, self.dilation)
        z = torch.tanh(f) * torch.sigmoid(g)
        return x + self.res_conv(z), self.skip_conv(z)


class WaveNet(torch.nn.Module):
    def __init__(self, in_ch: int, out_ch: int, channels: int, kernel_size: int, dilations: list[int]) -> None:
        super().__init__()
        self.input_conv = torch.nn.Conv1d(in_ch, channels, 1)
        self.blocks = torch.nn.ModuleList(GatedResidualBlock(channels, kernel_size, d) for d in dilations)
        self.output_conv = torch.nn.Conv1d(channels, out_ch, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.input_conv(x)
        skips = torch.zeros_like(h)
        for block in self.blocks:
            h, s = block(h)
            skips = skips + s
        return self.output_conv(torch.relu(skips))

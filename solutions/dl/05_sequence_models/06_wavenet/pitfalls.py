"""Plausible wrong WaveNet pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from wavenet import GatedResidualBlock, WaveNet, causal_conv1d


@pitfall(replaces="causal_conv1d", why="'same' padding (half on each side): output t sees the future")
def same_padding(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                 dilation: int = 1) -> torch.Tensor:
    pad = dilation * (weight.shape[-1] - 1)
    return F.conv1d(F.pad(x, (pad // 2, pad - pad // 2)), weight, bias, dilation=dilation)


@pitfall(replaces="causal_conv1d", why="pads k − 1 on the left, forgetting the dilation, then right-pads to keep the length")
def pad_without_dilation(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None,
                         dilation: int = 1) -> torch.Tensor:
    k = weight.shape[-1]
    extra = (dilation - 1) * (k - 1)
    return F.conv1d(F.pad(x, (k - 1, extra)), weight, bias, dilation=dilation)


@pitfall(replaces="receptive_field", why="Σ k·d: counts the kernel size instead of k − 1 per layer")
def k_times_d(kernel_size: int, dilations: list[int]) -> int:
    return 1 + sum(kernel_size * d for d in dilations) if dilations else 1


@pitfall(replaces="GatedResidualBlock.forward", why="σ on the filter and tanh on the gate (swapped)")
def swapped_gate(self: GatedResidualBlock, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    f = causal_conv1d(x, self.filter_conv.weight, self.filter_conv.bias, self.dilation)
    g = causal_conv1d(x, self.gate_conv.weight, self.gate_conv.bias, self.dilation)
    z = torch.sigmoid(f) * torch.tanh(g)
    return x + self.res_conv(z), self.skip_conv(z)


@pitfall(replaces="GatedResidualBlock.forward", why="no residual connection: returns res_conv(z) alone")
def no_residual(self: GatedResidualBlock, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    f = causal_conv1d(x, self.filter_conv.weight, self.filter_conv.bias, self.dilation)
    g = causal_conv1d(x, self.gate_conv.weight, self.gate_conv.bias, self.dilation)
    z = torch.tanh(f) * torch.sigmoid(g)
    return self.res_conv(z), self.skip_conv(z)


@pitfall(replaces="WaveNet.forward", why="uses only the last block's skip output instead of their sum")
def last_skip_only(self: WaveNet, x: torch.Tensor) -> torch.Tensor:
    h = self.input_conv(x)
    s = torch.zeros_like(h)
    for block in self.blocks:
        h, s = block(h)
    return self.output_conv(torch.relu(s))

"""Plausible wrong ResNet blocks that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from resnet_block import BasicBlock


@pitfall(replaces="BasicBlock.forward", why="ReLU on the residual branch before the addition, none after it")
def relu_before_add(self: BasicBlock, x: torch.Tensor) -> torch.Tensor:
    out = F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))
    return out + (x if self.downsample is None else self.downsample(x))


@pitfall(replaces="BasicBlock.forward", why="no ReLU after the addition")
def no_final_relu(self: BasicBlock, x: torch.Tensor) -> torch.Tensor:
    out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
    return out + (x if self.downsample is None else self.downsample(x))


@pitfall(replaces="BasicBlock.forward", why="forgets bn2 (conv2's output is added unnormalised)")
def no_bn2(self: BasicBlock, x: torch.Tensor) -> torch.Tensor:
    out = self.conv2(F.relu(self.bn1(self.conv1(x))))
    return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class _Base(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


@pitfall(replaces="BasicBlock", why="projection shortcut only when the channels change: a stride-2 block with equal widths gets an identity of the wrong size")
class ProjectOnlyOnWidthChange(_Base):
    def __init__(self, in_ch: int, out_ch: int, stride: int = 1, zero_init_residual: bool = False) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False)
        self.bn1, self.bn2 = torch.nn.BatchNorm2d(out_ch), torch.nn.BatchNorm2d(out_ch)
        self.conv2 = torch.nn.Conv2d(out_ch, out_ch, 3, padding=1, bias=False)
        self.downsample = None
        if in_ch != out_ch:
            self.downsample = torch.nn.Sequential(torch.nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False),
                                                  torch.nn.BatchNorm2d(out_ch))
        if zero_init_residual:
            torch.nn.init.zeros_(self.bn2.weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        short = x if self.downsample is None else self.downsample(x)
        if short.shape != out.shape:  # "fix" the size mismatch by subsampling
            short = short[..., ::2, ::2]
        return F.relu(out + short)


@pitfall(replaces="BasicBlock", why="projection shortcut without its BatchNorm")
class ProjectionWithoutBN(_Base):
    def __init__(self, in_ch: int, out_ch: int, stride: int = 1, zero_init_residual: bool = False) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False)
        self.bn1, self.bn2 = torch.nn.BatchNorm2d(out_ch), torch.nn.BatchNorm2d(out_ch)
        self.conv2 = torch.nn.Conv2d(out_ch, out_ch, 3, padding=1, bias=False)
        self.downsample = None
        if stride != 1 or in_ch != out_ch:
            self.downsample = torch.nn.Sequential(torch.nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False))
        if zero_init_residual:
            torch.nn.init.zeros_(self.bn2.weight)


@pitfall(replaces="BasicBlock", why="the stride sits on conv2 instead of conv1")
class StrideOnConv2(_Base):
    def __init__(self, in_ch: int, out_ch: int, stride: int = 1, zero_init_residual: bool = False) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(in_ch, out_ch, 3, padding=1, bias=False)
        self.bn1, self.bn2 = torch.nn.BatchNorm2d(out_ch), torch.nn.BatchNorm2d(out_ch)
        self.conv2 = torch.nn.Conv2d(out_ch, out_ch, 3, stride=stride, padding=1, bias=False)
        self.downsample = None
        if stride != 1 or in_ch != out_ch:
            self.downsample = torch.nn.Sequential(torch.nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False),
                                                  torch.nn.BatchNorm2d(out_ch))
        if zero_init_residual:
            torch.nn.init.zeros_(self.bn2.weight)


@pitfall(replaces="BasicBlock", why="zero_init_residual zeroes bn1.weight instead of bn2.weight")
class ZeroesBN1(_Base):
    def __init__(self, in_ch: int, out_ch: int, stride: int = 1, zero_init_residual: bool = False) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False)
        self.bn1, self.bn2 = torch.nn.BatchNorm2d(out_ch), torch.nn.BatchNorm2d(out_ch)
        self.conv2 = torch.nn.Conv2d(out_ch, out_ch, 3, padding=1, bias=False)
        self.downsample = None
        if stride != 1 or in_ch != out_ch:
            self.downsample = torch.nn.Sequential(torch.nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False),
                                                  torch.nn.BatchNorm2d(out_ch))
        if zero_init_residual:
            torch.nn.init.zeros_(self.bn1.weight)

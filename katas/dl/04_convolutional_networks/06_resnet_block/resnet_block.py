"""dl-04-6: the ResNet basic block. Edit this file; `grader check dl-04-6` tests it."""
from __future__ import annotations

import torch


class BasicBlock(torch.nn.Module):
    """He et al. (2016)'s basic block, with torchvision's names:

        conv1 = Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False);  bn1 = BatchNorm2d(out_ch)
        conv2 = Conv2d(out_ch, out_ch, 3, padding=1, bias=False);                bn2 = BatchNorm2d(out_ch)
        downsample = Sequential(Conv2d(in_ch, out_ch, 1, stride=stride, bias=False), BatchNorm2d(out_ch))
                     when stride != 1 or in_ch != out_ch (a projection shortcut), else None (identity)

        forward(x) = relu( bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x) )

    zero_init_residual=True sets bn2.weight to 0, so a fresh block starts as relu(shortcut(x)).

    Shapes:
        x: (N, in_ch, H, W) -> (N, out_ch, ceil(H / stride), ceil(W / stride))
    """

    def __init__(self, in_ch: int, out_ch: int, stride: int = 1, zero_init_residual: bool = False) -> None:
        super().__init__()
        raise NotImplementedError("BasicBlock.__init__: conv1, bn1, conv2, bn2 and downsample (or None)")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("BasicBlock.forward: the residual branch plus the shortcut, then ReLU")

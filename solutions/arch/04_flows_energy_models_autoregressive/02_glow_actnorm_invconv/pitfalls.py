"""Plausible wrong ActNorm and 1x1-convolution layers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from glow import EPS, ActNorm, InvConv1x1


def _init(self: ActNorm, x: torch.Tensor, unbiased: bool = False) -> None:
    if not bool(self.initialized):
        with torch.no_grad():
            self.loc.copy_(-x.mean(dim=(0, 2, 3)))
            self.log_scale.copy_(-torch.log(x.std(dim=(0, 2, 3), unbiased=unbiased) + EPS))
            self.initialized.fill_(True)


def _affine(self: ActNorm, x: torch.Tensor) -> torch.Tensor:
    return (x + self.loc[None, :, None, None]) * torch.exp(self.log_scale)[None, :, None, None]


@pitfall(replaces="ActNorm.forward", why="initialises with the unbiased std (divides by count - 1)")
def unbiased_std(self: ActNorm, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    _init(self, x, unbiased=True)
    return _affine(self, x), (x.shape[2] * x.shape[3] * self.log_scale.sum()).expand(x.shape[0])


@pitfall(replaces="ActNorm.forward", why="re-initialises from every batch (batch norm in disguise)")
def always_reinitialises(self: ActNorm, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    self.initialized.fill_(False)
    _init(self, x)
    return _affine(self, x), (x.shape[2] * x.shape[3] * self.log_scale.sum()).expand(x.shape[0])


@pitfall(replaces="ActNorm.forward", why="log_det = sum(log_scale), forgetting the H * W pixels per channel")
def log_det_per_channel(self: ActNorm, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    _init(self, x)
    return _affine(self, x), self.log_scale.sum().expand(x.shape[0])


@pitfall(replaces="ActNorm.forward", why="scales first and shifts after: x * exp(log_scale) + loc")
def scale_then_shift(self: ActNorm, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    _init(self, x)
    y = x * torch.exp(self.log_scale)[None, :, None, None] + self.loc[None, :, None, None]
    return y, (x.shape[2] * x.shape[3] * self.log_scale.sum()).expand(x.shape[0])


@pitfall(replaces="ActNorm.inverse", why="undoes the shift before the scale: (y - loc) * exp(-log_scale)")
def actnorm_inverse_wrong_order(self: ActNorm, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    x = (y - self.loc[None, :, None, None]) * torch.exp(-self.log_scale)[None, :, None, None]
    return x, (-y.shape[2] * y.shape[3] * self.log_scale.sum()).expand(y.shape[0])


@pitfall(replaces="InvConv1x1.forward", why="mixes with W^T (conv2d weight read as (in, out))")
def transposed_weight(self: InvConv1x1, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    y = F.conv2d(x, self.weight.T[:, :, None, None])
    return y, (x.shape[2] * x.shape[3] * torch.linalg.slogdet(self.weight)[1]).expand(x.shape[0])


@pitfall(replaces="InvConv1x1.forward", why="log_det = log|det W| once, not once per pixel")
def invconv_log_det_once(self: InvConv1x1, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    y = F.conv2d(x, self.weight[:, :, None, None])
    return y, torch.linalg.slogdet(self.weight)[1].expand(x.shape[0])


@pitfall(replaces="InvConv1x1.inverse", why="inverts with W^T, true only while W is still orthogonal")
def inverse_by_transpose(self: InvConv1x1, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    x = F.conv2d(y, self.weight.T[:, :, None, None])
    return x, (-y.shape[2] * y.shape[3] * torch.linalg.slogdet(self.weight)[1]).expand(y.shape[0])

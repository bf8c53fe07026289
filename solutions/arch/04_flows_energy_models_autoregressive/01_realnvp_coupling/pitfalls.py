"""Plausible wrong coupling layers and flow code that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from realnvp import AffineCoupling


@pitfall(replaces="AffineCoupling.forward", why="sums s over every dimension, the pass-through ones included")
def log_det_over_all_dims(self: AffineCoupling, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    m = self.mask
    s, t = self.scale_shift(x * m)
    return x * m + (1 - m) * (x * torch.exp(s) + t), s.sum(dim=-1)


@pitfall(replaces="AffineCoupling.forward", why="shifts before scaling: (x + t) * exp(s)")
def shift_then_scale(self: AffineCoupling, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    m = self.mask
    s, t = self.scale_shift(x * m)
    return x * m + (1 - m) * ((x + t) * torch.exp(s)), ((1 - m) * s).sum(dim=-1)


@pitfall(replaces="AffineCoupling.forward", why="log_det as the mean of s instead of the sum")
def log_det_mean(self: AffineCoupling, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    m = self.mask
    s, t = self.scale_shift(x * m)
    return x * m + (1 - m) * (x * torch.exp(s) + t), ((1 - m) * s).mean(dim=-1)


@pitfall(replaces="AffineCoupling.inverse", why="multiplies by exp(s) again instead of dividing")
def inverse_wrong_sign(self: AffineCoupling, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    m = self.mask
    s, t = self.scale_shift(y * m)
    return y * m + (1 - m) * (y - t) * torch.exp(s), -((1 - m) * s).sum(dim=-1)


@pitfall(replaces="AffineCoupling.inverse", why="conditions the inverse on the whole y, not on y * mask")
def inverse_unmasked_condition(self: AffineCoupling, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    m = self.mask
    s, t = self.scale_shift(y)
    return y * m + (1 - m) * (y - t) * torch.exp(-s), -((1 - m) * s).sum(dim=-1)


@pitfall(replaces="AffineCoupling.inverse", why="returns the forward log-determinant (forgets the minus sign)")
def inverse_log_det_sign(self: AffineCoupling, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    m = self.mask
    s, t = self.scale_shift(y * m)
    return y * m + (1 - m) * (y - t) * torch.exp(-s), ((1 - m) * s).sum(dim=-1)


@pitfall(replaces="flow_log_prob", why="subtracts the log-determinants (the density of the inverse direction)")
def subtracts_log_det(layers: list, x: torch.Tensor) -> torch.Tensor:
    z, total = x, torch.zeros(x.shape[0], dtype=x.dtype)
    for layer in layers:
        z, log_det = layer(z)
        total = total - log_det
    return -0.5 * (z ** 2).sum(dim=-1) - 0.5 * z.shape[-1] * math.log(2 * math.pi) + total


@pitfall(replaces="flow_log_prob", why="drops the -D/2 log(2 pi) normaliser of the base density")
def unnormalised_base(layers: list, x: torch.Tensor) -> torch.Tensor:
    z, total = x, torch.zeros(x.shape[0], dtype=x.dtype)
    for layer in layers:
        z, log_det = layer(z)
        total = total + log_det
    return -0.5 * (z ** 2).sum(dim=-1) + total


@pitfall(replaces="flow_inverse", why="undoes the layers in forward order instead of reverse")
def inverse_in_forward_order(layers: list, z: torch.Tensor) -> torch.Tensor:
    for layer in layers:
        z, _ = layer.inverse(z)
    return z

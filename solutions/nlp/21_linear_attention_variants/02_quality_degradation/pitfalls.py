"""Plausible wrong versions of the degradation kata that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from degradation import Attend, causal_performer, favor_features, relative_error


@pitfall(replaces="causal_performer", why="sums over all keys (bidirectional): the future leaks in")
def bidirectional(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    s = q.shape[-1] ** -0.25
    qf, kf = favor_features(q * s, omega, True), favor_features(k * s, omega, False)
    return (qf @ (kf.transpose(-2, -1) @ v)) / (qf @ kf.sum(-2, keepdim=True).transpose(-2, -1))


@pitfall(replaces="causal_performer", why="exclusive prefix sums (s < t): a query never sees its own key")
def exclusive(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    s = q.shape[-1] ** -0.25
    qf, kf = favor_features(q * s, omega, True), favor_features(k * s, omega, False)
    kv = torch.cumsum(kf[..., :, :, None] * v[..., :, None, :], dim=-3) - kf[..., :, :, None] * v[..., :, None, :]
    z = torch.cumsum(kf, dim=-2) - kf + 1e-30
    return (qf[..., :, None, :] @ kv)[..., 0, :] / (qf * z).sum(-1, keepdim=True)


@pitfall(replaces="capture_qkv", why="returns the last layer's q, k, v whatever layer is asked")
def last_layer(model: torch.nn.Module, windows: torch.Tensor, layer: int) -> tuple[torch.Tensor, ...]:
    seen: list[tuple[torch.Tensor, ...]] = []

    def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        seen.append((q, k, v))
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)

    with torch.no_grad():
        model(windows, attention=attend)
    return seen[-1]


@pitfall(replaces="relative_error", why="mean absolute difference instead of the relative Frobenius norm")
def mean_abs(approx: torch.Tensor, exact: torch.Tensor) -> float:
    return float((approx - exact).abs().mean())


@pitfall(replaces="error_curve", why="reuses one omega draw (seed) for every r: averaging does nothing")
def same_draw(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, feature_counts: Sequence[int], n_draws: int,
              seed: int) -> torch.Tensor:
    if n_draws < 1:
        raise ValueError("n_draws")
    exact = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return torch.tensor([relative_error(causal_performer(q, k, v, torch.randn(
        m, q.shape[-1], generator=torch.Generator().manual_seed(seed), dtype=q.dtype)), exact) for m in feature_counts],
        dtype=torch.float64)


@pitfall(replaces="local_attend", why="window off by one: i - j <= window")
def window_plus_one(window: int) -> Attend:
    if window < 1:
        raise ValueError("window")

    def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        t = q.shape[-2]
        i, j = torch.arange(t)[:, None], torch.arange(t)[None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=(j <= i) & (i - j <= window))
    return attend


@pitfall(replaces="loss_gap", why="compares losses in bits (log2) rather than nats")
def in_bits(model: torch.nn.Module, windows: torch.Tensor, targets: torch.Tensor, attention: Attend) -> float:
    with torch.no_grad():
        a = F.cross_entropy(model(windows, attention=attention).flatten(0, 1).double(), targets.flatten()).item()
        e = F.cross_entropy(model(windows).flatten(0, 1).double(), targets.flatten()).item()
    return (a - e) / 0.6931471805599453

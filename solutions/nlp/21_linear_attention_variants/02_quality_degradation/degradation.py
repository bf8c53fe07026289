"""Reference solution for nlp-21-2."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F

Attend = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]


def favor_features(x: torch.Tensor, omega: torch.Tensor, is_query: bool) -> torch.Tensor:
    """Given: FAVOR+ positive features exp(omega x - |x|^2/2) / sqrt(m), stabilised as in the Performer code:
    a query's features are divided by their own max, keys' by the max over all keys (constants that cancel
    in attention's normalisation)."""
    proj = x @ omega.T - (x * x).sum(-1, keepdim=True) / 2
    stab = proj.amax(dim=-1, keepdim=True) if is_query else proj.amax(dim=(-2, -1), keepdim=True)
    return torch.exp(proj - stab) / math.sqrt(omega.shape[0])


def causal_performer(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    s = q.shape[-1] ** -0.25
    qf, kf = favor_features(q * s, omega, True), favor_features(k * s, omega, False)
    kv = torch.cumsum(kf[..., :, :, None] * v[..., :, None, :], dim=-3)     # (..., T, m, d)
    z = torch.cumsum(kf, dim=-2)                                            # (..., T, m)
    num = (qf[..., :, None, :] @ kv)[..., 0, :]
    den = (qf * z).sum(-1, keepdim=True)
    return num / den


def capture_qkv(model: torch.nn.Module, windows: torch.Tensor, layer: int) -> tuple[torch.Tensor, ...]:
    captured: list[tuple[torch.Tensor, ...]] = []

    def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        captured.append((q.clone(), k.clone(), v.clone()))
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)

    with torch.no_grad():
        model(windows, attention=attend)
    return captured[layer]


def relative_error(approx: torch.Tensor, exact: torch.Tensor) -> float:
    return float((approx.double() - exact.double()).norm() / exact.double().norm())


def error_curve(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, feature_counts: Sequence[int], n_draws: int,
                seed: int) -> torch.Tensor:
    if n_draws < 1:
        raise ValueError(f"n_draws must be >= 1, got {n_draws}")
    exact = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    out = []
    for m in feature_counts:
        errs = [relative_error(causal_performer(q, k, v, torch.randn(m, q.shape[-1],
                                                                     generator=torch.Generator().manual_seed(seed + r),
                                                                     dtype=q.dtype)), exact)
                for r in range(n_draws)]
        out.append(sum(errs) / n_draws)
    return torch.tensor(out, dtype=torch.float64)


@torch.no_grad()
def loss_gap(model: torch.nn.Module, windows: torch.Tensor, targets: torch.Tensor, attention: Attend) -> float:
    def loss(att: Attend | None) -> float:
        logits = model(windows, attention=att)
        return F.cross_entropy(logits.flatten(0, 1).double(), targets.flatten()).item()
    return loss(attention) - loss(None)


def local_attend(window: int) -> Attend:
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")

    def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        t = q.shape[-2]
        i, j = torch.arange(t)[:, None], torch.arange(t)[None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=(j <= i) & (i - j < window))
    return attend

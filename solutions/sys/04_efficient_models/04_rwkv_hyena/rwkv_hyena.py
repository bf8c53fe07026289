"""Reference solution for sys-04-4."""
from __future__ import annotations

import torch


def wkv_parallel(w: torch.Tensor, u: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    T = k.shape[0]
    t = torch.arange(T, dtype=k.dtype)
    gap = (t[:, None] - 1 - t[None, :])  # t - 1 - i
    scores = -gap[:, :, None] * w + k[None, :, :]  # (t, i, C)
    diag = torch.eye(T, dtype=torch.bool)[:, :, None]
    scores = torch.where(diag, u + k[None, :, :], scores)
    future = (t[None, :] > t[:, None])[:, :, None]
    scores = scores.masked_fill(future, float("-inf"))
    weights = torch.softmax(scores, dim=1)
    return torch.einsum("tic,ic->tc", weights, v)


def wkv_recurrent(w: torch.Tensor, u: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                  state: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None
                  ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    C = k.shape[1]
    if state is None:
        a = torch.zeros(C, dtype=k.dtype)
        b = torch.zeros(C, dtype=k.dtype)
        p = torch.full((C,), float("-inf"), dtype=k.dtype)
    else:
        a, b, p = state
    out = torch.empty_like(v)
    for t in range(k.shape[0]):
        # output: combine the state (scaled by e^p) with the current token (e^(u + k_t))
        q = torch.maximum(p, u + k[t])
        e1, e2 = torch.exp(p - q), torch.exp(u + k[t] - q)
        out[t] = (e1 * a + e2 * v[t]) / (e1 * b + e2)
        # state update: decay by e^-w, add e^(k_t)
        q = torch.maximum(p - w, k[t])
        e1, e2 = torch.exp(p - w - q), torch.exp(k[t] - q)
        a = e1 * a + e2 * v[t]
        b = e1 * b + e2
        p = q
    return out, (a, b, p)


def fft_long_conv(u: torch.Tensor, h: torch.Tensor, d: torch.Tensor | None = None) -> torch.Tensor:
    T = u.shape[0]
    n = 2 * T
    y = torch.fft.irfft(torch.fft.rfft(u, n=n, dim=0) * torch.fft.rfft(h, n=n, dim=0), n=n, dim=0)[:T]
    if d is not None:
        y = y + d * u
    return y.to(u.dtype)

"""Reference solution for nlp-21-1."""
from __future__ import annotations

import math

import torch


def draw_omega(m: int, d: int, generator: torch.Generator, orthogonal: bool = False,
               dtype: torch.dtype = torch.float32) -> torch.Tensor:
    if m < 1 or d < 1:
        raise ValueError(f"need m >= 1 and d >= 1, got {m=}, {d=}")
    if not orthogonal:
        return torch.randn(m, d, generator=generator, dtype=torch.float64).to(dtype)
    blocks = []
    for _ in range(math.ceil(m / d)):
        g = torch.randn(d, d, generator=generator, dtype=torch.float64)
        qmat, r = torch.linalg.qr(g)
        qmat = qmat * torch.sign(torch.diagonal(r))[None, :]      # sign fix: Haar-distributed rotation
        norms = torch.randn(d, d, generator=generator, dtype=torch.float64).norm(dim=1)
        blocks.append(qmat.T * norms[:, None])
    return torch.cat(blocks)[:m].to(dtype)


def favor_features(x: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    proj = x @ omega.T
    return torch.exp(proj - (x * x).sum(-1, keepdim=True) / 2) / math.sqrt(omega.shape[0])


def performer_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    scale = q.shape[-1] ** -0.25
    qf, kf = favor_features(q * scale, omega), favor_features(k * scale, omega)
    kv = kf.transpose(-2, -1) @ v                       # (..., m, d_v)
    norm = qf @ kf.sum(dim=-2, keepdim=True).transpose(-2, -1)   # (..., T, 1)
    return (qf @ kv) / norm


def linformer_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, E: torch.Tensor,
                        F: torch.Tensor) -> torch.Tensor:
    kp, vp = E @ k, F @ v
    w = torch.softmax(q @ kp.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1)
    return w @ vp


def fnet_mixing(x: torch.Tensor) -> torch.Tensor:
    return torch.fft.fft(torch.fft.fft(x, dim=-1), dim=-2).real.to(x.dtype)

"""Plausible wrong versions of the efficient attentions that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from efficient_attention import favor_features


@pitfall(replaces="draw_omega", why="orthogonal blocks without rescaling: every row has norm 1 instead of ~sqrt(d)")
def unit_rows(m: int, d: int, generator: torch.Generator, orthogonal: bool = False,
              dtype: torch.dtype = torch.float32) -> torch.Tensor:
    if m < 1 or d < 1:
        raise ValueError("sizes")
    if not orthogonal:
        return torch.randn(m, d, generator=generator, dtype=torch.float64).to(dtype)
    blocks = [torch.linalg.qr(torch.randn(d, d, generator=generator, dtype=torch.float64))[0].T
              for _ in range(math.ceil(m / d))]
    return torch.cat(blocks)[:m].to(dtype)


@pitfall(replaces="draw_omega", why="orthogonal=True uses the QR's R factor rows (not orthogonal)")
def r_factor(m: int, d: int, generator: torch.Generator, orthogonal: bool = False,
             dtype: torch.dtype = torch.float32) -> torch.Tensor:
    if m < 1 or d < 1:
        raise ValueError("sizes")
    if not orthogonal:
        return torch.randn(m, d, generator=generator, dtype=torch.float64).to(dtype)
    blocks = [torch.linalg.qr(torch.randn(d, d, generator=generator, dtype=torch.float64))[1]
              for _ in range(math.ceil(m / d))]
    return torch.cat(blocks)[:m].to(dtype)


@pitfall(replaces="favor_features", why="drops the exp(-|x|^2 / 2) factor (biased: estimates exp(q.k + |q|^2/2 + |k|^2/2))")
def no_norm_term(x: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    return torch.exp(x @ omega.T) / math.sqrt(omega.shape[0])


@pitfall(replaces="favor_features", why="trigonometric features cos(omega x) (not positive, estimates a different kernel)")
def trig_features(x: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    proj = x @ omega.T
    return torch.cos(proj) * torch.exp((x * x).sum(-1, keepdim=True) / 2) / math.sqrt(omega.shape[0])


@pitfall(replaces="performer_attention", why="scales q and k by 1/sqrt(d) each (so q.k gets 1/d)")
def double_scale(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    s = q.shape[-1] ** -0.5
    qf, kf = favor_features(q * s, omega), favor_features(k * s, omega)
    return (qf @ (kf.transpose(-2, -1) @ v)) / (qf @ kf.sum(-2, keepdim=True).transpose(-2, -1))


@pitfall(replaces="performer_attention", why="forgets the normaliser D^-1")
def unnormalised(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    s = q.shape[-1] ** -0.25
    qf, kf = favor_features(q * s, omega), favor_features(k * s, omega)
    return qf @ (kf.transpose(-2, -1) @ v)


@pitfall(replaces="linformer_attention", why="softmax over the projected values' axis: normalises the wrong way "
         "(columns instead of rows)")
def softmax_wrong_axis(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, E: torch.Tensor,
                       F: torch.Tensor) -> torch.Tensor:
    return torch.softmax(q @ (E @ k).transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-2) @ (F @ v)


@pitfall(replaces="draw_omega", why="orthogonal blocks from QR without the sign fix: not a uniformly random "
         "rotation, so the kernel estimate is biased")
def qr_no_sign_fix(m: int, d: int, generator: torch.Generator, orthogonal: bool = False,
                   dtype: torch.dtype = torch.float32) -> torch.Tensor:
    if m < 1 or d < 1:
        raise ValueError("sizes")
    if not orthogonal:
        return torch.randn(m, d, generator=generator, dtype=torch.float64).to(dtype)
    blocks = []
    for _ in range(math.ceil(m / d)):
        qmat, _ = torch.linalg.qr(torch.randn(d, d, generator=generator, dtype=torch.float64))
        norms = torch.randn(d, d, generator=generator, dtype=torch.float64).norm(dim=1)
        blocks.append(qmat.T * norms[:, None])
    return torch.cat(blocks)[:m].to(dtype)


@pitfall(replaces="fnet_mixing", why="FFT over the sequence axis only")
def sequence_only(x: torch.Tensor) -> torch.Tensor:
    return torch.fft.fft(x, dim=-2).real.to(x.dtype)


@pitfall(replaces="fnet_mixing", why="keeps the magnitude |FFT| instead of the real part")
def magnitude(x: torch.Tensor) -> torch.Tensor:
    return torch.fft.fft2(x).abs().to(x.dtype)

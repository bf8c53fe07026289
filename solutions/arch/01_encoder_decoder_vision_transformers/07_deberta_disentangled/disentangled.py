"""Reference solution for arch-01-7."""
from __future__ import annotations

import math

import torch


def relative_index(n: int, k: int) -> torch.Tensor:
    if n < 1 or k < 1:
        raise ValueError(f"need n >= 1 and k >= 1, got {n=}, {k=}")
    i = torch.arange(n)[:, None]
    j = torch.arange(n)[None, :]
    return torch.clamp(i - j + k, 0, 2 * k - 1)


def disentangled_scores(qc: torch.Tensor, kc: torch.Tensor, qr: torch.Tensor, kr: torch.Tensor,
                        k: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    n = qc.shape[-2]
    delta = relative_index(n, k)                                   # (n, n): delta[i, j]
    c2c = qc @ kc.transpose(-2, -1)
    c2p_all = qc @ kr.T                                            # (B, n, 2k): Qc_i . Kr_r
    c2p = torch.gather(c2p_all, -1, delta.expand(qc.shape[0], n, n))
    p2c_all = kc @ qr.T                                            # (B, n, 2k): Kc_j . Qr_r
    # p2c[i, j] = Kc_j . Qr_{delta(j, i)} = p2c_all[j, delta[j, i]], then transpose.
    p2c = torch.gather(p2c_all, -1, delta.expand(qc.shape[0], n, n)).transpose(-2, -1)
    return c2c, c2p, p2c


def disentangled_attention(h: torch.Tensor, rel_emb: torch.Tensor, w_qc: torch.Tensor, w_kc: torch.Tensor,
                           w_vc: torch.Tensor, w_qr: torch.Tensor, w_kr: torch.Tensor,
                           k: int) -> tuple[torch.Tensor, torch.Tensor]:
    if rel_emb.shape[0] != 2 * k:
        raise ValueError(f"rel_emb needs 2k = {2 * k} rows, got {rel_emb.shape[0]}")
    qc, kc, vc = h @ w_qc, h @ w_kc, h @ w_vc
    qr, kr = rel_emb @ w_qr, rel_emb @ w_kr
    c2c, c2p, p2c = disentangled_scores(qc, kc, qr, kr, k)
    weights = torch.softmax((c2c + c2p + p2c) / math.sqrt(3 * qc.shape[-1]), dim=-1)
    return weights @ vc, weights

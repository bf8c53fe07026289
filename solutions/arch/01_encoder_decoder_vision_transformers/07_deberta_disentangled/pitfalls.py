"""Plausible wrong disentangled attentions that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from disentangled import disentangled_scores, relative_index


@pitfall(replaces="relative_index", why="j - i instead of i - j: every relative distance mirrored")
def mirrored(n: int, k: int) -> torch.Tensor:
    if n < 1 or k < 1:
        raise ValueError("bad sizes")
    i, j = torch.arange(n)[:, None], torch.arange(n)[None, :]
    return torch.clamp(j - i + k, 0, 2 * k - 1)


@pitfall(replaces="relative_index", why="clamps to [0, 2k] instead of [0, 2k - 1]: one bucket past the table")
def clamp_off_by_one(n: int, k: int) -> torch.Tensor:
    if n < 1 or k < 1:
        raise ValueError("bad sizes")
    i, j = torch.arange(n)[:, None], torch.arange(n)[None, :]
    return torch.clamp(i - j + k, 0, 2 * k)


@pitfall(replaces="disentangled_scores", why="position-to-content indexed with delta(i, j) instead of delta(j, i)")
def p2c_same_index(qc: torch.Tensor, kc: torch.Tensor, qr: torch.Tensor, kr: torch.Tensor,
                   k: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    n = qc.shape[-2]
    idx = relative_index(n, k).expand(qc.shape[0], n, n)
    c2c = qc @ kc.transpose(-2, -1)
    c2p = torch.gather(qc @ kr.T, -1, idx)
    p2c = torch.gather((kc @ qr.T).transpose(-2, -1), -2, idx)   # Kc_j . Qr_{delta(i, j)}
    return c2c, c2p, p2c


@pitfall(replaces="disentangled_scores", why="content-to-position reads the query table qr instead of the key table kr")
def c2p_with_query_table(qc: torch.Tensor, kc: torch.Tensor, qr: torch.Tensor, kr: torch.Tensor,
                         k: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    n = qc.shape[-2]
    idx = relative_index(n, k).expand(qc.shape[0], n, n)
    c2c = qc @ kc.transpose(-2, -1)
    c2p = torch.gather(qc @ qr.T, -1, idx)
    p2c = torch.gather(kc @ qr.T, -1, idx).transpose(-2, -1)
    return c2c, c2p, p2c


@pitfall(replaces="disentangled_attention", why="scales by 1/sqrt(d) as in ordinary attention, not 1/sqrt(3d)")
def scale_sqrt_d(h: torch.Tensor, rel_emb: torch.Tensor, w_qc: torch.Tensor, w_kc: torch.Tensor, w_vc: torch.Tensor,
                 w_qr: torch.Tensor, w_kr: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    if rel_emb.shape[0] != 2 * k:
        raise ValueError("bad table")
    qc, kc, vc = h @ w_qc, h @ w_kc, h @ w_vc
    c2c, c2p, p2c = disentangled_scores(qc, kc, rel_emb @ w_qr, rel_emb @ w_kr, k)
    weights = torch.softmax((c2c + c2p + p2c) / math.sqrt(qc.shape[-1]), dim=-1)
    return weights @ vc, weights


@pitfall(replaces="disentangled_attention", why="drops the position-to-content term (c2c + c2p only)")
def no_p2c(h: torch.Tensor, rel_emb: torch.Tensor, w_qc: torch.Tensor, w_kc: torch.Tensor, w_vc: torch.Tensor,
           w_qr: torch.Tensor, w_kr: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    if rel_emb.shape[0] != 2 * k:
        raise ValueError("bad table")
    qc, kc, vc = h @ w_qc, h @ w_kc, h @ w_vc
    c2c, c2p, _ = disentangled_scores(qc, kc, rel_emb @ w_qr, rel_emb @ w_kr, k)
    weights = torch.softmax((c2c + c2p) / math.sqrt(3 * qc.shape[-1]), dim=-1)
    return weights @ vc, weights

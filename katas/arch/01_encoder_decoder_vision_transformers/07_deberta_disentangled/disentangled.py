"""arch-01-7: DeBERTa disentangled attention. Edit this file; `grader check arch-01-7` tests it."""
from __future__ import annotations

import math  # noqa: F401  (math.sqrt)

import torch


def relative_index(n: int, k: int) -> torch.Tensor:
    """DeBERTa's bucketed relative distance delta(i, j) = clamp(i - j + k, 0, 2k - 1).

    Shapes:
        returns: int64 (n, n), entry [i, j] = delta(i, j)

    Raises:
        ValueError: if n < 1 or k < 1.
    """
    raise NotImplementedError("relative_index: clamp(i - j + k, 0, 2k - 1)")


def disentangled_scores(qc: torch.Tensor, kc: torch.Tensor, qr: torch.Tensor, kr: torch.Tensor,
                        k: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The three score terms of DeBERTa, without loops over positions.

        c2c[b, i, j] = qc[b, i] . kc[b, j]                    content-to-content
        c2p[b, i, j] = qc[b, i] . kr[delta(i, j)]             content-to-position
        p2c[b, i, j] = kc[b, j] . qr[delta(j, i)]             position-to-content (note delta(j, i))

    Shapes:
        qc, kc: (B, n, d)     qr, kr: (2k, d)  (projected relative-position embeddings)
        returns: c2c, c2p, p2c, each (B, n, n)
    """
    raise NotImplementedError("disentangled_scores: compute against all 2k positions, then gather")


def disentangled_attention(h: torch.Tensor, rel_emb: torch.Tensor, w_qc: torch.Tensor, w_kc: torch.Tensor,
                           w_vc: torch.Tensor, w_qr: torch.Tensor, w_kr: torch.Tensor,
                           k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Single-head disentangled self-attention (He et al. 2021, equation 4).

    qc, kc, vc = h @ w_qc, h @ w_kc, h @ w_vc;  qr, kr = rel_emb @ w_qr, rel_emb @ w_kr;
    weights = softmax((c2c + c2p + p2c) / sqrt(3 d)) over keys;  output = weights @ vc.

    Shapes:
        h: (B, n, d_model)     rel_emb: (2k, d_model)     w_*: (d_model, d)
        returns: output (B, n, d), weights (B, n, n)

    Raises:
        ValueError: if rel_emb does not have 2k rows.
    """
    raise NotImplementedError("disentangled_attention: project, score with three terms, scale by sqrt(3d)")

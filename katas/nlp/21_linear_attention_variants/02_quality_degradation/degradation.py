"""nlp-21-2: quality loss of approximate attention inside a trained model. Edit this file;
`grader check nlp-21-2` tests it."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch

Attend = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]


def favor_features(x: torch.Tensor, omega: torch.Tensor, is_query: bool) -> torch.Tensor:
    """Given: FAVOR+ positive features exp(omega x - |x|^2/2) / sqrt(m), stabilised as in the Performer code:
    a query's features are divided by their own max, keys' by the max over all keys (constants that cancel
    in attention's normalisation)."""
    proj = x @ omega.T - (x * x).sum(-1, keepdim=True) / 2
    stab = proj.amax(dim=-1, keepdim=True) if is_query else proj.amax(dim=(-2, -1), keepdim=True)
    return torch.exp(proj - stab) / math.sqrt(omega.shape[0])


def causal_performer(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    """Causal (unidirectional) Performer attention with prefix sums: with q' = q d^(-1/4), k' = k d^(-1/4),
    phi_q = favor_features(q', omega, True), phi_k = favor_features(k', omega, False),

        out_t = phi_q[t] (sum_{s<=t} phi_k[s]^T v_s) / (phi_q[t] . sum_{s<=t} phi_k[s])

    which equals D^-1 ((phi_q phi_k^T) * lower-triangular mask) V without forming a (T, T) matrix.
    Same dtype as q; inputs not modified.

    Shapes:
        q, k, v: (..., T, d)    omega: (m, d)
        returns: (..., T, d)
    """
    raise NotImplementedError("causal_performer: cumulative sums of phi(k) v^T and of phi(k)")


def capture_qkv(model: torch.nn.Module, windows: torch.Tensor, layer: int) -> tuple[torch.Tensor, ...]:
    """Run model(windows, attention=...) with an attention function that records the (q, k, v) it receives
    at every layer (and returns exact causal attention, so the forward pass is unchanged); return those of
    `layer` (0 = first).

    Shapes:
        windows: (B, T) character ids
        returns: q, k, v each (B, H, T, head_dim)
    """
    raise NotImplementedError("capture_qkv: a recording attention callable")


def relative_error(approx: torch.Tensor, exact: torch.Tensor) -> float:
    """||approx - exact|| / ||exact|| (Frobenius norms over all elements)."""
    raise NotImplementedError("relative_error: norm of the difference over norm of the exact result")


def error_curve(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, feature_counts: Sequence[int], n_draws: int,
                seed: int) -> torch.Tensor:
    """For each m in feature_counts: the relative_error of causal_performer against exact causal attention
    (F.scaled_dot_product_attention(is_causal=True)), averaged over n_draws omegas, draw r being
    torch.randn(m, head_dim, generator=torch.Generator().manual_seed(seed + r), dtype=q.dtype).

    Shapes:
        returns: (len(feature_counts),) float64

    Raises:
        ValueError: if n_draws < 1.
    """
    raise NotImplementedError("error_curve: average relative errors over seeded omegas for every m")


def loss_gap(model: torch.nn.Module, windows: torch.Tensor, targets: torch.Tensor, attention: Attend) -> float:
    """Held-out next-character cross-entropy (nats, mean over all positions) with `attention` in every layer,
    minus the same loss with the model's exact attention."""
    raise NotImplementedError("loss_gap: two forward passes, two cross-entropies")


def local_attend(window: int) -> Attend:
    """An attention function (q, k, v) -> out for the model: causal softmax attention in which query i sees
    keys j with 0 <= i - j < window.

    Raises:
        ValueError: if window < 1.
    """
    raise NotImplementedError("local_attend: SDPA with a band mask")

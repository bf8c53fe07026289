"""nlp-21-1: Performer (FAVOR+), Linformer and FNet. Edit this file; `grader check nlp-21-1` tests it."""
from __future__ import annotations

import math  # noqa: F401  (you will need it)

import torch


def draw_omega(m: int, d: int, generator: torch.Generator, orthogonal: bool = False,
               dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """m random feature directions in R^d, all randomness from `generator` (same seed, same omega).

    orthogonal=False: i.i.d. standard normal rows. orthogonal=True: blocks of d mutually orthogonal rows
    forming a uniformly random (Haar) rotation (the Q of a QR decomposition of a Gaussian d x d matrix,
    with the signs fixed so that R has a positive diagonal), each row rescaled to the norm of an
    independent standard normal d-vector (so each row is still marginally N(0, I)); the last block is
    cut to make m rows.

    Shapes:
        returns: (m, d) of the given dtype

    Raises:
        ValueError: if m < 1 or d < 1.
    """
    raise NotImplementedError("draw_omega: Gaussian rows, or orthogonal blocks with chi-distributed norms")


def favor_features(x: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    """FAVOR+ positive random features phi(x) = exp(omega x - |x|^2 / 2) / sqrt(m), so that
    E[phi(q) . phi(k)] = exp(q . k) for omega rows ~ N(0, I).

    Shapes:
        x: (..., d)    omega: (m, d)
        returns: (..., m)
    """
    raise NotImplementedError("favor_features: exp of the projections minus half the squared norm")


def performer_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, omega: torch.Tensor) -> torch.Tensor:
    """Bidirectional Performer attention in linear time: with q' = q / d^(1/4) and k' = k / d^(1/4) (so that
    q'.k' = q.k / sqrt(d)), out = D^-1 phi(q') (phi(k')^T v), D = diag(phi(q') phi(k')^T 1).
    Never forms the (T, T) matrix. Same dtype as q; inputs not modified.

    Shapes:
        q, k, v: (..., T, d)    omega: (m, d)
        returns: (..., T, d)
    """
    raise NotImplementedError("performer_attention: features, then (phi(K)^T V) first, then normalise")


def linformer_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, E: torch.Tensor,
                        F: torch.Tensor) -> torch.Tensor:
    """Linformer: project the sequence axis of keys and values to p rows, then softmax attention:
    softmax(q (E k)^T / sqrt(d)) (F v). Same dtype as q; inputs not modified.

    Shapes:
        q, k, v: (..., T, d)    E, F: (p, T)
        returns: (..., T, d)
    """
    raise NotImplementedError("linformer_attention: E @ k, F @ v, then ordinary attention")


def fnet_mixing(x: torch.Tensor) -> torch.Tensor:
    """FNet token mixing: the real part of the FFT over the hidden axis followed by the FFT over the sequence
    axis. Same dtype as x (real); input not modified.

    Shapes:
        x: (..., T, d)
        returns: (..., T, d)
    """
    raise NotImplementedError("fnet_mixing: two FFTs, keep the real part")

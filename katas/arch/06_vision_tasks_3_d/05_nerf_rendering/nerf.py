"""arch-06-5: NeRF positional encoding and volume rendering. Edit this file; `grader check arch-06-5` tests it."""
from __future__ import annotations

import math  # noqa: F401

import torch

FAR_DELTA = 1e10     # the last sample's interval: "to infinity"


def positional_encoding(x: torch.Tensor, n_freqs: int, include_input: bool = True) -> torch.Tensor:
    """NeRF's Fourier features: [x, sin(2^0 pi x), cos(2^0 pi x), ..., sin(2^(L-1) pi x), cos(2^(L-1) pi x)].

    Each block is the whole last axis (D values): the output is x itself (if include_input), then
    for k = 0 .. n_freqs-1 the D sines followed by the D cosines at frequency 2^k pi.

    Shapes:
        x: (..., D)     returns: (..., D * (include_input + 2 * n_freqs)), the dtype of x

    Raises:
        ValueError: if n_freqs < 0, or the output would be empty (n_freqs = 0 without the input).
    """
    raise NotImplementedError("positional_encoding")


def stratified_samples(near: float, far: float, n_rays: int, n_samples: int,
                       generator: torch.Generator) -> torch.Tensor:
    """Stratified depths along each ray: one uniform draw inside each of n_samples equal bins.

    t[r, i] = near + (far - near) * (i + u[r, i]) / n_samples with u = torch.rand(n_rays, n_samples,
    generator=generator, dtype=torch.float64); so each row is sorted and bin i holds sample i.

    Shapes:
        returns: (n_rays, n_samples) float64

    Raises:
        ValueError: unless far > near and n_samples >= 1.
    """
    raise NotImplementedError("stratified_samples")


def render_rays(sigma: torch.Tensor, rgb: torch.Tensor, t_vals: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Volume-rendering quadrature (Max 1995; NeRF eq. 3).

    delta_i = t_{i+1} - t_i, and FAR_DELTA for the last sample; alpha_i = 1 - exp(-sigma_i delta_i);
    T_i = prod_{j < i} (1 - alpha_j) (T_0 = 1); w_i = T_i alpha_i. Returns the colour sum_i w_i rgb_i,
    the expected depth sum_i w_i t_i, and the weights. Differentiable; inputs left unchanged.

    Shapes:
        sigma: (R, N)     rgb: (R, N, 3)     t_vals: (R, N), increasing along each ray
        returns: colour (R, 3), depth (R,), weights (R, N)
    """
    raise NotImplementedError("render_rays")

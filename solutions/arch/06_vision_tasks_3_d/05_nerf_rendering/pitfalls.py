"""Plausible wrong NeRF encodings, samplers and renderers that the tests must reject."""
from __future__ import annotations

import math

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="positional_encoding", why="frequencies 2^k without the factor pi (as some codebases do)")
def no_pi(x: torch.Tensor, n_freqs: int, include_input: bool = True) -> torch.Tensor:
    if n_freqs < 0 or (n_freqs == 0 and not include_input):
        raise ValueError("bad arguments")
    parts = [x] if include_input else []
    for k in range(n_freqs):
        parts += [torch.sin(2.0 ** k * x), torch.cos(2.0 ** k * x)]
    return torch.cat(parts, dim=-1)


@pitfall(replaces="positional_encoding", why="all sines first, then all cosines")
def sines_then_cosines(x: torch.Tensor, n_freqs: int, include_input: bool = True) -> torch.Tensor:
    if n_freqs < 0 or (n_freqs == 0 and not include_input):
        raise ValueError("bad arguments")
    parts = [x] if include_input else []
    parts += [torch.sin(2.0 ** k * math.pi * x) for k in range(n_freqs)]
    parts += [torch.cos(2.0 ** k * math.pi * x) for k in range(n_freqs)]
    return torch.cat(parts, dim=-1)


@pitfall(replaces="stratified_samples", why="draws from the global torch RNG instead of the given generator")
def global_rng(near: float, far: float, n_rays: int, n_samples: int, generator: torch.Generator) -> torch.Tensor:
    if not far > near or n_samples < 1:
        raise ValueError("bad arguments")
    u = torch.rand(n_rays, n_samples, dtype=torch.float64)
    return near + (far - near) * (torch.arange(n_samples, dtype=torch.float64) + u) / n_samples


@pitfall(replaces="stratified_samples", why="uniform over the whole ray, not one sample per bin")
def unstratified(near: float, far: float, n_rays: int, n_samples: int, generator: torch.Generator) -> torch.Tensor:
    if not far > near or n_samples < 1:
        raise ValueError("bad arguments")
    u = torch.rand(n_rays, n_samples, generator=generator, dtype=torch.float64)
    return torch.sort(near + (far - near) * u, dim=1).values


def _render(sigma: torch.Tensor, rgb: torch.Tensor, t_vals: torch.Tensor, last: float = 1e10,
            inclusive: bool = False) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    delta = torch.cat([t_vals[:, 1:] - t_vals[:, :-1], torch.full_like(t_vals[:, :1], last)], dim=1)
    alpha = 1 - torch.exp(-sigma * delta)
    if inclusive:
        trans = torch.cumprod(1 - alpha, dim=1)
    else:
        trans = torch.cumprod(torch.cat([torch.ones_like(alpha[:, :1]), 1 - alpha[:, :-1]], dim=1), dim=1)
    w = trans * alpha
    return (w[..., None] * rgb).sum(dim=1), (w * t_vals).sum(dim=1), w


@pitfall(replaces="render_rays", why="the last interval is 0 instead of infinite: the last sample is invisible")
def last_delta_zero(sigma: torch.Tensor, rgb: torch.Tensor, t_vals: torch.Tensor
                    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    return _render(sigma, rgb, t_vals, last=0.0)


@pitfall(replaces="render_rays", why="inclusive cumprod: T_i already includes sample i's own absorption")
def inclusive_transmittance(sigma: torch.Tensor, rgb: torch.Tensor, t_vals: torch.Tensor
                            ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    return _render(sigma, rgb, t_vals, inclusive=True)


@pitfall(replaces="render_rays", why="alpha = sigma * delta (the first-order approximation) instead of 1 - exp(-sigma delta)")
def linear_alpha(sigma: torch.Tensor, rgb: torch.Tensor, t_vals: torch.Tensor
                 ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    delta = torch.cat([t_vals[:, 1:] - t_vals[:, :-1], torch.full_like(t_vals[:, :1], 1e10)], dim=1)
    alpha = (sigma * delta).clamp(max=1.0)
    trans = torch.cumprod(torch.cat([torch.ones_like(alpha[:, :1]), 1 - alpha[:, :-1]], dim=1), dim=1)
    w = trans * alpha
    return (w[..., None] * rgb).sum(dim=1), (w * t_vals).sum(dim=1), w


@pitfall(replaces="render_rays", why="normalises the weights to sum to 1: empty space is no longer black")
def normalised_weights(sigma: torch.Tensor, rgb: torch.Tensor, t_vals: torch.Tensor
                       ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    colour, depth, w = _render(sigma, rgb, t_vals)
    total = w.sum(dim=1, keepdim=True).clamp(min=1e-12)
    w = w / total
    return (w[..., None] * rgb).sum(dim=1), (w * t_vals).sum(dim=1), w

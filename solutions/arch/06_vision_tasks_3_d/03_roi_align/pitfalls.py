"""Plausible wrong RoIAlign code that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from roi_align import bilinear_weights


@pitfall(replaces="bilinear_weights", why="no border rules: samples off the map keep the edge pixel's value")
def no_off_map_zero(coords: torch.Tensor, size: int) -> torch.Tensor:
    if size < 1:
        raise ValueError("size")
    out = torch.zeros(len(coords), size, dtype=coords.dtype)
    for i, c in enumerate(coords.tolist()):
        c = min(max(c, 0.0), size - 1.0)
        low = min(math.floor(c), size - 1)
        high = min(low + 1, size - 1)
        out[i, low] += 1 - (c - low)
        out[i, high] += c - low
    return out


@pitfall(replaces="bilinear_weights", why="zero padding instead of clamping: at c = -0.5 only half of pixel 0 counts")
def zero_padding(coords: torch.Tensor, size: int) -> torch.Tensor:
    if size < 1:
        raise ValueError("size")
    out = torch.zeros(len(coords), size, dtype=coords.dtype)
    for i, c in enumerate(coords.tolist()):
        if c < -1.0 or c > size:
            continue
        low = math.floor(c)
        for p, wt in ((low, 1 - (c - low)), (low + 1, c - low)):
            if 0 <= p < size:
                out[i, p] = wt
    return out


@pitfall(replaces="bilinear_weights", why="rounds to the nearest pixel (RoIPool-style quantisation) instead of interpolating")
def nearest_pixel(coords: torch.Tensor, size: int) -> torch.Tensor:
    if size < 1:
        raise ValueError("size")
    out = torch.zeros(len(coords), size, dtype=coords.dtype)
    for i, c in enumerate(coords.tolist()):
        if -1.0 <= c <= size:
            out[i, min(max(round(c), 0), size - 1)] = 1.0
    return out


def _pool(features: torch.Tensor, rois: torch.Tensor, output_size: tuple[int, int], spatial_scale: float,
          sampling_ratio: int, offset: float, widen: bool, centre: float = 0.5) -> torch.Tensor:
    if features.dim() != 4 or rois.dim() != 2 or rois.shape[1] != 5:
        raise ValueError("shapes")
    ph, pw = output_size
    if ph < 1 or pw < 1 or sampling_ratio < 1:
        raise ValueError("sizes")
    n, c, h, w = features.shape
    out = features.new_zeros(len(rois), c, ph, pw)
    for k, (b, x1, y1, x2, y2) in enumerate(rois.tolist()):
        if not 0 <= int(b) < n:
            raise ValueError("batch index")
        sx, sy = x1 * spatial_scale - offset, y1 * spatial_scale - offset
        rw, rh = x2 * spatial_scale - offset - sx, y2 * spatial_scale - offset - sy
        if widen:
            rw, rh = max(rw, 1.0), max(rh, 1.0)
        gy = (torch.arange(ph * sampling_ratio, dtype=torch.float64) + centre) * (rh / ph / sampling_ratio) + sy
        gx = (torch.arange(pw * sampling_ratio, dtype=torch.float64) + centre) * (rw / pw / sampling_ratio) + sx
        ay = bilinear_weights(gy, h).reshape(ph, sampling_ratio, h).mean(dim=1)
        ax = bilinear_weights(gx, w).reshape(pw, sampling_ratio, w).mean(dim=1)
        out[k] = ay.to(features.dtype) @ features[int(b)] @ ax.to(features.dtype).T
    return out


@pitfall(replaces="roi_align", why="ignores `aligned`: always the legacy half-pixel-shifted boxes")
def never_aligned(features: torch.Tensor, rois: torch.Tensor, output_size: tuple[int, int],
                  spatial_scale: float = 1.0, sampling_ratio: int = 2, aligned: bool = True) -> torch.Tensor:
    return _pool(features, rois, output_size, spatial_scale, sampling_ratio, 0.0, True)


@pitfall(replaces="roi_align", why="subtracts the 0.5 offset before scaling: (x1 - 0.5) * scale")
def offset_before_scale(features: torch.Tensor, rois: torch.Tensor, output_size: tuple[int, int],
                        spatial_scale: float = 1.0, sampling_ratio: int = 2, aligned: bool = True) -> torch.Tensor:
    shifted = rois.clone()
    if aligned:
        shifted[:, 1:] -= 0.5   # the half pixel taken in image coordinates, then scaled with the box
    return _pool(features, shifted, output_size, spatial_scale, sampling_ratio, 0.0, not aligned)


@pitfall(replaces="roi_align", why="samples at the sub-cell corners (iy / ratio) instead of their centres ((iy + 0.5) / ratio)")
def corner_samples(features: torch.Tensor, rois: torch.Tensor, output_size: tuple[int, int],
                   spatial_scale: float = 1.0, sampling_ratio: int = 2, aligned: bool = True) -> torch.Tensor:
    return _pool(features, rois, output_size, spatial_scale, sampling_ratio, 0.5 if aligned else 0.0, not aligned,
                 centre=0.0)


@pitfall(replaces="roi_align", why="widens small rois to one cell even when aligned (that rule is legacy-only)")
def always_widen(features: torch.Tensor, rois: torch.Tensor, output_size: tuple[int, int],
                 spatial_scale: float = 1.0, sampling_ratio: int = 2, aligned: bool = True) -> torch.Tensor:
    return _pool(features, rois, output_size, spatial_scale, sampling_ratio, 0.5 if aligned else 0.0, True)

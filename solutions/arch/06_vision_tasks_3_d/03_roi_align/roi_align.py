"""Reference solution for arch-06-3."""
from __future__ import annotations

import math

import torch


def bilinear_weights(coords: torch.Tensor, size: int) -> torch.Tensor:
    if size < 1:
        raise ValueError("size must be positive")
    out = torch.zeros(len(coords), size, dtype=coords.dtype)
    for i, c in enumerate(coords.tolist()):
        if c < -1.0 or c > size:
            continue
        c = max(c, 0.0)
        low = math.floor(c)
        if low >= size - 1:
            out[i, size - 1] = 1.0
            continue
        frac = c - low
        out[i, low] = 1.0 - frac
        out[i, low + 1] = frac
    return out


def roi_align(features: torch.Tensor, rois: torch.Tensor, output_size: tuple[int, int], spatial_scale: float = 1.0,
              sampling_ratio: int = 2, aligned: bool = True) -> torch.Tensor:
    if features.dim() != 4 or rois.dim() != 2 or rois.shape[1] != 5:
        raise ValueError("features must be (N, C, H, W) and rois (K, 5)")
    ph, pw = output_size
    if ph < 1 or pw < 1 or sampling_ratio < 1:
        raise ValueError("output_size and sampling_ratio must be positive")
    n, c, h, w = features.shape
    out = features.new_zeros(len(rois), c, ph, pw)
    offset = 0.5 if aligned else 0.0
    for k, (b, x1, y1, x2, y2) in enumerate(rois.tolist()):
        if not 0 <= int(b) < n:
            raise ValueError(f"roi {k} names image {int(b)}, but there are {n}")
        sx, sy = x1 * spatial_scale - offset, y1 * spatial_scale - offset
        rw, rh = x2 * spatial_scale - offset - sx, y2 * spatial_scale - offset - sy
        if not aligned:
            rw, rh = max(rw, 1.0), max(rh, 1.0)
        gy = (torch.arange(ph * sampling_ratio, dtype=torch.float64) + 0.5) * (rh / ph / sampling_ratio) + sy
        gx = (torch.arange(pw * sampling_ratio, dtype=torch.float64) + 0.5) * (rw / pw / sampling_ratio) + sx
        ay = bilinear_weights(gy, h).reshape(ph, sampling_ratio, h).mean(dim=1)
        ax = bilinear_weights(gx, w).reshape(pw, sampling_ratio, w).mean(dim=1)
        out[k] = (ay.to(features.dtype) @ features[int(b)] @ ax.to(features.dtype).T)
    return out

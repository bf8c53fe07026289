"""arch-06-3: RoIAlign bilinear sampling. Edit this file; `grader check arch-06-3` tests it."""
from __future__ import annotations

import torch


def bilinear_weights(coords: torch.Tensor, size: int) -> torch.Tensor:
    """1-D bilinear interpolation weights onto `size` pixels, with RoIAlign's border rules.

    Pixel p sits at coordinate p (0 .. size-1). For a sample at coordinate c:
      - c < -1 or c > size: all weights 0 (the sample is off the map);
      - otherwise clamp c up to 0; with low = floor(c): if low >= size - 1 put weight 1 on pixel
        size - 1, else weight (1 - (c - low)) on pixel low and (c - low) on pixel low + 1.
    Row i is the weight vector of coords[i], so `weights @ signal` interpolates a 1-D signal.

    Shapes:
        coords: (P,)     returns: (P, size), the dtype of coords

    Raises:
        ValueError: if size < 1.
    """
    raise NotImplementedError("bilinear_weights: two-tap weights per sample")


def roi_align(features: torch.Tensor, rois: torch.Tensor, output_size: tuple[int, int], spatial_scale: float = 1.0,
              sampling_ratio: int = 2, aligned: bool = True) -> torch.Tensor:
    """RoIAlign (He et al. 2017), as torchvision.ops.roi_align with a fixed sampling grid.

    rois[k] = (batch_index, x1, y1, x2, y2) in image coordinates. With offset = 0.5 if aligned
    else 0: start = x1 * spatial_scale - offset, end = x2 * spatial_scale - offset (same for y);
    width = end - start, and without `aligned` width = max(width, 1) (same for height). The ROI is
    split into output_size = (ph, pw) bins; in bin (i, j) the sampling_ratio × sampling_ratio points
        y = start_y + (i + (iy + 0.5) / sampling_ratio) * height / ph     (iy = 0 .. sampling_ratio-1)
        x = start_x + (j + (ix + 0.5) / sampling_ratio) * width / pw
    are interpolated bilinearly (the rules of bilinear_weights on each axis) in image batch_index
    of `features`, and the output is their mean. The inputs are left unchanged.

    Shapes:
        features: (N, C, H, W)     rois: (K, 5)     returns: (K, C, ph, pw), the dtype of features

    Raises:
        ValueError: if features is not 4-D, rois is not (K, 5), a batch index is outside 0 .. N-1,
            or ph, pw or sampling_ratio is below 1.
    """
    raise NotImplementedError("roi_align: average bilinear samples per bin")

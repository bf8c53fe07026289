"""Tests for arch-06-3, RoIAlign.

References: torch.nn.functional.grid_sample (bilinear, border padding, align_corners=False) with
RoIAlign's off-the-map mask for every sampling point; the exact answer on an affine feature map
(bilinear interpolation reproduces an affine function, so each bin averages to its centre's value).
torchvision.ops.roi_align itself cannot be imported here (its wheel does not load with this CPU
torch build).
"""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call


def sample(img: torch.Tensor, ys: torch.Tensor, xs: torch.Tensor) -> torch.Tensor:
    """Bilinear values of img (C, H, W) at the grid ys × xs: (C, len(ys), len(xs)), float64."""
    c, h, w = img.shape
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    grid = torch.stack([(2 * gx + 1) / w - 1, (2 * gy + 1) / h - 1], dim=-1)[None]
    vals = F.grid_sample(img[None].double(), grid, mode="bilinear", padding_mode="border", align_corners=False)[0]
    inside = (gy >= -1) & (gy <= h) & (gx >= -1) & (gx <= w)
    return vals * inside


# Boundary coordinates: -1 and size are still on the map, just beyond them are not.
@given(size=st.integers(1, 7), coords=st.lists(st.sampled_from([-2.0, -1.25, -1.0, -0.5, 0.0, 0.25, 1.0, 2.5,
                                                                 3.75, 5.0, 6.5, 7.0, 7.25, 9.0]), min_size=1,
                                               max_size=10),
       dtype=torch_float_dtypes(), seed=seeds())
@example(size=4, coords=[-1.0, -1.25, 4.0, 4.25, 3.0, 3.5], dtype=torch.float64, seed=0)
@example(size=1, coords=[-0.5, 0.0, 0.5, 1.0, 1.5], dtype=torch.float32, seed=0)
def test_weights_interpolate_like_grid_sample(kata, size, coords, dtype, seed):
    c = torch.tensor(coords, dtype=dtype)
    call = describe_call("bilinear_weights", c, size)
    wts = call_unmodified(kata.bilinear_weights, c, size, fn_name="bilinear_weights")
    assert_dtype(wts, c, call=call)
    signal = torch.randn(size, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    want = sample(signal[None, None, :], torch.zeros(1, dtype=torch.float64), c.double())[0, 0]
    assert_close(wts.double() @ signal, want, rtol=1e-6, atol=1e-6, name="weights @ signal", call=call)
    on_map = ((c >= -1) & (c <= size)).double()
    assert_close(wts.double().sum(dim=1), on_map, rtol=0, atol=1e-6, name="row sums (1 on the map, 0 off it)",
                 call=call)


@given(size=st.integers(-2, 0))
def test_weights_reject_empty_axis(kata, size):
    with pytest.raises(ValueError):
        kata.bilinear_weights(torch.tensor([0.0]), size)
        pytest.fail(f"bilinear_weights(size={size}) returned instead of raising ValueError")


def reference(features: torch.Tensor, rois: torch.Tensor, out: tuple[int, int], scale: float, ratio: int,
              aligned: bool) -> torch.Tensor:
    ph, pw = out
    res = []
    for b, x1, y1, x2, y2 in rois.double().tolist():
        off = 0.5 if aligned else 0.0
        sx, sy, ex, ey = x1 * scale - off, y1 * scale - off, x2 * scale - off, y2 * scale - off
        rw, rh = (ex - sx, ey - sy) if aligned else (max(ex - sx, 1.0), max(ey - sy, 1.0))
        ys = torch.tensor([sy + (i + (iy + 0.5) / ratio) * rh / ph for i in range(ph) for iy in range(ratio)],
                          dtype=torch.float64)
        xs = torch.tensor([sx + (j + (ix + 0.5) / ratio) * rw / pw for j in range(pw) for ix in range(ratio)],
                          dtype=torch.float64)
        v = sample(features[int(b)], ys, xs)
        res.append(v.reshape(v.shape[0], ph, ratio, pw, ratio).mean(dim=(2, 4)))
    return torch.stack(res) if res else torch.zeros(0, features.shape[1], ph, pw, dtype=torch.float64)


@st.composite
def roi_case(draw: st.DrawFn) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(draw(seeds()))
    n, c, h, w = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 8)), draw(st.integers(1, 8))
    k = draw(st.integers(0, 4))
    feats = torch.randn(n, c, h, w, generator=g, dtype=torch.float64)
    xy = torch.rand(k, 2, generator=g, dtype=torch.float64) * 20 - 4       # some ROIs hang off the map
    wh = torch.rand(k, 2, generator=g, dtype=torch.float64) * 12
    b = torch.randint(0, n, (k, 1), generator=g).double()
    return feats, torch.cat([b, xy, xy + wh], dim=1)


@settings(max_examples=25)
@given(case=roi_case(), out=st.tuples(st.integers(1, 3), st.integers(1, 3)), scale=st.sampled_from([1.0, 0.5, 0.25]),
       ratio=st.integers(1, 3), aligned=st.booleans(), dtype=torch_float_dtypes())
@example(case=(torch.arange(16.0).reshape(1, 1, 4, 4).double(), torch.tensor([[0, 1.0, 1.0, 1.4, 1.2]])),
         out=(2, 2), scale=1.0, ratio=2, aligned=False, dtype=torch.float64)   # ROI under one pixel: widened to 1
@example(case=(torch.arange(16.0).reshape(1, 1, 4, 4).double(), torch.tensor([[0, -3.0, -3.0, 6.0, 7.0]])),
         out=(3, 2), scale=1.0, ratio=1, aligned=True, dtype=torch.float32)    # samples beyond -1 and beyond H
def test_roi_align_matches_grid_sample(kata, case, out, scale, ratio, aligned, dtype):
    feats, rois = case[0].to(dtype), case[1].to(dtype)
    call = describe_call("roi_align", feats, rois, out, spatial_scale=scale, sampling_ratio=ratio, aligned=aligned)
    got = call_unmodified(kata.roi_align, feats, rois, out, spatial_scale=scale, sampling_ratio=ratio,
                          aligned=aligned, fn_name="roi_align")
    assert_dtype(got, feats, call=call)
    # float32 features: a weighted mean of a few values rounds at ~1e-7 relative.
    assert_close(got, reference(feats, rois, out, scale, ratio, aligned), rtol=1e-5, atol=1e-5, call=call)


@given(seed=seeds(), ratio=st.integers(1, 4), out=st.tuples(st.integers(1, 4), st.integers(1, 4)))
def test_affine_map_gives_bin_centres(kata, seed, ratio, out):
    """f(x, y) = a + b x + c y is reproduced exactly by bilinear interpolation: each bin is f at its centre."""
    g = torch.Generator().manual_seed(seed)
    a, b, c = (torch.randn(3, generator=g, dtype=torch.float64)).tolist()
    h, w = 10, 12
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float64), torch.arange(w, dtype=torch.float64), indexing="ij")
    feats = (a + b * xs + c * ys)[None, None]
    x1, y1 = (torch.rand(2, generator=g, dtype=torch.float64) * 4 + 1).tolist()
    x2, y2 = x1 + 1 + 5 * float(torch.rand(1, generator=g, dtype=torch.float64)), y1 + 1 + 4 * float(
        torch.rand(1, generator=g, dtype=torch.float64))
    rois = torch.tensor([[0, x1, y1, x2, y2]], dtype=torch.float64)
    got = kata.roi_align(feats, rois, out, sampling_ratio=ratio)
    ph, pw = out
    cy = y1 - 0.5 + (torch.arange(ph, dtype=torch.float64) + 0.5) * (y2 - y1) / ph
    cx = x1 - 0.5 + (torch.arange(pw, dtype=torch.float64) + 0.5) * (x2 - x1) / pw
    want = a + b * cx[None, :] + c * cy[:, None]
    assert_close(got[0, 0], want, rtol=1e-9, atol=1e-9, name="bins of an affine map (expected f at the bin centre, "
                 "aligned: pixel centres at integer coordinates, so the ROI shifts by -0.5)",
                 call=describe_call("roi_align", feats, rois, out, sampling_ratio=ratio))


def test_defaults_are_aligned_scale_one_two_samples(kata):
    feats = torch.randn(1, 2, 6, 7, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    rois = torch.tensor([[0, 0.3, 1.1, 4.6, 2.0], [0, 2.0, 2.0, 2.5, 5.5]], dtype=torch.float64)
    assert_close(kata.roi_align(feats, rois, (2, 3)), reference(feats, rois, (2, 3), 1.0, 2, True), rtol=1e-9,
                 atol=1e-9, call=describe_call("roi_align", feats, rois, (2, 3)))


@given(bad=st.sampled_from(["feat3d", "rois4", "rois1d", "batch_high", "batch_neg", "ph0", "pw0", "ratio0"]))
def test_roi_align_rejects_bad_arguments(kata, bad):
    feats, rois = torch.zeros(2, 1, 4, 4), torch.tensor([[1, 0.0, 0.0, 2.0, 2.0]])
    kwargs = {"output_size": (2, 2), "sampling_ratio": 2}
    if bad == "feat3d":
        feats = feats[0]
    elif bad == "rois4":
        rois = rois[:, 1:]
    elif bad == "rois1d":   # one roi without its batch axis
        rois = rois[0]
    elif bad == "batch_high":
        rois[0, 0] = 2
    elif bad == "batch_neg":
        rois[0, 0] = -1
    elif bad == "ph0":
        kwargs["output_size"] = (0, 2)
    elif bad == "pw0":
        kwargs["output_size"] = (2, 0)
    else:
        kwargs["sampling_ratio"] = 0
    with pytest.raises(ValueError):
        kata.roi_align(feats, rois, **kwargs)
        pytest.fail(f"roi_align with {bad} returned instead of raising ValueError")


"""Tests for dl-04-1, convolution by im2col.

References: torch.nn.functional.unfold for im2col, torch.nn.functional.conv2d for the convolution,
both in float64 on the same arrays, with stride, padding and dilation drawn independently per
direction (as ints or pairs) and groups.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call


@st.composite
def configs(draw: st.DrawFn) -> dict:
    def param(lo: int, hi: int) -> tuple[int, int] | int:
        a, b = draw(st.integers(lo, hi)), draw(st.integers(lo, hi))
        return a if a == b and draw(st.booleans()) else (a, b)

    groups = draw(st.integers(1, 3))
    k, s, p, d = param(1, 3), param(1, 3), param(0, 2), param(1, 2)
    kh, kw = (k, k) if isinstance(k, int) else k
    (ph, pw), (dh, dw) = ((p, p) if isinstance(p, int) else p), ((d, d) if isinstance(d, int) else d)
    H = draw(st.integers(max(1, dh * (kh - 1) + 1 - 2 * ph), 7))
    W = draw(st.integers(max(1, dw * (kw - 1) + 1 - 2 * pw), 7))
    return {"N": draw(st.integers(1, 2)), "C": groups * draw(st.integers(1, 2)), "O": groups * draw(st.integers(1, 2)),
            "H": H, "W": W, "kernel": k, "stride": s, "padding": p, "dilation": d, "groups": groups,
            "bias": draw(st.booleans()), "seed": draw(seeds()), "dtype": draw(float_dtypes())}


def arrays_for(cfg: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(cfg["seed"])
    k = cfg["kernel"]
    kh, kw = (k, k) if isinstance(k, int) else k
    x = rng.standard_normal((cfg["N"], cfg["C"], cfg["H"], cfg["W"])).astype(cfg["dtype"])
    w = rng.standard_normal((cfg["O"], cfg["C"] // cfg["groups"], kh, kw)).astype(cfg["dtype"])
    return x, w, rng.standard_normal(cfg["O"]).astype(cfg["dtype"])


def tol(dtype: type) -> tuple[float, float]:
    # float64: sums of ≤ 54 products, 1e-12. float32 vs the float64 reference: ~1e-6 relative per product.
    return (1e-12, 1e-12) if dtype == np.float64 else (1e-5, 1e-5)


def t64(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(a.astype(np.float64))


EXAMPLES = [
    {"N": 1, "C": 1, "O": 1, "H": 1, "W": 1, "kernel": 1, "stride": 1, "padding": 0, "dilation": 1, "groups": 1,
     "bias": False, "seed": 0, "dtype": np.float64},
    {"N": 2, "C": 2, "O": 2, "H": 5, "W": 7, "kernel": (2, 3), "stride": (1, 2), "padding": (2, 0),
     "dilation": (2, 1), "groups": 1, "bias": True, "seed": 1, "dtype": np.float64},
    {"N": 1, "C": 4, "O": 6, "H": 6, "W": 5, "kernel": 3, "stride": 2, "padding": 1, "dilation": 1, "groups": 2,
     "bias": True, "seed": 2, "dtype": np.float32},
    {"N": 1, "C": 3, "O": 3, "H": 4, "W": 4, "kernel": 3, "stride": 3, "padding": 1, "dilation": 2, "groups": 3,
     "bias": False, "seed": 3, "dtype": np.float64},
]


@given(cfg=configs())
@example(cfg=EXAMPLES[0])
@example(cfg=EXAMPLES[1])
@example(cfg=EXAMPLES[3])
def test_im2col_matches_unfold(kata, cfg):
    x, _, _ = arrays_for(cfg)
    kw = {"stride": cfg["stride"], "padding": cfg["padding"], "dilation": cfg["dilation"]}
    call = describe_call("im2col", x, cfg["kernel"], **kw)
    cols = call_unmodified(kata.im2col, x, cfg["kernel"], fn_name="im2col", **kw)
    want = F.unfold(t64(x), cfg["kernel"], **kw)
    assert_shape(cols, tuple(want.shape), name="cols", call=call)
    assert_dtype(cols, x, name="cols", call=call)
    assert_close(cols, want, rtol=0, atol=0, name="cols (vs F.unfold): a copy of input values", call=call)


@given(cfg=configs())
@example(cfg=EXAMPLES[0])
@example(cfg=EXAMPLES[1])
@example(cfg=EXAMPLES[2])
@example(cfg=EXAMPLES[3])
def test_conv2d_matches_torch(kata, cfg):
    x, w, b = arrays_for(cfg)
    bias = b if cfg["bias"] else None
    kw = {"stride": cfg["stride"], "padding": cfg["padding"], "dilation": cfg["dilation"], "groups": cfg["groups"]}
    call = describe_call("conv2d", x, w, bias, **kw)
    got = call_unmodified(kata.conv2d, x, w, bias, fn_name="conv2d", **kw)
    want = F.conv2d(t64(x), t64(w), None if bias is None else t64(bias), **kw)
    assert_shape(got, tuple(want.shape), call=call)
    assert_dtype(got, x, call=call)
    rtol, atol = tol(cfg["dtype"])
    assert_close(got, want, rtol=rtol, atol=atol, name="output (vs F.conv2d)", call=call)


@given(extra=st.integers(1, 3), axis=st.sampled_from(["h", "w"]))
def test_empty_output_raises(kata, extra, axis):
    """Kernel 3, dilation 2 spans 5 pixels; an input smaller than that (no padding) has no output."""
    H, W = (5 - extra, 6) if axis == "h" else (6, 5 - extra)
    x, w = np.zeros((1, 1, H, W)), np.zeros((1, 1, 3, 3))
    with pytest.raises(ValueError):
        kata.im2col(x, 3, dilation=2)
    with pytest.raises(ValueError):
        kata.conv2d(x, w, dilation=2)


@given(case=st.sampled_from(["C not divisible", "O not divisible", "weight channels"]))
def test_group_mismatch_raises(kata, case):
    shapes = {"C not divisible": ((1, 3, 4, 4), (2, 1, 1, 1), 2), "O not divisible": ((1, 4, 4, 4), (3, 2, 1, 1), 2),
              "weight channels": ((1, 4, 4, 4), (2, 4, 1, 1), 2)}[case]
    with pytest.raises(ValueError):
        kata.conv2d(np.zeros(shapes[0]), np.zeros(shapes[1]), groups=shapes[2])

"""Tests for dl-04-3, max and average pooling.

References: torch.nn.functional.max_pool2d with return_indices=True (values, and the flat indices
that pin the tie rule: inputs are drawn from a few integers so ties are common),
torch.nn.functional.avg_pool2d with both count_include_pad settings, and torch.autograd for the
backward passes, all in float64.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import float_dtypes, seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)


@st.composite
def configs(draw: st.DrawFn) -> dict:
    def param(lo: int, hi: int) -> tuple[int, int] | int:
        a, b = draw(st.integers(lo, hi)), draw(st.integers(lo, hi))
        return a if a == b and draw(st.booleans()) else (a, b)

    k = param(1, 3)
    kh, kw = (k, k) if isinstance(k, int) else k
    p = draw(st.sampled_from([0, (min(1, kh // 2), min(1, kw // 2))]))
    p = 0 if p == (0, 0) else p
    ph, pw = (p, p) if isinstance(p, int) else p
    return {"N": draw(st.integers(1, 2)), "C": draw(st.integers(1, 2)),
            "H": draw(st.integers(max(1, kh - 2 * ph), 7)), "W": draw(st.integers(max(1, kw - 2 * pw), 7)),
            "kernel": k, "stride": draw(st.one_of(st.none(), st.just(1), st.integers(1, 3).map(lambda s: (s, 1)))),
            "padding": p, "ties": draw(st.booleans()), "negative": draw(st.booleans()), "seed": draw(seeds()),
            "dtype": draw(float_dtypes())}


def x_for(cfg: dict) -> np.ndarray:
    rng = np.random.default_rng(cfg["seed"])
    shape = (cfg["N"], cfg["C"], cfg["H"], cfg["W"])
    x = rng.integers(0, 3, size=shape).astype(float) if cfg["ties"] else rng.standard_normal(shape)
    if cfg.get("constant"):
        x = np.ones(shape)  # every window is one big tie
    return (x - 5.0 if cfg["negative"] else x).astype(cfg["dtype"])  # all negative: zero padding would win


EX = {"N": 1, "C": 1, "H": 3, "W": 3, "kernel": 2, "stride": 1, "padding": 0, "ties": True, "negative": False,
      "seed": 0, "dtype": np.float64}
EX_PAD = {"N": 1, "C": 2, "H": 4, "W": 5, "kernel": 3, "stride": 2, "padding": 1, "ties": False, "negative": True,
          "seed": 1, "dtype": np.float64}
EX_ALL_EQUAL = {"N": 1, "C": 1, "H": 4, "W": 4, "kernel": 2, "stride": None, "padding": 0, "ties": True,
                "negative": False, "seed": 2, "dtype": np.float32, "constant": True}


def t64(a: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(a.astype(np.float64), requires_grad=grad)


@given(cfg=configs())
@example(cfg=EX)
@example(cfg=EX_PAD)
@example(cfg=EX_ALL_EQUAL)
def test_maxpool_values_and_indices_match_torch(kata, cfg):
    x = x_for(cfg)
    kw = {"stride": cfg["stride"], "padding": cfg["padding"]}
    call = describe_call("maxpool2d", x, cfg["kernel"], **kw)
    y, idx = call_unmodified(kata.maxpool2d, x, cfg["kernel"], fn_name="maxpool2d", **kw)
    want, want_idx = F.max_pool2d(t64(x), cfg["kernel"], return_indices=True, **kw)
    assert_shape(y, tuple(want.shape), call=call)
    assert_dtype(y, x, call=call)
    assert_close(y, want, rtol=0, atol=0, name="max of each window (padding is −∞)", call=call)
    assert_equal(np.asarray(idx), want_idx.numpy(),
                 name="indices (flat h·W + w; ties: first maximum in row-major order)", call=call)


@given(cfg=configs())
@example(cfg=EX)
@example(cfg=EX_PAD)
def test_maxpool_backward_matches_autograd(kata, cfg):
    x = x_for(cfg)
    kw = {"stride": cfg["stride"], "padding": cfg["padding"]}
    xt = t64(x, True)
    want, want_idx = F.max_pool2d(xt, cfg["kernel"], return_indices=True, **kw)
    dy = np.random.default_rng(cfg["seed"] + 1).standard_normal(tuple(want.shape)).astype(cfg["dtype"])
    (want * t64(dy)).sum().backward()
    idx = want_idx.numpy()  # torch's indices: this test checks the backward pass on its own
    call = describe_call("maxpool2d_backward", dy, idx, x.shape)
    dx = call_unmodified(kata.maxpool2d_backward, dy, idx, x.shape, fn_name="maxpool2d_backward")
    assert_shape(dx, x.shape, call=call)
    assert_dtype(dx, dy, call=call)
    # Sums of at most 9 values of dy: float32 rounding only.
    assert_close(dx, xt.grad, rtol=1e-6, atol=1e-6, name="dx (vs torch.autograd): overlapping maxima add up",
                 call=call)


@given(cfg=configs(), include=st.booleans())
@example(cfg=EX_PAD, include=False)
@example(cfg=EX_PAD, include=True)
def test_avgpool_forward_and_backward_match_torch(kata, cfg, include):
    x = x_for(cfg)
    kw = {"stride": cfg["stride"], "padding": cfg["padding"], "count_include_pad": include}
    call = describe_call("avgpool2d", x, cfg["kernel"], **kw)
    y = call_unmodified(kata.avgpool2d, x, cfg["kernel"], fn_name="avgpool2d", **kw)
    xt = t64(x, True)
    want = F.avg_pool2d(xt, cfg["kernel"], **kw)
    rtol, atol = (1e-12, 1e-12) if cfg["dtype"] == np.float64 else (1e-6, 1e-5)
    assert_shape(y, tuple(want.shape), call=call)
    assert_dtype(y, x, call=call)
    assert_close(y, want, rtol=rtol, atol=atol, name=f"window means (count_include_pad={include})", call=call)
    dy = np.random.default_rng(cfg["seed"] + 1).standard_normal(tuple(want.shape)).astype(cfg["dtype"])
    (want * t64(dy)).sum().backward()
    call = describe_call("avgpool2d_backward", dy, x.shape, cfg["kernel"], **kw)
    dx = call_unmodified(kata.avgpool2d_backward, dy, x.shape, cfg["kernel"], fn_name="avgpool2d_backward", **kw)
    assert_shape(dx, x.shape, call=call)
    assert_dtype(dx, dy, call=call)
    assert_close(dx, xt.grad, rtol=rtol, atol=atol, name="dx (vs torch.autograd)", call=call)


@given(which=st.sampled_from(["max", "avg"]), case=st.sampled_from(["padding", "empty"]))
def test_bad_geometry_raises(kata, which, case):
    x = np.zeros((1, 1, 4, 4))
    args = (3, None, 2) if case == "padding" else (5, None, 0)  # padding 2 > 3/2; a 5-kernel on a 4×4 plane
    fn = kata.maxpool2d if which == "max" else kata.avgpool2d
    with pytest.raises(ValueError):
        fn(x, *args)

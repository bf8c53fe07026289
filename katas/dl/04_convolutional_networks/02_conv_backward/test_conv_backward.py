"""Tests for dl-04-2, the backward pass of a 2-D convolution.

References: torch.nn.functional.fold for col2im; torch.autograd through torch.nn.functional.conv2d
(float64, same stride/padding/dilation/groups) with a random upstream gradient for the backward pass.
"""
import numpy as np
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
            "seed": draw(seeds()), "dtype": draw(float_dtypes())}


EXAMPLES = [
    {"N": 1, "C": 1, "O": 1, "H": 4, "W": 4, "kernel": 3, "stride": 1, "padding": 1, "dilation": 1, "groups": 1,
     "seed": 0, "dtype": np.float64},  # stride 1 < kernel 3: windows overlap, col2im must add
    {"N": 2, "C": 2, "O": 2, "H": 5, "W": 7, "kernel": (2, 3), "stride": (1, 2), "padding": (2, 0),
     "dilation": (2, 1), "groups": 1, "seed": 1, "dtype": np.float64},
    {"N": 1, "C": 4, "O": 6, "H": 6, "W": 5, "kernel": 3, "stride": 2, "padding": 1, "dilation": 1, "groups": 2,
     "seed": 2, "dtype": np.float32},
    {"N": 1, "C": 1, "O": 1, "H": 7, "W": 7, "kernel": 2, "stride": 3, "padding": 0, "dilation": 1, "groups": 1,
     "seed": 3, "dtype": np.float64},  # stride 3 > kernel 2: some pixels are never used, their gradient is 0
]


def t64(a: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(a.astype(np.float64), requires_grad=grad)


def arrays_for(cfg: dict) -> tuple:
    rng = np.random.default_rng(cfg["seed"])
    k = cfg["kernel"]
    kh, kw = (k, k) if isinstance(k, int) else k
    x = rng.standard_normal((cfg["N"], cfg["C"], cfg["H"], cfg["W"])).astype(cfg["dtype"])
    w = rng.standard_normal((cfg["O"], cfg["C"] // cfg["groups"], kh, kw)).astype(cfg["dtype"])
    b = rng.standard_normal(cfg["O"]).astype(cfg["dtype"])
    kwargs = {"stride": cfg["stride"], "padding": cfg["padding"], "dilation": cfg["dilation"], "groups": cfg["groups"]}
    y_shape = F.conv2d(t64(x), t64(w), **kwargs).shape
    return x, w, b, rng.standard_normal(tuple(y_shape)).astype(cfg["dtype"]), kwargs


@given(cfg=configs())
@example(cfg=EXAMPLES[0])
@example(cfg=EXAMPLES[1])
@example(cfg=EXAMPLES[3])
def test_col2im_matches_fold(kata, cfg):
    x, _, _, _, kw = arrays_for(cfg)
    kw.pop("groups")
    k = cfg["kernel"]
    cols = np.random.default_rng(cfg["seed"] + 1).standard_normal(tuple(F.unfold(t64(x), k, **kw).shape))
    cols = cols.astype(cfg["dtype"])
    call = describe_call("col2im", cols, x.shape, k, **kw)
    got = call_unmodified(kata.col2im, cols, x.shape, k, fn_name="col2im", **kw)
    want = F.fold(t64(cols), (cfg["H"], cfg["W"]), k, **kw)
    assert_shape(got, x.shape, call=call)
    assert_dtype(got, cols, call=call)
    rtol, atol = (1e-12, 1e-12) if cfg["dtype"] == np.float64 else (1e-5, 1e-5)
    assert_close(got, want, rtol=rtol, atol=atol, name="image (vs F.fold: overlapping windows add up)", call=call)


@given(cfg=configs())
@example(cfg=EXAMPLES[0])
@example(cfg=EXAMPLES[1])
@example(cfg=EXAMPLES[2])
@example(cfg=EXAMPLES[3])
def test_backward_matches_autograd(kata, cfg):
    x, w, b, dy, kw = arrays_for(cfg)
    call = describe_call("conv2d_backward", dy, x, w, **kw)
    dx, dw, db = call_unmodified(kata.conv2d_backward, dy, x, w, fn_name="conv2d_backward", **kw)
    xt, wt, bt = t64(x, True), t64(w, True), t64(b, True)
    (F.conv2d(xt, wt, bt, **kw) * t64(dy)).sum().backward()
    # float64: sums of ≤ ~100 products. float32 against the float64 reference: ~1e-6 relative per term.
    rtol, atol = (1e-11, 1e-11) if cfg["dtype"] == np.float64 else (1e-4, 1e-4)
    for name, got, want in (("dx", dx, xt.grad), ("dweight", dw, wt.grad), ("dbias", db, bt.grad)):
        assert_shape(got, tuple(want.shape), name=name, call=call)
        assert_dtype(got, dy, name=name, call=call)
        assert_close(got, want, rtol=rtol, atol=atol, name=f"{name} (vs torch.autograd)", call=call)


@given(cfg=configs())
def test_col2im_is_the_adjoint_of_im2col(kata, cfg):
    """⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for all x and c: the defining property of a backward pass."""
    x, _, _, _, kw = arrays_for(cfg)
    kw.pop("groups")
    x = x.astype(np.float64)
    k = cfg["kernel"]
    c = np.random.default_rng(cfg["seed"] + 2).standard_normal(kata.im2col(x, k, **kw).shape)
    lhs = float(np.sum(kata.im2col(x, k, **kw) * c))
    rhs = float(np.sum(x * kata.col2im(c, x.shape, k, **kw)))
    assert_close(rhs, lhs, rtol=1e-10, atol=1e-10, name="⟨x, col2im(c)⟩ (vs ⟨im2col(x), c⟩)",
                 call=describe_call("col2im", c, x.shape, k, **kw))

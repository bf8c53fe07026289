"""Tests for sys-01-4, a LayerNorm forward kernel in Triton.

Reference: torch.nn.functional.layer_norm evaluated in float64 on the same float32 inputs, and the
row mean and 1/sqrt(biased variance + eps) in float64. Without CUDA the kernel runs in Triton's
interpreter (TRITON_INTERPRET=1, set by the workbook), so at most 16 rows (16 programs) per launch.
"""
import time

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_no_alias, assert_shape, call_unmodified, describe_call, smoke

ROWS = st.integers(1, 16)
COLS = st.integers(1, 300)
EPS = st.sampled_from([1e-5, 1e-3, 0.1, 1.0])

# float32 kernel vs float64 reference, rows of <= 300 values of scale <= 3 (plus an offset in one
# test): the mean and variance sums err by ~1e-7 relative, y = (x - mean) * rstd by a few ulps of
# |y| <= ~20. 2e-5 relative + 2e-5 absolute covers that with margin; the mistakes are >= 1e-3 off.
RTOL, ATOL = 2e-5, 2e-5


def reference(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor, eps: float):
    xd = x.double()
    var = xd.var(dim=-1, unbiased=False)
    y = F.layer_norm(xd, (x.shape[1],), w.double(), b.double(), eps)
    return y, xd.mean(dim=-1), 1.0 / torch.sqrt(var + eps)


def inputs(rows: int, cols: int, seed: int, scale: float = 3.0, offset: float = 0.0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(rows, cols, generator=g) * scale + offset
    w = torch.randn(cols, generator=g) + 1.0
    b = torch.randn(cols, generator=g)
    return x, w, b


def check_layer_norm(kata, x, w, b, rtol=RTOL, atol=ATOL, **kwargs):
    eps = kwargs.get("eps", 1e-5)
    call = describe_call("layer_norm", x, w, b, **kwargs)
    if x.stride(0) != x.shape[1]:
        call += f" with x.stride() = {x.stride()}"
    out = call_unmodified(kata.layer_norm, x, w, b, fn_name="layer_norm", **kwargs)
    assert isinstance(out, tuple) and len(out) == 3, f"{call} returned {type(out).__name__}, expected (y, mean, rstd)"
    y, mean, rstd = out
    want_y, want_mean, want_rstd = reference(x, w, b, eps)
    for got, shape, name in ((y, tuple(x.shape), "y"), (mean, (x.shape[0],), "mean"), (rstd, (x.shape[0],), "rstd")):
        assert_shape(got, shape, name=name, call=call)
        assert got.dtype == torch.float32, f"{call} returned {name} of dtype {got.dtype}, expected torch.float32"
        assert_no_alias(got, x, w, b, name=name, call=call)
    assert y.is_contiguous(), f"{call} returned a non-contiguous y with strides {y.stride()}"
    assert_close(mean, want_mean, rtol=rtol, atol=atol, name="mean", call=call)
    try:
        assert_close(rstd, want_rstd, rtol=rtol, atol=atol, name="rstd = 1/sqrt(var + eps)", call=call)
    except AssertionError as e:
        ratio = (rstd.double() / want_rstd).median().item()
        n = x.shape[1]
        if n > 1 and abs(ratio - ((n - 1) / n) ** 0.5) < 1e-3:
            e.add_note(f"  hint: rstd is sqrt((n-1)/n) = {ratio:.4f} of the reference: the variance divides by n - 1; "
                       "LayerNorm uses the biased variance (divide by n)")
        if torch.allclose(rstd.double() * want_rstd, torch.ones_like(want_rstd), rtol=1e-3):
            e.add_note("  hint: rstd is the reciprocal of the reference: store 1/sqrt(var + eps), not the std")
        raise
    assert_close(y, want_y, rtol=rtol, atol=atol, name="y", call=call)
    return out


@given(rows=ROWS, cols=COLS, eps=EPS, seed=seeds())
@example(rows=2, cols=1, eps=1e-5, seed=0)       # one column: var = 0, y = bias, rstd = 1/sqrt(eps)
@example(rows=3, cols=2, eps=1e-5, seed=1)       # n = 2: biased and unbiased variance differ by 2x
@example(rows=3, cols=256, eps=1e-5, seed=2)     # a power of two: no padding lanes
@example(rows=5, cols=257, eps=1e-5, seed=3)     # 255 padding lanes in a block of 512
@example(rows=4, cols=100, eps=1.0, seed=4)      # a large eps: inside or outside the sqrt differs
def test_matches_torch_layer_norm(kata, rows, cols, eps, seed):
    x, w, b = inputs(rows, cols, seed)
    kwargs = {} if eps == 1e-5 and seed % 2 == 0 else {"eps": eps}  # the default eps is 1e-5
    check_layer_norm(kata, x, w, b, **kwargs)


@settings(max_examples=10)
@given(rows=st.integers(1, 8), cols=st.integers(1, 200), eps=EPS, seed=seeds(),
       quarters=st.lists(st.integers(-40, 40), min_size=8, max_size=8))
@example(rows=3, cols=37, eps=1e-5, seed=0, quarters=[5, -7, 0, 40, -40, 1, 2, 3])
def test_constant_rows(kata, rows, cols, eps, seed, quarters):
    """Every value of a row equal: var = 0, so y = bias and rstd = 1/sqrt(eps). The values are
    multiples of 1/4, so the float32 row sum and mean are exact and x - mean is exactly 0."""
    _, w, b = inputs(rows, cols, seed)
    x = (torch.tensor(quarters[:rows]) / 4.0)[:, None].expand(rows, cols).contiguous()
    check_layer_norm(kata, x, w, b, eps=eps)


@settings(max_examples=10)
@given(rows=st.integers(1, 8), cols=st.integers(16, 300), offset=st.sampled_from([-3000.0, 1000.0, 2000.0]),
       seed=seeds())
@example(rows=4, cols=200, offset=1000.0, seed=0)
def test_large_mean_small_spread(kata, rows, cols, offset, seed):
    """x = offset + N(0, 1): E[x^2] - mean^2 cancels catastrophically in float32; the centred two-pass
    variance does not. The float32 mean itself errs by ~1e-4 at this offset, hence 2e-3 absolute on y."""
    x, w, b = inputs(rows, cols, seed, scale=1.0, offset=offset)
    check_layer_norm(kata, x, w, b, rtol=1e-3, atol=2e-3)


@settings(max_examples=10)
@given(rows=st.integers(1, 8), cols=st.integers(1, 100), offset=st.integers(0, 7), extra=st.integers(1, 20),
       row_step=st.integers(1, 3), seed=seeds())
@example(rows=4, cols=20, offset=3, extra=17, row_step=2, seed=0)
def test_strided_rows(kata, rows, cols, offset, extra, row_step, seed):
    """x is every row_step-th row and a window of columns of a wider tensor."""
    wide, w, b = inputs(rows * row_step, offset + cols + extra, seed)
    x = wide[::row_step, offset:offset + cols]
    check_layer_norm(kata, x, w[:cols].contiguous(), b[:cols].contiguous())


@given(cols=st.integers(2, 6))
def test_rejects_unsupported_inputs(kata, cols):
    x, w, b = inputs(3, cols, 0)
    bad_calls = [((x.double(), w, b), {}, "a float64 x"),
                 ((x[0], w, b), {}, "a 1-D x"),
                 ((torch.zeros(cols, 3).t(), w[:3].contiguous(), b[:3].contiguous()), {}, "a transposed x"),
                 ((x, w[:-1], b), {}, "a weight of the wrong length"),
                 ((x, w, torch.zeros(cols + 1)), {}, "a bias of the wrong length"),
                 ((x, w.double(), b), {}, "a float64 weight"),
                 ((x, w, b.half()), {}, "a float16 bias"),
                 ((x, torch.zeros(2 * cols)[::2], b), {}, "a strided weight"),
                 ((x, w, b), {"eps": 0.0}, "eps=0"),
                 ((x, w, b), {"eps": -1e-5}, "eps=-1e-5")]
    for args, kwargs, why in bad_calls:
        with pytest.raises(ValueError):
            kata.layer_norm(*args, **kwargs)
            pytest.fail(f"layer_norm accepted {why}: {describe_call('layer_norm', *args, **kwargs)}; expected ValueError")


@pytest.mark.gpu
def test_large_shapes_on_gpu(kata):
    g = torch.Generator(device="cuda").manual_seed(0)
    for rows, cols in ((4096, 1024), (1823, 781), (64, 8192)):
        x = torch.randn(rows, cols, device="cuda", generator=g) * 3 + 1
        w = torch.randn(cols, device="cuda", generator=g)
        b = torch.randn(cols, device="cuda", generator=g)
        y, mean, rstd = kata.layer_norm(x, w, b)
        assert y.device == x.device, f"layer_norm returned y on {y.device} for x on {x.device}"
        want_y, want_mean, want_rstd = reference(x, w, b, 1e-5)
        call = describe_call("layer_norm", x, w, b)
        assert_close(y.cpu(), want_y.cpu(), rtol=1e-4, atol=1e-4, name="y", call=call)
        assert_close(rstd.cpu(), want_rstd.cpu(), rtol=1e-4, atol=1e-6, name="rstd", call=call)


@pytest.mark.benchmark
def test_benchmark_against_torch(kata):
    if torch.cuda.is_available():
        import triton.testing

        for rows, cols in ([(256, 1024)] if smoke() else [(4096, 1024), (4096, 4096), (1024, 16384)]):
            x = torch.randn(rows, cols, device="cuda")
            w, b = torch.ones(cols, device="cuda"), torch.zeros(cols, device="cuda")
            ms_kata = triton.testing.do_bench(lambda x=x, w=w, b=b: kata.layer_norm(x, w, b))
            ms_torch = triton.testing.do_bench(lambda x=x, w=w, b=b: F.layer_norm(x, (x.shape[1],), w, b))
            moved = 2 * x.numel() * 4  # read x once, write y once (w, b, mean and rstd are small)
            print(f"{rows}x{cols}: kernel {ms_kata:.3f} ms ({moved / ms_kata * 1e-6:.0f} GB/s), "
                  f"torch {ms_torch:.3f} ms ({moved / ms_torch * 1e-6:.0f} GB/s)")
    else:
        rows, cols = (4, 64) if smoke() else (16, 1024)
        x, w, b = inputs(rows, cols, 0)
        kata.layer_norm(x, w, b)  # warm-up
        t0 = time.perf_counter()
        kata.layer_norm(x, w, b)
        t1 = time.perf_counter()
        F.layer_norm(x, (cols,), w, b)
        t2 = time.perf_counter()
        print(f"{rows}x{cols} on CPU: kernel in Triton's interpreter {1e3 * (t1 - t0):.2f} ms, torch "
              f"{1e3 * (t2 - t1):.3f} ms (interpreter timings say nothing about GPU speed)")

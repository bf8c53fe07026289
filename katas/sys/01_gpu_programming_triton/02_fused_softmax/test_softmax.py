"""Tests for sys-01-2, a fused row-wise softmax kernel in Triton.

Reference: torch.softmax evaluated in float64 on the same float32 inputs. Without CUDA the kernel
runs in Triton's interpreter (TRITON_INTERPRET=1, set by the workbook), so shapes stay small: at most
16 rows, i.e. 16 programs per launch. The `gpu` test runs large shapes on a real device and the
`benchmark` test prints timings against torch.
"""
import time

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, tensors
from grader.testing import assert_close, assert_equal, assert_no_alias, assert_shape, describe_call

# float32 kernel vs float64 reference: exp and the division are accurate to ~1 ulp (6e-8 relative),
# the row sum of <= 300 terms adds a few more, and x - max rounds to half an ulp of |x - max| <= 88
# (4e-6 relative after exp). 1e-5 relative covers that; 1e-7 absolute covers subnormal outputs.
RTOL, ATOL = 1e-5, 1e-7

ROWS = st.integers(1, 16)
COLS = st.integers(1, 300)


def reference(x: torch.Tensor) -> torch.Tensor:
    return torch.softmax(x.double(), dim=-1)


def softmax_hints(got: torch.Tensor, x: torch.Tensor) -> list[str]:
    """Recognisable kernel mistakes, read off the wrong output."""
    hints = []
    n_cols = x.shape[1]
    g = got.detach().cpu().double()
    low = 1 << (n_cols.bit_length() - 1)  # the largest power of two <= n_cols
    if low < n_cols and torch.all(g[:, low:] == 0) and not torch.all(reference(x)[:, low:] == 0):
        hints.append(f"columns {low}.. were never written: is BLOCK_SIZE >= n_cols (triton.next_power_of_2)?")
    sums = g.sum(dim=-1)
    if torch.all(torch.isfinite(sums)) and torch.any((sums - 1).abs() > 1e-4) and n_cols & (n_cols - 1):
        hints.append(f"row sums {[round(v, 4) for v in sums[:4].tolist()]} are not 1 and n_cols={n_cols} is not a "
                     "power of two: do the masked padding columns load as -inf (other=-float('inf'))?")
    if x.stride(0) != n_cols:
        hints.append(f"x is a strided view (x.stride(0) = {x.stride(0)}, n_cols = {n_cols}): pass x.stride(0) "
                     "for the input rows and out.stride(0) for the output rows")
    return hints


def check_softmax(kata, x: torch.Tensor, what: str) -> torch.Tensor:
    call = describe_call("softmax", x) + (f" on {what}" if what else "")
    before = x.clone()
    got = kata.softmax(x)
    assert_shape(got, tuple(x.shape), call=call)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    assert_equal(x, before, name="input (the kernel must not write into x)", call=call)
    assert_no_alias(got, x, call=call)   # "allocate a new output"
    try:
        assert_close(got, reference(x), rtol=RTOL, atol=ATOL, call=call)
    except AssertionError as e:
        for hint in softmax_hints(got, x):
            e.add_note(f"  hint: {hint}")
        raise
    return got


@given(rows=ROWS, cols=COLS, x=st.data())
@example(rows=1, cols=1, x=None)  # a single column: softmax is exactly 1
@example(rows=3, cols=256, x=None)  # exactly a power of two: no padding
@example(rows=5, cols=257, x=None)  # one past a power of two: BLOCK_SIZE must be 512
@example(rows=16, cols=300, x=None)
def test_matches_torch_softmax(kata, rows, cols, x):
    t = x.draw(tensors((rows, cols), scale=3.0), label="x") if x is not None else \
        torch.randn(rows, cols, generator=torch.Generator().manual_seed(rows * 1000 + cols)) * 3
    got = check_softmax(kata, t, "")
    assert got.is_contiguous(), f"softmax returned a non-contiguous tensor with strides {got.stride()}"


@settings(max_examples=15)
@given(rows=st.integers(1, 8), cols=COLS, scale=st.sampled_from([100.0, 1000.0, 30000.0]), seed=seeds())
@example(rows=2, cols=33, scale=30000.0, seed=0)
def test_large_magnitudes_do_not_overflow(kata, rows, cols, scale, seed):
    """exp(89) overflows float32: the row max must be subtracted before exponentiating."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(rows, cols, generator=g) * scale
    x[0] = scale  # a row of equal, huge values: the answer is exactly uniform
    got = check_softmax(kata, x, f"inputs of magnitude ~{scale:g}")
    sums = got.double().sum(dim=-1)
    # Sums of <= 300 float32 probabilities: 1e-5 absolute.
    assert_close(sums, torch.ones(rows, dtype=torch.float64), rtol=0, atol=1e-5, name="row sums",
                 call=describe_call("softmax", x))


@settings(max_examples=15)
@given(rows=st.integers(1, 8), cols=COLS, offset=st.integers(0, 7), extra=st.integers(1, 40),
       row_step=st.integers(1, 3), seed=seeds())
@example(rows=4, cols=20, offset=3, extra=17, row_step=2, seed=0)
def test_strided_rows_of_a_wider_tensor(kata, rows, cols, offset, extra, row_step, seed):
    """x is a view: every row_step-th row and a window of columns of a wider tensor, so
    x.stride(0) = row_step * (offset + cols + extra) != cols, and the output is a fresh contiguous tensor."""
    g = torch.Generator().manual_seed(seed)
    wide = torch.randn(rows * row_step, offset + cols + extra, generator=g) * 3
    x = wide[::row_step, offset:offset + cols]
    assert x.stride() == (row_step * (offset + cols + extra), 1)
    got = check_softmax(kata, x, f"a view with strides {x.stride()}")
    assert got.is_contiguous(), f"softmax returned a non-contiguous tensor with strides {got.stride()}"


@given(rows=st.integers(1, 4), cols=st.integers(2, 6))
def test_rejects_unsupported_inputs(kata, rows, cols):
    for bad, why in ((torch.zeros(rows, cols, dtype=torch.float64), "float64"),
                     (torch.zeros(cols), "1-D"),
                     (torch.zeros(cols, rows + 1).t(), "transposed (columns not contiguous)")):
        with pytest.raises(ValueError):
            kata.softmax(bad)
            pytest.fail(f"softmax accepted a {why} tensor {describe_call('', bad)}; expected ValueError")


@pytest.mark.gpu
def test_large_shapes_on_gpu(kata):
    g = torch.Generator(device="cuda").manual_seed(0)
    for rows, cols in ((4096, 4096), (4096, 1000), (1823, 781), (64, 32768)):
        x = torch.randn(rows, cols, device="cuda", generator=g) * 10
        got = kata.softmax(x)
        assert got.device == x.device, f"softmax returned a tensor on {got.device} for input on {x.device}"
        # GPU exp is a hardware approximation (ex2.approx): a few ulps more than the CPU.
        assert_close(got.cpu(), reference(x).cpu(), rtol=5e-5, atol=1e-7, call=describe_call("softmax", x))


@pytest.mark.benchmark
def test_benchmark_against_torch(kata):
    if torch.cuda.is_available():
        import triton.testing

        for rows, cols in ((4096, 1024), (4096, 4096), (1024, 16384)):
            x = torch.randn(rows, cols, device="cuda")
            ms_kata = triton.testing.do_bench(lambda x=x: kata.softmax(x))
            ms_torch = triton.testing.do_bench(lambda x=x: torch.softmax(x, dim=-1))
            moved = 2 * x.numel() * x.element_size()  # read every element once, write it once
            print(f"{rows}x{cols}: kernel {ms_kata:.3f} ms ({moved / ms_kata * 1e-6:.0f} GB/s), "
                  f"torch {ms_torch:.3f} ms ({moved / ms_torch * 1e-6:.0f} GB/s)")
    else:
        x = torch.randn(16, 1000)
        kata.softmax(x)  # warm-up (the interpreter parses the kernel once)
        t0 = time.perf_counter()
        kata.softmax(x)
        t1 = time.perf_counter()
        torch.softmax(x, dim=-1)
        t2 = time.perf_counter()
        print(f"16x1000 on CPU: kernel in Triton's interpreter {1e3 * (t1 - t0):.2f} ms, torch "
              f"{1e3 * (t2 - t1):.3f} ms (interpreter timings say nothing about GPU speed)")

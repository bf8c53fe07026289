"""Tests for sys-01-6, INT8 weight-only quantization and its Triton matmul.

References: the absmax per-channel quantization formula evaluated in torch, its error bound
|w - w_q * scale| <= scale / 2, torch.matmul in float64 on the dequantized weights, and the bound
that quantization error puts on A @ W. Without CUDA the kernel runs in Triton's interpreter
(TRITON_INTERPRET=1), so matrices stay at most 32 x 48 x 40 (a handful of programs).
"""
import time

import pytest
import torch
import triton
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_equal,
    assert_no_alias,
    assert_shape,
    call_unmodified,
    describe_call,
    smoke,
)


def randn(shape: tuple[int, ...], seed: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)


def reference_quantize(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    w32 = w.float()
    amax = w32.abs().amax(dim=0)
    scale = torch.where(amax > 0, amax / 127.0, torch.ones_like(amax))
    return torch.round(w32 / scale).clamp(-127, 127).to(torch.int8), scale


def error_scale(a: torch.Tensor, b: torch.Tensor) -> float:
    """max over C of sum_k |a_ik| |b_kj|: float32 accumulation errs by at most ~K 2^-24 of it."""
    return float((a.double().abs() @ b.double().abs()).max()) if a.numel() and b.numel() else 0.0


@given(k=st.integers(1, 48), n=st.integers(1, 40), seed=seeds(), dtype=torch_float_dtypes(),
       zero_col=st.booleans(), spread=st.sampled_from([1e-3, 1.0, 100.0]))
@example(k=1, n=1, seed=0, dtype=torch.float32, zero_col=False, spread=1.0)   # one weight: it maps to ±127
@example(k=5, n=3, seed=1, dtype=torch.float32, zero_col=True, spread=1.0)    # an all-zero column: scale 1, w_q 0
@example(k=16, n=8, seed=2, dtype=torch.float64, zero_col=False, spread=100.0)
def test_quantize_weight(kata, k, n, seed, dtype, zero_col, spread):
    w = randn((k, n), seed, dtype) * spread * (1 + torch.arange(n, dtype=dtype))  # columns of different ranges
    if zero_col:
        w[:, n // 2] = 0
    call = describe_call("quantize_weight", w)
    out = call_unmodified(kata.quantize_weight, w, fn_name="quantize_weight")
    assert isinstance(out, tuple) and len(out) == 2, f"{call} returned {type(out).__name__}, expected (w_q, scale)"
    w_q, scale = out
    assert_shape(w_q, (k, n), name="w_q", call=call)
    assert_shape(scale, (n,), name="scale (one per output column)", call=call)
    assert w_q.dtype == torch.int8, f"{call} returned w_q of dtype {w_q.dtype}, expected torch.int8 (1 byte per weight)"
    assert scale.dtype == torch.float32, f"{call} returned scale of dtype {scale.dtype}, expected torch.float32"
    assert_no_alias(w_q, w, call=call)
    want_q, want_scale = reference_quantize(w)
    assert_close(scale, want_scale, rtol=0, atol=0, name="scale = max|w[:, n]| / 127 (1 for a zero column)", call=call)
    try:
        assert_equal(w_q, want_q, name="w_q = round(w / scale)", call=call)
    except AssertionError as e:
        diff = w_q.int() - want_q.int()
        if bool((diff.abs() <= 1).all()) and bool((diff * want_q.int().sign() <= 0).all()):
            e.add_note("  hint: every mismatch is one step toward zero: truncation (.to(torch.int8)) instead of torch.round?")
        raise
    assert int(w_q.int().abs().max()) <= 127, f"{call} produced -128: symmetric int8 uses [-127, 127]"
    err = (w.double() - w_q.double() * scale.double()).abs()
    bound = scale.double() / 2 * (1 + 1e-6) + 1e-30
    assert bool((err <= bound).all()), (f"{call}: |w - w_q * scale| exceeds scale / 2 by up to "
                                        f"{float((err - bound).max()):.3g}")


@settings(max_examples=10)
@given(dtype=torch_float_dtypes(), big=st.integers(128, 253), small=st.integers(1, 127))
@example(dtype=torch.float32, big=190, small=100)
def test_quantize_weight_subnormal_column_is_clamped(kata, dtype, big, small):
    """A column whose largest |weight| is big * 2^-149 (a float32 subnormal): amax / 127 rounds to a
    subnormal step of 1 or 2 units, so round(w / scale) passes 127 and must be clamped to [-127, 127]."""
    tiny = 2.0**-149
    w = torch.tensor([[big * tiny, 0.5], [-big * tiny, -1.0], [small * tiny, 0.25]], dtype=dtype)
    call = describe_call("quantize_weight", w) + f" with column 0 = {[big, -big, small]} x 2^-149"
    w_q, scale = kata.quantize_weight(w)
    want_q, want_scale = reference_quantize(w)
    assert int(w_q.int().abs().max()) <= 127, (f"{call} produced {w_q[:, 0].tolist()} in column 0: w_q must stay in "
                                               "[-127, 127] (clamp round(w / scale) before the int8 cast)")
    assert_close(scale, want_scale, rtol=0, atol=0, name="scale = max|w[:, n]| / 127 in float32", call=call)
    assert_equal(w_q, want_q, name="w_q = round(w / scale) clamped to [-127, 127]", call=call)


def check_int8_matmul(kata, a, w_q, scale, **kwargs) -> torch.Tensor:
    call = describe_call("int8_matmul", a, w_q, scale, **kwargs)
    c = call_unmodified(kata.int8_matmul, a, w_q, scale, fn_name="int8_matmul", **kwargs)
    assert_shape(c, (a.shape[0], w_q.shape[1]), call=call)
    assert c.dtype == torch.float32, f"{call} returned dtype {c.dtype}, expected torch.float32"
    assert c.is_contiguous(), f"{call} returned a non-contiguous tensor with strides {c.stride()}"
    w_dq = w_q.double() * scale.double()
    want = a.double() @ w_dq
    try:
        # float32 accumulation over K <= 48 terms and one scale multiply: 1e-5 of sum |a| |w| is safe.
        assert_close(c, want, rtol=0, atol=1e-5 * error_scale(a, w_dq) + 1e-30, call=call)
    except AssertionError as e:
        unscaled = a.double() @ w_q.double()
        if torch.allclose(c.double(), unscaled, rtol=1e-4, atol=1e-3):
            e.add_note("  hint: C equals A @ W_q in integer units: multiply the accumulator by scale[offs_n]")
        raise
    return c


@settings(max_examples=11)
@given(m=st.integers(1, 32), n=st.integers(1, 40), k=st.integers(1, 48), bk=st.sampled_from([16, 32]),
       a_t=st.booleans(), w_t=st.booleans(), seed=seeds())
@example(m=1, n=1, k=1, bk=16, a_t=False, w_t=False, seed=0)
@example(m=17, n=20, k=40, bk=16, a_t=False, w_t=False, seed=1)    # a partial last K-tile
@example(m=20, n=33, k=48, bk=16, a_t=True, w_t=True, seed=2)      # transposed storage of A and W_q
def test_matches_dequantized_matmul(kata, m, n, k, bk, a_t, w_t, seed):
    a = randn((k, m), seed).t() if a_t else randn((m, k), seed)
    w_q, scale = reference_quantize(randn((k, n), seed + 1) * (1 + torch.arange(n)))
    if w_t:
        w_q = w_q.t().contiguous().t()
    check_int8_matmul(kata, a, w_q, scale, block_m=16, block_n=16, block_k=bk)


@settings(max_examples=8)
@given(m=st.integers(1, 16), n=st.integers(1, 32), k=st.integers(1, 48), seed=seeds())
@example(m=4, n=8, k=33, seed=0)
def test_quantized_linear_is_close_to_float(kata, m, n, k, seed):
    """End to end: |A @ W - int8_matmul(A, *quantize_weight(W))| <= |A| @ (scale / 2), the worst case of
    rounding each weight by at most half a step (plus float32 slack)."""
    a, w = randn((m, k), seed), randn((k, n), seed + 1)
    w_q, scale = kata.quantize_weight(w)
    c = check_int8_matmul(kata, a, w_q, scale)
    bound = a.double().abs().sum(dim=1, keepdim=True) * scale.double()[None, :] / 2
    err = (c.double() - a.double() @ w.double()).abs()
    slack = 1e-5 * error_scale(a, w) + 1e-30
    assert bool((err <= bound + slack).all()), (
        f"int8_matmul(A, *quantize_weight(W)) is further from A @ W than the quantization bound allows "
        f"(worst excess {float((err - bound - slack).max()):.3g})")


@settings(max_examples=1)
@given(m=st.integers(1, 32), n=st.integers(1, 40), k=st.integers(17, 48), seed=seeds())
@example(m=17, n=5, k=40, seed=0)  # partial last K-tile: K = 40 = 2·16 + 8 with BLOCK_K = 16
def test_int8_matmul_kernel_no_reads_past_k(kata, m, n, k, seed):
    """a is a view into a buffer padded with NaN: a kernel that loads a column of a past K (a mask of <=
    instead of <, or relative to the wrong tile) multiplies that NaN by w_q's masked 0 and poisons C."""
    big_a = torch.full((m + 32, k + 32), float("nan"))
    big_a[:m, :k] = randn((m, k), seed)
    w_q, scale = reference_quantize(randn((k, n), seed + 1))
    check_int8_matmul(kata, big_a[:m, :k], w_q, scale, block_m=16, block_n=16, block_k=16)


class LaunchSpy:
    """Stands in for int8_matmul_kernel and records what each launch was given."""

    def __init__(self, kernel):
        self.kernel, self.launches = kernel, []

    def __getitem__(self, grid):
        def launch(*args, **kwargs):
            meta = dict(zip(self.kernel.arg_names, args, strict=False))
            meta.update(kwargs)
            resolved = grid(meta) if callable(grid) else grid
            resolved = tuple(resolved) if isinstance(resolved, (tuple, list)) else (resolved,)
            resolved = resolved + (1,) * (3 - len(resolved))
            self.launches.append((resolved, meta))
            return self.kernel[grid](*args, **kwargs)
        return launch


@settings(max_examples=8)
@given(m=st.integers(1, 64), n=st.integers(1, 64), k=st.integers(1, 40),
       blocks=st.sampled_from([None, (16, 16, 16), (32, 16, 32), (16, 64, 16)]), seed=seeds())
@example(m=32, n=33, k=8, blocks=None, seed=0)
@example(m=16, n=64, k=20, blocks=(32, 16, 32), seed=1)
def test_kernel_reads_int8_weights(kata, m, n, k, blocks, seed):
    """One launch on (cdiv(M, block_m), cdiv(N, block_n)) with the asked block sizes (default 32),
    given the int8 w_q itself: the 4x smaller weights are what the kernel reads from memory."""
    bm, bn, bk = blocks or (32, 32, 32)
    m, n = min(m, 2 * bm), min(n, 2 * bn)
    a = randn((m, k), seed)
    w_q, scale = reference_quantize(randn((k, n), seed + 1))
    kwargs = {} if blocks is None else {"block_m": bm, "block_n": bn, "block_k": bk}
    spy = LaunchSpy(kata.int8_matmul_kernel)
    kata.int8_matmul_kernel = spy
    try:
        check_int8_matmul(kata, a, w_q, scale, **kwargs)
    finally:
        kata.int8_matmul_kernel = spy.kernel
    call = describe_call("int8_matmul", a, w_q, scale, **kwargs)
    assert len(spy.launches) == 1, f"{call} launched the kernel {len(spy.launches)} times, expected once"
    grid, meta = spy.launches[0]
    got = (grid, tuple(meta.get(key) for key in ("BLOCK_M", "BLOCK_N", "BLOCK_K")))
    want = ((triton.cdiv(m, bm), triton.cdiv(n, bn), 1), (bm, bn, bk))
    assert got == want, f"{call} launched with (grid, blocks) = {got}, expected {want}"
    given_w = meta.get("wq_ptr")
    assert isinstance(given_w, torch.Tensor) and given_w.dtype == torch.int8 and given_w.data_ptr() == w_q.data_ptr(), (
        f"{call} passed wq_ptr = {describe_call('', given_w)[1:-1] if isinstance(given_w, torch.Tensor) else given_w!r} "
        "to the kernel, expected w_q itself (int8): dequantizing in PyTorch first moves 4x the weight bytes")


@given(n=st.integers(1, 5))
def test_rejects_invalid_inputs(kata, n):
    a = torch.zeros(3, n)
    w_q = torch.zeros(n, 4, dtype=torch.int8)
    s = torch.ones(4)
    for w, why in ((torch.zeros(n), "a 1-D w"), (torch.zeros(n, 2, dtype=torch.int32), "an int32 w")):
        with pytest.raises(ValueError):
            kata.quantize_weight(w)
            pytest.fail(f"quantize_weight accepted {why}; expected ValueError")
    bad_calls = [((a.double(), w_q, s), {}, "a float64 a"),
                 ((a[0], w_q, s), {}, "a 1-D a"),
                 ((a, w_q.float(), s), {}, "a float32 w_q (not quantized)"),
                 ((a, w_q.int(), s), {}, "an int32 w_q"),
                 ((a, torch.zeros(n + 1, 4, dtype=torch.int8), s), {}, "w_q with the wrong number of rows"),
                 ((a, w_q, torch.ones(5)), {}, "a scale of the wrong length"),
                 ((a, w_q, s.double()), {}, "a float64 scale"),
                 ((a, w_q, torch.ones(8)[::2]), {}, "a strided scale"),
                 ((a, w_q, s), {"block_m": 8}, "block_m=8"),
                 ((a, w_q, s), {"block_n": 24}, "block_n=24"),
                 ((a, w_q, s), {"block_k": 0}, "block_k=0")]
    for args, kwargs, why in bad_calls:
        with pytest.raises(ValueError):
            kata.int8_matmul(*args, **kwargs)
            pytest.fail(f"int8_matmul accepted {why}: {describe_call('int8_matmul', *args, **kwargs)}; expected ValueError")


@pytest.mark.gpu
def test_large_shapes_on_gpu(kata):
    g = torch.Generator(device="cuda").manual_seed(0)
    for m, n, k in ((16, 4096, 4096), (512, 1000, 333)):
        a = torch.randn(m, k, device="cuda", generator=g)
        w_q, scale = kata.quantize_weight(torch.randn(k, n, device="cuda", generator=g))
        c = kata.int8_matmul(a, w_q, scale, block_m=16, block_n=64, block_k=64)
        w_dq = w_q.double() * scale.double()
        # TF32 tensor cores on a GPU: ~1e-3 of |A| |W|.
        assert_close(c.cpu(), (a.double() @ w_dq).cpu(), rtol=0, atol=3e-3 * error_scale(a.cpu(), w_dq.cpu()),
                     call=describe_call("int8_matmul", a, w_q, scale))


@pytest.mark.benchmark
def test_benchmark_against_torch(kata):
    if torch.cuda.is_available():
        import triton.testing

        for m, n, k in ([(16, 512, 512)] if smoke() else [(1, 4096, 4096), (16, 4096, 4096), (16, 11008, 4096)]):
            a = torch.randn(m, k, device="cuda")
            w = torch.randn(k, n, device="cuda")
            w_q, scale = kata.quantize_weight(w)
            ms_kata = triton.testing.do_bench(lambda a=a, w_q=w_q, s=scale: kata.int8_matmul(a, w_q, s, block_m=16, block_n=64, block_k=64))
            ms_torch = triton.testing.do_bench(lambda a=a, w=w: a @ w)
            print(f"M={m} N={n} K={k}: int8 weights {ms_kata:.3f} ms ({k * n / ms_kata * 1e-6:.0f} GB/s of weights), "
                  f"float32 torch {ms_torch:.3f} ms ({4 * k * n / ms_torch * 1e-6:.0f} GB/s)")
    else:
        m, n, k = (2, 16, 16) if smoke() else (16, 64, 64)
        a = torch.randn(m, k)
        w_q, scale = kata.quantize_weight(torch.randn(k, n))
        kata.int8_matmul(a, w_q, scale, block_m=16, block_n=16, block_k=16)  # warm-up
        t0 = time.perf_counter()
        kata.int8_matmul(a, w_q, scale, block_m=16, block_n=16, block_k=16)
        t1 = time.perf_counter()
        print(f"M={m} N={n} K={k} on CPU: kernel in Triton's interpreter {1e3 * (t1 - t0):.2f} ms; weights "
              f"{w_q.nbytes + scale.nbytes} bytes as int8 + scales vs {4 * k * n} as float32")

"""Tests for sys-01-3, a tiled matrix multiplication kernel in Triton.

Reference: torch.matmul in float64 on the same float32 inputs. Without CUDA the kernel runs in
Triton's interpreter (TRITON_INTERPRET=1, set by the workbook), where each K-step of each program
costs milliseconds, so matrices stay at most 40 x 48 x 40 (a handful of programs). The `gpu` test
runs large shapes on a real device and the `benchmark` test prints TFLOP/s against torch.
"""
import time

import pytest
import torch
import triton
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_no_alias, assert_shape, call_unmodified, describe_call, smoke

DIM = st.integers(1, 40)
INNER = st.integers(1, 48)
BLOCK = st.sampled_from([16, 32])


def randn(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


def error_scale(a: torch.Tensor, b: torch.Tensor) -> float:
    """max over C of sum_k |A_ik| |B_kj|: float32 accumulation over K terms errs by at most about
    K * 2^-24 times this; K <= 48 here, so 1e-5 of it is a safe, still tight, tolerance."""
    return float((a.double().abs() @ b.double().abs()).max()) if a.numel() and b.numel() else 0.0


def matmul_hints(got: torch.Tensor, a: torch.Tensor, b: torch.Tensor, bk: int) -> list[str]:
    hints = []
    K = a.shape[1]
    if K % bk and K > bk:
        full = (K // bk) * bk
        if torch.allclose(got.double(), a[:, :full].double() @ b[:full].double(), atol=1e-4):
            hints.append(f"C equals A[:, :{full}] @ B[:{full}]: the partial last K-tile (K={K}, BLOCK_K={bk}) is "
                         "dropped; loop with range(0, K, BLOCK_K) and mask k >= K")
    if K > bk:
        last = ((K - 1) // bk) * bk
        if torch.allclose(got.double(), a[:, last:].double() @ b[last:].double(), atol=1e-4):
            hints.append("C equals the last K-tile's product only: is the accumulator re-zeroed inside the K loop?")
    if a.stride(1) != 1 or b.stride(1) != 1:
        hints.append(f"a or b is a strided view (strides {a.stride()}, {b.stride()}): pass all four strides")
    return hints


def check_matmul(kata, a: torch.Tensor, b: torch.Tensor, **kwargs) -> torch.Tensor:
    call = describe_call("matmul", a, b, **kwargs)
    if not (a.is_contiguous() and b.is_contiguous()):
        call += f" with strides {a.stride()} and {b.stride()}"
    got = call_unmodified(kata.matmul, a, b, fn_name="matmul", **kwargs)
    assert_shape(got, (a.shape[0], b.shape[1]), call=call)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    assert got.is_contiguous(), f"{call} returned a non-contiguous tensor with strides {got.stride()}"
    assert_no_alias(got, a, b, call=call)
    try:
        assert_close(got, a.double() @ b.double(), rtol=0, atol=1e-5 * error_scale(a, b) + 1e-30, call=call)
    except AssertionError as e:
        for hint in matmul_hints(got, a, b, kwargs.get("block_k", 32)):
            e.add_note(f"  hint: {hint}")
        raise
    return got


@settings(max_examples=12)
@given(m=DIM, n=DIM, k=INNER, bm=BLOCK, bn=BLOCK, bk=BLOCK, seed=seeds())
@example(m=1, n=1, k=1, bm=16, bn=16, bk=16, seed=0)      # one element, all lanes but one masked
@example(m=32, n=32, k=32, bm=16, bn=16, bk=16, seed=1)   # multiples of every block: no masks needed
@example(m=17, n=5, k=40, bm=16, bn=16, bk=16, seed=2)    # partial last K-tile (40 = 2·16 + 8)
@example(m=20, n=33, k=48, bm=32, bn=16, bk=16, seed=3)   # three full K-tiles: the accumulator must persist
@example(m=3, n=4, k=0, bm=16, bn=16, bk=16, seed=4)      # K = 0: C is all zeros
def test_matches_torch_matmul(kata, m, n, k, bm, bn, bk, seed):
    a, b = randn((m, k), seed), randn((k, n), seed + 1)
    check_matmul(kata, a, b, block_m=bm, block_n=bn, block_k=bk)


@settings(max_examples=8)
@given(m=DIM, n=DIM, k=INNER, a_t=st.booleans(), b_step=st.integers(1, 3), seed=seeds())
@example(m=20, n=9, k=33, a_t=True, b_step=2, seed=0)
@example(m=5, n=18, k=17, a_t=False, b_step=3, seed=1)
def test_transposed_and_sliced_views(kata, m, n, k, a_t, b_step, seed):
    """A stored transposed (stride_ak = M) and B every b_step-th column of a wider matrix."""
    a = randn((k, m), seed).t() if a_t else randn((m, k + 3), seed)[:, 2:2 + k]
    b = randn((k, n * b_step), seed + 1)[:, ::b_step]
    check_matmul(kata, a, b, block_m=16, block_n=16, block_k=16)


@settings(max_examples=3)
@given(m=DIM, n=DIM, k=INNER, seed=seeds())
@example(m=17, n=5, k=40, seed=0)  # partial last K-tile: K = 40 = 2·16 + 8 with BLOCK_K = 16
def test_no_reads_past_k(kata, m, n, k, seed):
    """a and b are views into buffers padded with NaN: a kernel that loads one column of a or one row
    of b past K (a mask of <= instead of <, or relative to the wrong tile) multiplies a NaN by the
    other operand's masked 0 and poisons C (NaN * 0 = NaN)."""
    big_a = torch.full((m + 32, k + 32), float("nan"))
    big_b = torch.full((k + 32, n + 32), float("nan"))
    big_a[:m, :k], big_b[:k, :n] = randn((m, k), seed), randn((k, n), seed + 1)
    check_matmul(kata, big_a[:m, :k], big_b[:k, :n], block_m=16, block_n=16, block_k=16)


class LaunchSpy:
    """Stands in for matmul_kernel and records each launch's grid and block sizes."""

    def __init__(self, kernel):
        self.kernel, self.launches = kernel, []

    def __getitem__(self, grid):
        def launch(*args, **kwargs):
            meta = dict(zip(self.kernel.arg_names, args, strict=False))
            meta.update(kwargs)
            resolved = grid(meta) if callable(grid) else grid
            resolved = tuple(resolved) if isinstance(resolved, (tuple, list)) else (resolved,)
            resolved = resolved + (1,) * (3 - len(resolved))
            self.launches.append((resolved, tuple(meta.get(k) for k in ("BLOCK_M", "BLOCK_N", "BLOCK_K"))))
            return self.kernel[grid](*args, **kwargs)
        return launch


@settings(max_examples=10)
@given(m=st.integers(1, 64), n=st.integers(1, 64), k=st.integers(1, 40),
       blocks=st.sampled_from([None, (16, 16, 16), (32, 16, 16), (16, 32, 32), (16, 64, 16)]), seed=seeds())
@example(m=32, n=33, k=8, blocks=None, seed=0)          # defaults 32, 32, 32: grid (1, 2)
@example(m=48, n=16, k=40, blocks=(16, 16, 16), seed=1)
@example(m=16, n=64, k=20, blocks=(32, 16, 16), seed=2)  # block_m > M: one program row
@example(m=30, n=40, k=33, blocks=(16, 32, 32), seed=3)
def test_launch_grid_and_blocks(kata, m, n, k, blocks, seed):
    """One launch on (cdiv(M, block_m), cdiv(N, block_n)) with the block sizes asked for (default 32)."""
    bm, bn, bk = blocks or (32, 32, 32)
    m, n = min(m, 2 * bm), min(n, 2 * bn)  # at most 4 programs in the interpreter
    a, b = randn((m, k), seed), randn((k, n), seed + 1)
    kwargs = {} if blocks is None else {"block_m": bm, "block_n": bn, "block_k": bk}
    spy = LaunchSpy(kata.matmul_kernel)
    kata.matmul_kernel = spy
    try:
        check_matmul(kata, a, b, **kwargs)
    finally:
        kata.matmul_kernel = spy.kernel
    want = [((triton.cdiv(m, bm), triton.cdiv(n, bn), 1), (bm, bn, bk))]
    assert spy.launches == want, (
        f"{describe_call('matmul', a, b, **kwargs)} launched matmul_kernel as [(grid, (BLOCK_M, BLOCK_N, BLOCK_K))] "
        f"= {spy.launches}, expected {want} (one program per tile of C; block sizes default to 32)")


@given(n=st.integers(1, 5))
def test_rejects_unsupported_inputs(kata, n):
    a, b = torch.zeros(n, n + 1), torch.zeros(n + 1, 2)
    bad_calls = [((a.double(), b.double()), {}, "float64 tensors"),
                 ((a, b.half()), {}, "a float16 b"),
                 ((a.int(), b), {}, "an int32 a"),
                 ((torch.zeros(n + 1), b), {}, "a 1-D a"),
                 ((a, torch.zeros(2, n + 1, 2)), {}, "a 3-D b"),
                 ((a, torch.zeros(n, 2)), {}, "inner dimensions that differ"),
                 ((a, b), {"block_m": 8}, "block_m=8 (tl.dot needs >= 16)"),
                 ((a, b), {"block_n": 48}, "block_n=48 (not a power of two)"),
                 ((a, b), {"block_k": 0}, "block_k=0"),
                 ((a, b), {"block_k": 24}, "block_k=24")]
    for args, kwargs, why in bad_calls:
        with pytest.raises(ValueError):
            kata.matmul(*args, **kwargs)
            pytest.fail(f"matmul accepted {why}: {describe_call('matmul', *args, **kwargs)}; expected ValueError")


@pytest.mark.gpu
def test_large_shapes_on_gpu(kata):
    g = torch.Generator(device="cuda").manual_seed(0)
    for m, n, k in ((512, 512, 512), (1000, 777, 333), (2048, 64, 4096)):
        a = torch.randn(m, k, device="cuda", generator=g)
        b = torch.randn(n, k, device="cuda", generator=g).t()
        got = kata.matmul(a, b, block_m=64, block_n=64, block_k=32)
        assert got.device == a.device, f"matmul returned a tensor on {got.device} for input on {a.device}"
        # On a GPU tl.dot rounds float32 inputs to TF32 (10-bit mantissa) by default: ~1e-3 of |A||B|.
        assert_close(got.cpu(), (a.double() @ b.double()).cpu(), rtol=0, atol=3e-3 * error_scale(a.cpu(), b.cpu()),
                     call=describe_call("matmul", a, b))


@pytest.mark.benchmark
def test_benchmark_against_torch(kata):
    if torch.cuda.is_available():
        import triton.testing

        for s in ([256] if smoke() else [1024, 2048, 4096]):
            a, b = torch.randn(s, s, device="cuda"), torch.randn(s, s, device="cuda")
            ms_kata = triton.testing.do_bench(lambda a=a, b=b: kata.matmul(a, b, block_m=128, block_n=128, block_k=32))
            ms_torch = triton.testing.do_bench(lambda a=a, b=b: a @ b)
            flops = 2 * s ** 3
            print(f"{s}^3: kernel {ms_kata:.3f} ms ({flops / ms_kata * 1e-9:.1f} TFLOP/s), "
                  f"torch {ms_torch:.3f} ms ({flops / ms_torch * 1e-9:.1f} TFLOP/s)")
    else:
        s = 16 if smoke() else 64
        a, b = torch.randn(s, s), torch.randn(s, s)
        kata.matmul(a, b, block_m=16, block_n=16, block_k=16)  # warm-up
        t0 = time.perf_counter()
        kata.matmul(a, b, block_m=16, block_n=16, block_k=16)
        t1 = time.perf_counter()
        _ = a @ b
        t2 = time.perf_counter()
        print(f"{s}^3 on CPU: kernel in Triton's interpreter {1e3 * (t1 - t0):.2f} ms, torch "
              f"{1e3 * (t2 - t1):.3f} ms (interpreter timings say nothing about GPU speed)")

"""Tests for sys-01-1, a masked vector add in Triton.

Reference: torch's own x + y. IEEE float32 addition is exactly rounded, so the kernel must match it
bit for bit. Without CUDA the kernel runs in Triton's interpreter (TRITON_INTERPRET=1, set by the
workbook) at a few milliseconds per program, so launches stay at <= 8 programs. The `gpu` test runs
large vectors on a real device and the `benchmark` test prints achieved bandwidth against torch.
"""
import time

import pytest
import torch
import triton
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_equal, assert_no_alias, assert_shape, call_unmodified, describe_call, smoke

BLOCKS = st.sampled_from([1, 2, 16, 32, 64, 128, 256])
MAX_PROGRAMS = 8  # interpreter launches cost ~4 ms per program: keep grids small


def randn(n: int, seed: int, scale: float = 10.0) -> torch.Tensor:
    return torch.randn(n, generator=torch.Generator().manual_seed(seed)) * scale


def check_add(kata, x: torch.Tensor, y: torch.Tensor, **kwargs) -> torch.Tensor:
    call = describe_call("add", x, y, **kwargs) + (f" with strides {x.stride()}, {y.stride()}"
                                                   if x.stride(0) != 1 or y.stride(0) != 1 else "")
    got = call_unmodified(kata.add, x, y, fn_name="add", **kwargs)
    assert_shape(got, tuple(x.shape), call=call)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    assert got.is_contiguous(), f"{call} returned a non-contiguous tensor with strides {got.stride()}"
    assert_no_alias(got, x, y, call=call)  # "allocate a new output"
    try:
        assert_equal(got, x + y, call=call)
    except AssertionError as e:
        wrong = torch.nonzero(got != x + y).flatten()
        block = kwargs.get("block_size", 128)
        if len(wrong) and int(wrong[0]) >= (x.shape[0] // block) * block:
            e.add_note(f"  hint: only the last, partial block (from index {(x.shape[0] // block) * block}) is wrong: "
                       "is the grid triton.cdiv(n, block_size), rounding up?")
        elif x.stride(0) != 1 or y.stride(0) != 1:
            e.add_note("  hint: x or y is a strided view: element i is at x_ptr + i * x_stride")
        elif len(wrong) and int(wrong[0]) >= block:
            e.add_note("  hint: only the first block is right: offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)?")
        raise
    return got


@given(block=BLOCKS, n=st.data(), seed=seeds())
@example(block=128, n=0, seed=0)     # an empty vector: zero programs, an empty result
@example(block=16, n=1, seed=1)      # one element in a block of 16: 15 masked lanes
@example(block=64, n=64, seed=2)     # exactly one full block
@example(block=64, n=65, seed=3)     # one past a block: a second program with 63 masked lanes
@example(block=32, n=256, seed=4)    # a multiple of the block: no partial block at all
@example(block=1, n=5, seed=5)       # BLOCK_SIZE = 1: one element per program
def test_matches_torch_add(kata, block, n, seed):
    if not isinstance(n, int):
        n = n.draw(st.integers(1, MAX_PROGRAMS * block), label="n")
    x, y = randn(n, seed), randn(n, seed + 1)
    check_add(kata, x, y, block_size=block)


@settings(max_examples=15)
@given(block=st.sampled_from([16, 32, 64]), n=st.integers(1, 200), x_step=st.integers(1, 4),
       y_step=st.integers(1, 4), x_start=st.integers(0, 5), y_start=st.integers(0, 5), seed=seeds())
@example(block=32, n=70, x_step=3, y_step=1, x_start=2, y_start=0, seed=0)
@example(block=16, n=9, x_step=1, y_step=4, x_start=0, y_start=5, seed=1)
def test_strided_views(kata, block, n, x_step, y_step, x_start, y_start, seed):
    """x and y are every k-th element of longer tensors: element i lives at ptr + i * stride."""
    n = min(n, MAX_PROGRAMS * block)
    x = randn(x_start + x_step * n, seed)[x_start::x_step]
    y = randn(y_start + y_step * n, seed + 1)[y_start::y_step]
    assert x.shape == y.shape == (n,) and x.stride(0) == x_step and y.stride(0) == y_step
    check_add(kata, x, y, block_size=block)


class GridSpy:
    """Stands in for add_kernel and records how many programs each launch asked for."""

    def __init__(self, kernel):
        self.kernel, self.programs = kernel, []

    def __getitem__(self, grid):
        def launch(*args, **kwargs):
            resolved = grid
            if callable(grid):  # grid = lambda meta: (...,)
                meta = dict(zip(self.kernel.arg_names, args, strict=False))
                meta.update(kwargs)
                resolved = grid(meta)
            resolved = tuple(resolved) if isinstance(resolved, (tuple, list)) else (resolved,)
            self.programs.append(int(torch.tensor(resolved).prod()))
            return self.kernel[grid](*args, **kwargs)
        return launch


@settings(max_examples=15)
@given(block=st.sampled_from([None, 16, 32, 64, 128]), n=st.integers(0, 1024), seed=seeds())
@example(block=None, n=128, seed=0)    # the default block_size is 128: one program, not two
@example(block=None, n=129, seed=1)
@example(block=None, n=1024, seed=2)   # 8 full default blocks
@example(block=32, n=96, seed=3)       # a multiple: (n + block) // block would launch one too many
@example(block=16, n=0, seed=4)
def test_launches_cdiv_programs(kata, block, n, seed):
    """One program per block: exactly triton.cdiv(n, block_size) programs, block_size defaulting to 128."""
    size = 128 if block is None else block
    n = min(n, MAX_PROGRAMS * size)
    x, y = randn(n, seed), randn(n, seed + 1)
    kwargs = {} if block is None else {"block_size": block}
    spy = GridSpy(kata.add_kernel)
    kata.add_kernel = spy
    try:
        check_add(kata, x, y, **kwargs)
    finally:
        kata.add_kernel = spy.kernel
    want = triton.cdiv(n, size)
    assert spy.programs == [want], (
        f"{describe_call('add', x, y, **kwargs)} launched add_kernel with {spy.programs} programs, expected one "
        f"launch of cdiv({n}, {size}) = {want} (block_size defaults to 128; (n + b) // b is one too many "
        "when b divides n)")


@given(n=st.integers(1, 6))
def test_rejects_unsupported_inputs(kata, n):
    x = torch.zeros(n)
    bad_calls = [((torch.zeros(n, dtype=torch.float64), torch.zeros(n, dtype=torch.float64)), {}, "float64 tensors"),
                 ((x, torch.zeros(n, dtype=torch.float64)), {}, "a float64 y"),
                 ((torch.zeros(n, dtype=torch.int32), x), {}, "an int32 x"),
                 ((torch.zeros(n, 2), torch.zeros(n, 2)), {}, "2-D tensors"),
                 ((x, torch.zeros(n + 1)), {}, "shapes that differ"),
                 ((x, x), {"block_size": 0}, "block_size=0"),
                 ((x, x), {"block_size": 48}, "block_size=48 (not a power of two)"),
                 ((x, x), {"block_size": 3}, "block_size=3"),
                 ((x, x), {"block_size": -4}, "block_size=-4")]
    for args, kwargs, why in bad_calls:
        with pytest.raises(ValueError):
            kata.add(*args, **kwargs)
            pytest.fail(f"add accepted {why}: {describe_call('add', *args, **kwargs)}; expected ValueError")


@pytest.mark.gpu
def test_large_vectors_on_gpu(kata):
    g = torch.Generator(device="cuda").manual_seed(0)
    for n, block in ((98432, 1024), (1 << 24, 1024), (12345677, 256)):
        x = torch.randn(n, device="cuda", generator=g)
        y = torch.randn(2 * n, device="cuda", generator=g)[::2]
        got = kata.add(x, y, block_size=block)
        assert got.device == x.device, f"add returned a tensor on {got.device} for input on {x.device}"
        assert_equal(got.cpu(), (x + y).cpu(), call=describe_call("add", x, y, block_size=block))


@pytest.mark.benchmark
def test_benchmark_against_torch(kata):
    if torch.cuda.is_available():
        import triton.testing

        for n in ([1 << 16] if smoke() else [1 << 20, 1 << 24, 1 << 27]):
            x, y = torch.randn(n, device="cuda"), torch.randn(n, device="cuda")
            ms_kata = triton.testing.do_bench(lambda x=x, y=y: kata.add(x, y, block_size=1024))
            ms_torch = triton.testing.do_bench(lambda x=x, y=y: x + y)
            moved = 3 * n * 4  # read x and y, write out
            print(f"n={n}: kernel {ms_kata:.3f} ms ({moved / ms_kata * 1e-6:.0f} GB/s), "
                  f"torch {ms_torch:.3f} ms ({moved / ms_torch * 1e-6:.0f} GB/s)")
    else:
        n, block = (256, 64) if smoke() else (8192, 1024)
        x, y = torch.randn(n), torch.randn(n)
        kata.add(x, y, block_size=block)  # warm-up (the interpreter parses the kernel once)
        t0 = time.perf_counter()
        kata.add(x, y, block_size=block)
        t1 = time.perf_counter()
        _ = x + y
        t2 = time.perf_counter()
        print(f"n={n} on CPU: kernel in Triton's interpreter {1e3 * (t1 - t0):.2f} ms, torch "
              f"{1e3 * (t2 - t1):.3f} ms (interpreter timings say nothing about GPU speed)")

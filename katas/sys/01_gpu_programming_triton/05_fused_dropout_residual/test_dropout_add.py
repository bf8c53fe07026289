"""Tests for sys-01-5, a fused dropout + residual add with a seeded RNG in Triton.

References: the definition, element by element (each output is exactly residual[i], or
residual[i] + x[i] / (1 - p)); binomial bounds on how many elements are kept; and the properties a
counter-based RNG keyed on (seed, global index) guarantees: determinism, independence of block size
and shape, and nesting of the kept sets as p grows. Without CUDA the kernel runs in Triton's
interpreter (TRITON_INTERPRET=1), so launches stay at <= 8 programs.
"""
import math
import time

import pytest
import torch
import triton
import triton.language as tl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import (
    assert_close,
    assert_equal,
    assert_no_alias,
    assert_shape,
    call_unmodified,
    describe_call,
    smoke,
)

P = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.8, 0.9, 1.0])
RNG_SEEDS = st.integers(0, 2**31 - 2)  # seed + 1 must be a valid seed too
BLOCKS = st.sampled_from([32, 64, 128])  # <= 4 programs for the shapes below (~7 ms CPU each)


def inputs(shape: tuple[int, ...], seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """x with |x| >= 0.5 and residual with |residual| <= ~4, so a kept element can never round back to
    residual: kept and dropped elements are told apart exactly."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=g)
    x = torch.where(x >= 0, x + 0.5, x - 0.5)
    residual = torch.randn(shape, generator=g).clamp(-4, 4)
    return x, residual


def kept_mask(kata, x, residual, p, seed, **kwargs) -> torch.Tensor:
    """Calls dropout_add, checks every element against the definition, returns the boolean keep mask."""
    call = describe_call("dropout_add", x, residual, p=p, seed=seed, **kwargs)
    out = call_unmodified(kata.dropout_add, x, residual, p=p, seed=seed, fn_name="dropout_add", **kwargs)
    assert_shape(out, tuple(x.shape), call=call)
    assert out.dtype == torch.float32, f"{call} returned dtype {out.dtype}, expected torch.float32"
    assert out.is_contiguous(), f"{call} returned a non-contiguous tensor with strides {out.stride()}"
    assert_no_alias(out, x, residual, call=call)
    dropped = out == residual
    kept = ~dropped
    if p < 1:
        want = residual.double() + x.double() / (1 - p)
        # Kept elements: x * float32(1/(1-p)) + residual rounds twice in float32: <= 2 ulps of ~|x|/(1-p) + 4.
        assert_close(torch.where(kept, out.double(), want), want, rtol=1e-6, atol=1e-6,
                     name="output (kept elements must be residual + x / (1 - p), dropped ones exactly residual)", call=call)
    return kept


@settings(max_examples=13)
@given(shape=st.sampled_from([(1,), (7,), (64,), (100,), (3, 50), (2, 4, 16)]), p=P, seed=RNG_SEEDS,
       data_seed=seeds(), block=BLOCKS)
@example(shape=(100,), p=0.0, seed=3, data_seed=0, block=32)    # p = 0: everything kept, out = x + residual
@example(shape=(100,), p=1.0, seed=3, data_seed=0, block=32)    # p = 1: everything dropped, out = residual
@example(shape=(3, 50), p=0.5, seed=0, data_seed=1, block=64)
@example(shape=(7,), p=0.5, seed=1, data_seed=2, block=1)      # BLOCK_SIZE = 1 is a power of two: 7 programs
def test_each_element_is_kept_or_dropped(kata, shape, p, seed, data_seed, block):
    x, residual = inputs(shape, data_seed)
    kwargs = {} if block == 128 else {"block_size": block}
    kept = kept_mask(kata, x, residual, p, seed, **kwargs)
    call = describe_call("dropout_add", x, residual, p=p, seed=seed, **kwargs)
    if p == 0.0:
        assert bool(kept.all()), f"{call} dropped {int((~kept).sum())} elements at p = 0 (keep iff rand >= p keeps all)"
    if p == 1.0:
        assert not bool(kept.any()), (f"{call} kept {int(kept.sum())} elements at p = 1, or returned NaN/inf for dropped "
                                      "ones (0 * inf): at p = 1 the output is exactly residual")


@settings(max_examples=10)
@given(p=st.sampled_from([0.1, 0.25, 0.5, 0.8, 0.9]), seed=RNG_SEEDS, data_seed=seeds())
@example(p=0.1, seed=0, data_seed=0)
@example(p=0.9, seed=1, data_seed=1)
def test_keep_rate_is_binomial(kata, p, seed, data_seed):
    """n = 1024 elements, each kept with probability 1 - p: the count lies within 6 standard deviations
    of n(1 - p) (a false alarm has probability < 1e-8)."""
    n = 1024
    x, residual = inputs((n,), data_seed)
    kept = int(kept_mask(kata, x, residual, p, seed, block_size=1024).sum())  # one program
    mean, sd = n * (1 - p), math.sqrt(n * p * (1 - p))
    assert abs(kept - mean) <= 6 * sd + 1, (
        f"dropout_add(x of {n} elements, p={p}, seed={seed}, block_size=1024) kept {kept} elements; Binomial({n}, {1 - p:g}) gives "
        f"{mean:.0f} ± {sd:.1f}. Kept with probability p instead of 1 - p (rand < p)?")


@settings(max_examples=8)
@given(seed=RNG_SEEDS, data_seed=seeds(), p=st.sampled_from([0.25, 0.5, 0.75]))
@example(seed=0, data_seed=0, p=0.5)
def test_same_seed_same_output(kata, seed, data_seed, p):
    x, residual = inputs((200,), data_seed)
    assert_seeded_run = kata.dropout_add  # the same call, three times: seed, seed again, seed + 1
    first = assert_seeded_run(x, residual, p=p, seed=seed)
    assert_equal(assert_seeded_run(x, residual, p=p, seed=seed), first, name="output of a second call with the same seed",
                 call=describe_call("dropout_add", x, residual, p=p, seed=seed))
    other = assert_seeded_run(x, residual, p=p, seed=seed + 1)
    assert not torch.equal(other, first), (
        f"dropout_add with seeds {seed} and {seed + 1} dropped exactly the same of 200 elements: is the seed ignored?")


@settings(max_examples=7)
@given(seed=RNG_SEEDS, data_seed=seeds(), p=st.sampled_from([0.3, 0.5]), blocks=st.lists(BLOCKS, min_size=2, max_size=2))
@example(seed=0, data_seed=0, p=0.5, blocks=[32, 128])
def test_mask_depends_only_on_seed_and_index(kata, seed, data_seed, p, blocks):
    """The RNG is keyed on the global flat index: another block_size or another shape of the same data
    must drop exactly the same elements."""
    x, residual = inputs((4, 32), data_seed)
    a = kata.dropout_add(x, residual, p=p, seed=seed, block_size=blocks[0])
    b = kata.dropout_add(x.reshape(-1), residual.reshape(-1), p=p, seed=seed, block_size=blocks[1])
    assert_equal(b.reshape(4, 32), a, name=f"output with block_size={blocks[1]} on the flattened tensor",
                 call=describe_call("dropout_add", x, residual, p=p, seed=seed, block_size=blocks[0]) +
                 " compared across block sizes: are the random numbers drawn from the global offsets "
                 "(pid * BLOCK_SIZE + arange), not the lane index alone?")


@triton.jit
def _uniforms_kernel(out_ptr, n, seed, BLOCK: tl.constexpr):  # noqa: ANN001, ANN201
    offsets = tl.arange(0, BLOCK)
    tl.store(out_ptr + offsets, tl.rand(seed, offsets), mask=offsets < n)


def uniforms(seed: int, n: int) -> torch.Tensor:
    """tl.rand(seed, i) for i < n (n a power of two): the numbers the README's keep rule compares with p."""
    out = torch.empty(n, dtype=torch.float32)
    _uniforms_kernel[(1,)](out, n, seed, BLOCK=n)
    return out


@settings(max_examples=2)
@given(seed=RNG_SEEDS, j=st.integers(0, 63), data_seed=seeds())
@example(seed=0, j=0, data_seed=0)
@example(seed=7, j=63, data_seed=1)
def test_dropout_add_kernel_keeps_rand_equal_to_p(kata, seed, j, data_seed):
    """keep iff tl.rand(seed, i) >= p, a threshold exactly on a data point: with p set to element j's own
    uniform, element j is kept, and every element is kept exactly when its uniform is >= p."""
    n = 64
    u = uniforms(seed, n)
    p = float(u[j])  # a float32 value: passed to the kernel without rounding
    x, residual = inputs((n,), data_seed)
    kept = kept_mask(kata, x, residual, p, seed, block_size=32)
    want = u >= p
    assert bool(kept[j]), (f"dropout_add(seed={seed}, p={p!r}) dropped element {j}, whose tl.rand(seed, {j}) equals p "
                           "exactly: keep iff tl.rand(seed, offsets) >= p, not > p")
    assert_equal(kept, want, name="kept mask (tl.rand(seed, i) >= p)",
                 call=describe_call("dropout_add", x, residual, p=p, seed=seed, block_size=32))


@settings(max_examples=8)
@given(seed=RNG_SEEDS, data_seed=seeds(), ps=st.lists(st.sampled_from([0.0, 0.2, 0.5, 0.7, 1.0]), min_size=2,
                                                        max_size=2, unique=True))
@example(seed=5, data_seed=0, ps=[0.2, 0.7])
def test_raising_p_only_drops_more(kata, seed, data_seed, ps):
    """keep iff rand(seed, i) >= p: with one seed, the kept set at a larger p is inside the kept set at a smaller p."""
    lo, hi = sorted(ps)
    x, residual = inputs((256,), data_seed)
    kept_lo, kept_hi = kept_mask(kata, x, residual, lo, seed), kept_mask(kata, x, residual, hi, seed)
    extra = kept_hi & ~kept_lo
    assert not bool(extra.any()), (
        f"dropout_add(seed={seed}) kept {int(extra.sum())} elements at p={hi} that it dropped at p={lo}: keep iff "
        "tl.rand(seed, offsets) >= p")


@given(n=st.integers(1, 6))
def test_rejects_invalid_arguments(kata, n):
    x, r = inputs((n,), 0)
    bad_calls = [((x.double(), r.double()), {"p": 0.5, "seed": 0}, "float64 tensors"),
                 ((x, r.half()), {"p": 0.5, "seed": 0}, "a float16 residual"),
                 ((x, torch.zeros(n + 1)), {"p": 0.5, "seed": 0}, "shapes that differ"),
                 ((torch.zeros(2, n + 1).t(), torch.zeros(n + 1, 2)), {"p": 0.5, "seed": 0}, "a non-contiguous x"),
                 ((torch.zeros(n + 1, 2), torch.zeros(2, n + 1).t()), {"p": 0.5, "seed": 0}, "a non-contiguous residual"),
                 ((x, r), {"p": -0.1, "seed": 0}, "p=-0.1"),
                 ((x, r), {"p": 1.5, "seed": 0}, "p=1.5"),
                 ((x, r), {"p": 0.5, "seed": -1}, "seed=-1"),
                 ((x, r), {"p": 0.5, "seed": 2**31}, "seed=2**31"),
                 ((x, r), {"p": 0.5, "seed": 0, "block_size": 0}, "block_size=0"),
                 ((x, r), {"p": 0.5, "seed": 0, "block_size": 48}, "block_size=48")]
    for args, kwargs, why in bad_calls:
        with pytest.raises(ValueError):
            kata.dropout_add(*args, **kwargs)
            pytest.fail(f"dropout_add accepted {why}: {describe_call('dropout_add', *args, **kwargs)}; expected ValueError")


@pytest.mark.gpu
def test_large_tensors_on_gpu(kata):
    g = torch.Generator(device="cuda").manual_seed(0)
    n = 1 << 22
    x = torch.randn(n, device="cuda", generator=g)
    r = torch.randn(n, device="cuda", generator=g)
    out = kata.dropout_add(x, r, p=0.1, seed=1234, block_size=1024)
    assert torch.equal(out, kata.dropout_add(x, r, p=0.1, seed=1234, block_size=1024)), "not deterministic on the GPU"
    kept = int((out != r).sum())
    sd = math.sqrt(n * 0.1 * 0.9)
    assert abs(kept - 0.9 * n) <= 6 * sd + (x == 0).sum().item(), f"kept {kept} of {n} at p = 0.1"


@pytest.mark.benchmark
def test_benchmark_against_torch(kata):
    if torch.cuda.is_available():
        import triton.testing

        for n in ([1 << 16] if smoke() else [1 << 20, 1 << 24]):
            x, r = torch.randn(n, device="cuda"), torch.randn(n, device="cuda")
            ms_kata = triton.testing.do_bench(lambda x=x, r=r: kata.dropout_add(x, r, p=0.1, seed=0, block_size=1024))
            ms_torch = triton.testing.do_bench(lambda x=x, r=r: r + torch.nn.functional.dropout(x, 0.1))
            moved = 3 * n * 4  # read x and residual, write out: the fused kernel moves nothing else
            print(f"n={n}: fused kernel {ms_kata:.3f} ms ({moved / ms_kata * 1e-6:.0f} GB/s), torch dropout + add "
                  f"{ms_torch:.3f} ms")
    else:
        n = 256 if smoke() else 4096
        x, r = inputs((n,), 0)
        kata.dropout_add(x, r, p=0.1, seed=0)  # warm-up
        t0 = time.perf_counter()
        kata.dropout_add(x, r, p=0.1, seed=0)
        t1 = time.perf_counter()
        _ = r + torch.nn.functional.dropout(x, 0.1)
        t2 = time.perf_counter()
        print(f"n={n} on CPU: kernel in Triton's interpreter {1e3 * (t1 - t0):.2f} ms, torch "
              f"{1e3 * (t2 - t1):.3f} ms (interpreter timings say nothing about GPU speed); grid of "
              f"{math.ceil(n / 128)} programs")

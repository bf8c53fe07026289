"""Tests for sys-01-8, the roofline model.

References: closed forms evaluated with exact fractions, NVIDIA's published A100 / H100 peaks (and the
ridge points and verdicts they imply for well-known ops), the roofline's defining properties, and a
brute-force search over batch sizes.
"""
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

SIZES = st.integers(1, 8192)
BYTES = st.sampled_from([1, 2, 4, 8])
PEAKS = st.sampled_from([19.5e12, 156e12, 312e12, 989.4e12, 1e9, 2.5e11])
BWS = st.sampled_from([2.039e12, 3.35e12, 9e11, 5e10])


@given(m=SIZES, n=SIZES, k=SIZES, b=BYTES)
@example(m=1, n=1, k=1, b=2)
@example(m=1, n=4096, k=4096, b=2)   # GEMV: a decode step
def test_matmul_traffic(kata, m, n, k, b):
    got = kata.matmul_traffic(m, n, k, b)
    want = (2 * m * n * k, (m * k + k * n + m * n) * b)
    assert tuple(got) == want, (f"matmul_traffic({m}, {n}, {k}, {b}) = {got}, expected (2mnk, (mk + kn + mn) b) = {want}"
                                + ("; flops = mnk forgets that a multiply-add is 2 FLOPs" if got[0] * 2 == want[0] else "")
                                + ("; bytes must include writing C" if got[1] == (m * k + k * n) * b else ""))


@given(n=SIZES, ins=st.integers(0, 4), outs=st.integers(1, 3), f=st.integers(0, 10), b=BYTES)
@example(n=1000, ins=2, outs=1, f=1, b=4)  # x + y in float32: 1 FLOP per 12 bytes
@example(n=10, ins=0, outs=1, f=0, b=4)    # fill: writes only
def test_elementwise_traffic(kata, n, ins, outs, f, b):
    got = kata.elementwise_traffic(n, ins, outs, f, b)
    want = (n * f, n * (ins + outs) * b)
    assert tuple(got) == want, f"elementwise_traffic({n}, {ins}, {outs}, {f}, {b}) = {got}, expected {want}"


@given(flops=st.integers(0, 10**15), nbytes=st.integers(1, 10**12))
def test_arithmetic_intensity(kata, flops, nbytes):
    got = kata.arithmetic_intensity(flops, nbytes)
    assert got == pytest.approx(flops / nbytes, rel=1e-12), f"arithmetic_intensity({flops}, {nbytes}) = {got}"


@given(intensity=st.floats(0, 1e4, allow_nan=False), peak=PEAKS, bw=BWS)
@example(intensity=0.0, peak=312e12, bw=2.039e12)
@example(intensity=312e12 / 2.039e12, peak=312e12, bw=2.039e12)   # exactly at the ridge
def test_roofline_properties(kata, intensity, peak, bw):
    ridge = kata.ridge_point(peak, bw)
    assert ridge == pytest.approx(peak / bw, rel=1e-12), f"ridge_point({peak:g}, {bw:g}) = {ridge}, expected peak / bandwidth"
    got = kata.attainable_flops(intensity, peak, bw)
    want = min(peak, intensity * bw)
    assert got == pytest.approx(want, rel=1e-12, abs=0), (
        f"attainable_flops({intensity:g}, {peak:g}, {bw:g}) = {got:g}, expected min(peak, I * bandwidth) = {want:g}")
    bound = kata.is_compute_bound(intensity, peak, bw)
    assert bound == (intensity >= peak / bw), (
        f"is_compute_bound({intensity!r}, {peak:g}, {bw:g}) = {bound}, ridge {peak / bw!r}: intensity >= ridge is "
        "compute-bound (the ridge itself included)")


@given(flops=st.integers(0, 10**16), nbytes=st.integers(0, 10**13), peak=PEAKS, bw=BWS)
@example(flops=312 * 10**12, nbytes=2039 * 10**9, peak=312e12, bw=2.039e12)  # both halves take exactly 1 s
def test_roofline_time(kata, flops, nbytes, peak, bw):
    got = kata.roofline_time(flops, nbytes, peak, bw)
    want = max(flops / peak, nbytes / bw)
    assert got == pytest.approx(want, rel=1e-12, abs=1e-300), (
        f"roofline_time({flops}, {nbytes}, {peak:g}, {bw:g}) = {got:g} s, expected max(flops/peak, bytes/bandwidth) = "
        f"{want:g} s (compute and memory overlap: a max, not a sum)")
    if flops and nbytes:
        rate = flops / got
        assert rate == pytest.approx(min(peak, flops / nbytes * bw), rel=1e-9), "flops / roofline_time must be the attainable FLOP/s"


def compute_bound_at(m, n, k, b, ridge):
    return 2 * m * n * k >= ridge * b * (m * k + k * n + m * n)


@given(n=st.integers(1, 20000), k=st.integers(1, 20000), b=BYTES,
       gpu=st.sampled_from(["A100", "H100"]), dtype=st.sampled_from(["fp32", "tf32", "bf16"]))
@example(n=4096, k=4096, b=2, gpu="A100", dtype="bf16")   # Llama-7B-sized projection in bf16 on an A100
@example(n=4096, k=4096, b=2, gpu="H100", dtype="bf16")
@example(n=64, k=64, b=2, gpu="H100", dtype="bf16")       # a small layer never becomes compute-bound: None
@example(n=3, k=3, b=1, gpu="A100", dtype="fp32")         # ridge 19.5e12/2.039e12 ≈ 9.56: AI tends to 3, never reaches it
def test_min_compute_bound_batch(kata, n, k, b, gpu, dtype):
    acc = getattr(kata, gpu)
    peak, bw = acc.peak_flops[dtype], acc.bandwidth
    ridge = peak / bw
    limit_ai = Fraction(2 * n * k, b * (n + k))
    got = kata.min_compute_bound_batch(n, k, b, peak, bw)
    call = f"min_compute_bound_batch({n}, {k}, {b}, {acc.name} {dtype})"
    detail = f"(ridge {ridge:.2f} FLOP/B; the intensity tends to {float(limit_ai):.2f} as m grows)"
    if limit_ai <= Fraction(ridge):
        assert got is None, f"{call} = {got}, expected None: no batch reaches the ridge {detail}"
        return
    assert isinstance(got, int) and got >= 1, f"{call} = {got!r}, expected a batch size >= 1 {detail}"
    assert compute_bound_at(got, n, k, b, ridge), f"{call} = {got}, but m = {got} is still memory-bound {detail}"
    assert got == 1 or not compute_bound_at(got - 1, n, k, b, ridge), (
        f"{call} = {got}, but m = {got - 1} is already compute-bound: not the smallest {detail}")
    # Brute force from below where the answer is small enough to walk to.
    if got <= 5000:
        first = next(m for m in range(1, got + 1) if compute_bound_at(m, n, k, b, ridge))
        assert got == first, f"{call} = {got}, expected {first} {detail}"


@given(n=st.integers(1, 64), k=st.integers(1, 64), b=BYTES, ridge=st.integers(1, 64))
@example(n=4, k=4, b=1, ridge=4)     # intensity tends to exactly the ridge (2nk = ridge b (n + k)): None
@example(n=64, k=64, b=1, ridge=1)   # compute-bound from the first token: 1
@example(n=8, k=8, b=1, ridge=4)     # 2m·64 >= 4(16m + 64) holds with equality at m = 2
@example(n=1, k=2, b=1, ridge=1)     # 2nk - ridge b (n + k) = 1: barely reachable, at m = 2
def test_min_compute_bound_batch_exact_ties(kata, n, k, b, ridge):
    """An integer ridge (peak = ridge x 1e12, bandwidth = 1e12) makes exact ties possible: on the ridge
    is compute-bound, and an intensity that only tends to the ridge never gets there."""
    peak, bw = ridge * 1e12, 1e12
    got = kata.min_compute_bound_batch(n, k, b, peak, bw)
    call = f"min_compute_bound_batch({n}, {k}, {b}, peak={peak:g}, bandwidth={bw:g})"
    if 2 * n * k <= ridge * b * (n + k):
        assert got is None, f"{call} = {got}, expected None: 2nk / (b(n + k)) = {2 * n * k / (b * (n + k)):g} <= ridge {ridge}"
        return
    first = next(m for m in range(1, 10**6) if 2 * m * n * k >= ridge * b * (m * k + k * n + m * n))
    assert got == first, f"{call} = {got}, expected {first} (the first m with 2mnk >= ridge b (mk + kn + mn))"


# Published ridge points and verdicts (NVIDIA datasheets: A100 SXM 312 TFLOP/s bf16 dense, 2039 GB/s;
# H100 SXM 989.4 TFLOP/s bf16 dense, 3350 GB/s).
def test_published_rooflines(kata):
    a_ridge = kata.ridge_point(kata.A100.peak_flops["bf16"], kata.A100.bandwidth)
    h_ridge = kata.ridge_point(kata.H100.peak_flops["bf16"], kata.H100.bandwidth)
    assert round(a_ridge, 1) == 153.0, f"A100 bf16 ridge = {a_ridge}, expected 312e12 / 2.039e12 ≈ 153.0 FLOP/byte"
    assert round(h_ridge, 1) == 295.3, f"H100 bf16 ridge = {h_ridge}, expected 989.4e12 / 3.35e12 ≈ 295.3 FLOP/byte"
    # A float32 vector add is hopelessly memory-bound: 1/12 FLOP/byte -> 170 GFLOP/s on an A100.
    f, nbytes = kata.elementwise_traffic(1 << 20, 2, 1, 1, 4)
    ai = kata.arithmetic_intensity(f, nbytes)
    assert ai == pytest.approx(1 / 12)
    assert kata.attainable_flops(ai, kata.A100.peak_flops["fp32"], kata.A100.bandwidth) == pytest.approx(2.039e12 / 12)
    assert not kata.is_compute_bound(ai, kata.A100.peak_flops["fp32"], kata.A100.bandwidth)
    # A 4096^3 bf16 matmul: intensity 4096/3 ≈ 1365 FLOP/byte, compute-bound on both GPUs.
    f, nbytes = kata.matmul_traffic(4096, 4096, 4096, 2)
    ai = kata.arithmetic_intensity(f, nbytes)
    assert ai == pytest.approx(4096 / 3)
    for acc in (kata.A100, kata.H100):
        assert kata.is_compute_bound(ai, acc.peak_flops["bf16"], acc.bandwidth), f"4096^3 bf16 matmul on {acc.name}"
    # Decode (GEMV, m = 1) on a 4096 x 4096 bf16 weight: ~1 FLOP/byte, memory-bound: 2 * 4096^2 * 2 bytes / 2039 GB/s.
    f, nbytes = kata.matmul_traffic(1, 4096, 4096, 2)
    t = kata.roofline_time(f, nbytes, kata.A100.peak_flops["bf16"], kata.A100.bandwidth)
    assert t == pytest.approx(nbytes / 2.039e12), f"GEMV time {t} s, expected bytes / bandwidth"


@given(v=st.sampled_from([0, -1, -4096]))
def test_rejects_invalid_arguments(kata, v):
    calls = [
        (kata.matmul_traffic, (v, 2, 2, 2)), (kata.matmul_traffic, (2, v, 2, 2)), (kata.matmul_traffic, (2, 2, v, 2)),
        (kata.matmul_traffic, (2, 2, 2, v)),
        (kata.elementwise_traffic, (v, 1, 1, 1, 4)), (kata.elementwise_traffic, (8, 1, v, 1, 4)),
        (kata.elementwise_traffic, (8, 1, 1, 1, v)),
        (kata.arithmetic_intensity, (10, v)),
        (kata.ridge_point, (v, 1e12)), (kata.ridge_point, (1e12, v)),
        (kata.attainable_flops, (1.0, v, 1e12)), (kata.attainable_flops, (1.0, 1e12, v)),
        (kata.is_compute_bound, (1.0, v, 1e12)), (kata.is_compute_bound, (1.0, 1e12, v)),
        (kata.roofline_time, (1, 1, v, 1e12)), (kata.roofline_time, (1, 1, 1e12, v)),
        (kata.min_compute_bound_batch, (v, 8, 2, 1e12, 1e12)), (kata.min_compute_bound_batch, (8, v, 2, 1e12, 1e12)),
        (kata.min_compute_bound_batch, (8, 8, v, 1e12, 1e12)), (kata.min_compute_bound_batch, (8, 8, 2, v, 1e12)),
        (kata.min_compute_bound_batch, (8, 8, 2, 1e12, v)),
    ]
    if v < 0:
        calls += [(kata.elementwise_traffic, (8, v, 1, 1, 4)), (kata.elementwise_traffic, (8, 1, 1, v, 4)),
                  (kata.arithmetic_intensity, (v, 10)), (kata.attainable_flops, (float(v), 1e12, 1e12)),
                  (kata.roofline_time, (v, 1, 1e12, 1e12)), (kata.roofline_time, (1, v, 1e12, 1e12))]
    for fn, args in calls:
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{fn.__name__}{args} returned instead of raising ValueError")

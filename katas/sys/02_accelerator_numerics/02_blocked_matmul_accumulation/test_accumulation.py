"""Tests for sys-02-2, the error of low-precision accumulation in a blocked matmul.

References: the accumulation loop written out with torch ops (bit-exact), torch.matmul in float64,
numpy.polyfit for the log-log slope, and the random-walk law: with round-to-nearest each
accumulation step adds an independent error of relative size ~u, so the relative error of a K-term
sum grows like u * sqrt(K) (Higham, Accuracy and Stability of Numerical Algorithms, ch. 4).
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, call_unmodified, describe_call

ACC = st.sampled_from([torch.float16, torch.bfloat16, torch.float32, torch.float64])


def reference(a, b, block_k, acc_dtype):
    acc = torch.zeros((a.shape[0], b.shape[1]), dtype=acc_dtype)
    for k0 in range(0, a.shape[1], block_k):
        acc = acc + (a[:, k0:k0 + block_k].double() @ b[k0:k0 + block_k].double()).to(acc_dtype)
    return acc.float()


@given(m=st.integers(1, 6), n=st.integers(1, 6), k=st.integers(1, 70), block=st.integers(1, 80), acc=ACC, seed=seeds())
@example(m=2, n=3, k=64, block=1, acc=torch.float16, seed=0)     # one rounding per term
@example(m=2, n=3, k=64, block=64, acc=torch.bfloat16, seed=1)  # one block: a single rounding
@example(m=2, n=2, k=10, block=3, acc=torch.float16, seed=2)     # a shorter last block (10 = 3 + 3 + 3 + 1)
def test_matches_the_accumulation_loop(kata, m, n, k, block, acc, seed):
    g = torch.Generator().manual_seed(seed)
    a, b = torch.randn(m, k, generator=g) * 4, torch.randn(k, n, generator=g) * 4
    call = describe_call("blocked_matmul", a, b, block, acc)
    got = call_unmodified(kata.blocked_matmul, a, b, block, acc, fn_name="blocked_matmul")
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    assert_equal(got, reference(a, b, block, acc), call=call)


@given(k=st.integers(1, 64), seed=seeds())
def test_float64_accumulation_is_the_exact_product(kata, k, seed):
    g = torch.Generator().manual_seed(seed)
    a, b = torch.randn(3, k, generator=g), torch.randn(k, 5, generator=g)
    got = kata.blocked_matmul(a, b, 7, torch.float64)
    assert_equal(got, (a.double() @ b.double()).float(), call=describe_call("blocked_matmul", a, b, 7, torch.float64))


@given(seed=seeds(), scale=st.sampled_from([1e-3, 1.0, 1e3]), dtype=st.sampled_from([torch.float32, torch.float64]))
@example(seed=0, scale=1.0, dtype=torch.float32)
def test_relative_error(kata, seed, scale, dtype):
    """Computed in float64 whatever the inputs' dtype."""
    g = torch.Generator().manual_seed(seed)
    exact = (torch.randn(4, 5, generator=g, dtype=torch.float64) * scale).to(dtype)
    approx = (exact + torch.randn(4, 5, generator=g, dtype=torch.float64) * scale * 1e-3).float()
    want = np.linalg.norm(approx.double().numpy() - exact.double().numpy()) / np.linalg.norm(exact.double().numpy())
    got = call_unmodified(kata.relative_error, approx, exact, fn_name="relative_error")
    assert_close(got, want, rtol=1e-12, atol=0, call=describe_call("relative_error", approx, exact))
    with pytest.raises(ValueError):
        kata.relative_error(approx, torch.zeros(4, 5))
        pytest.fail("relative_error accepted an all-zero exact; expected ValueError")


@given(ks=st.lists(st.integers(1, 4096), min_size=2, max_size=8, unique=True), p=st.floats(-1, 2),
       c=st.floats(1e-6, 1.0), noise_seed=seeds())
@example(ks=[4096, 4095], p=2.0, c=1e-6, noise_seed=3)   # neighbouring ks: an ill-conditioned fit, slope ~ -1880
@example(ks=[1, 4096], p=0.5, c=1e-3, noise_seed=0)      # two points: the slope through them
def test_loglog_slope_matches_polyfit(kata, ks, p, c, noise_seed):
    noise = np.random.default_rng(noise_seed).normal(0, 0.1, len(ks))
    errors = c * np.asarray(ks, dtype=np.float64) ** p * np.exp(noise)
    ks_before = list(ks)
    x, y = np.log(ks), np.log(errors)
    want = np.polyfit(x, y, 1)[0]
    got = call_unmodified(kata.loglog_slope, ks, errors, fn_name="loglog_slope")
    assert ks == ks_before, f"loglog_slope changed its list ks from {ks_before} to {ks}: inputs are not modified"
    # Rounding the logs (~eps |x|, eps |y|) moves any least-squares formula by about eps |x| |y| n / sum((x - mean x)^2):
    # negligible for spread-out ks, large when the ks are neighbours (log 4095 and log 4096 differ by 2.4e-4).
    tol = 1e-9 + 16 * np.finfo(np.float64).eps * len(ks) * np.abs(x).max() * np.abs(y).max() / ((x - x.mean()) ** 2).sum()
    assert abs(got - want) <= tol, (f"loglog_slope({ks}, errors) = {got}, numpy.polyfit on the logs gives {want} "
                                    f"(tolerance {tol:.1e})")


KS = [16, 64, 256, 1024]


@settings(max_examples=2)
@given(seed=seeds())
@example(seed=0)
def test_low_precision_error_grows_like_sqrt_k(kata, seed):
    """fp16 and bf16 accumulators, one rounding per term (block_k = 1): error ~ u sqrt(K), slope ~ 0.5;
    bf16's unit roundoff is 8x fp16's; a float32 accumulator is ~1000x more accurate than fp16."""
    e16 = kata.error_vs_k(KS, torch.float16, 1, 2, seed)
    ebf = kata.error_vs_k(KS, torch.bfloat16, 1, 2, seed)
    e32 = kata.error_vs_k(KS, torch.float32, 1, 2, seed)
    for name, e in (("float16", e16), ("bfloat16", ebf)):
        s = np.polyfit(np.log(KS), np.log(e), 1)[0]
        assert 0.25 <= s <= 0.8, f"error_vs_k({KS}, {name}, block_k=1) = {e}: log-log slope {s:.2f}, expected ~0.5 (sqrt K)"
    assert np.all(ebf > 2 * e16), f"bf16 errors {ebf} should exceed fp16 errors {e16} (8x larger unit roundoff)"
    assert np.all(e32 * 100 < e16), f"float32 accumulation errors {e32} should be far below fp16's {e16}"


@settings(max_examples=3)
@given(seed=seeds())
def test_blocking_reduces_the_error(kata, seed):
    """A single block rounds once: the error stops growing with K (slope ~ 0), far below block_k = 1."""
    one = kata.error_vs_k([1024], torch.float16, 1, 2, seed)
    whole = kata.error_vs_k(KS, torch.float16, 4096, 3, seed)
    s = kata.loglog_slope(KS, whole)
    assert abs(s) < 0.2, f"error_vs_k({KS}, float16, block_k=4096) = {whole}: slope {s:.2f}, expected ~0 (one rounding)"
    assert whole[-1] * 5 < one[0], f"at K=1024 one block ({whole[-1]:.2e}) should beat block_k=1 ({one[0]:.2e})"


@settings(max_examples=5)
@given(seed=st.integers(0, 2**31 - 2), n_trials=st.integers(1, 3))
def test_error_vs_k_is_seeded(kata, seed, n_trials):
    assert_seeded(lambda s: kata.error_vs_k([8, 32], torch.float16, 1, n_trials, s), seed, name="errors")


@settings(max_examples=10)
@given(ks=st.lists(st.integers(1, 40), min_size=1, max_size=3), n_trials=st.integers(1, 3), block=st.integers(1, 8),
       acc=st.sampled_from([torch.float16, torch.bfloat16]), seed=seeds())
@example(ks=[1, 5], n_trials=1, block=1, acc=torch.float16, seed=0)
@example(ks=[9, 1, 4], n_trials=2, block=3, acc=torch.bfloat16, seed=1)  # ks out of order: kept in the caller's order
def test_error_vs_k_matches_its_definition(kata, ks, n_trials, block, acc, seed):
    g = torch.Generator().manual_seed(seed)
    want = []
    for k in ks:
        errs = []
        for _ in range(n_trials):
            a = torch.randn(8, k, generator=g)
            b = torch.randn(k, 8, generator=g)
            exact = a.double() @ b.double()
            errs.append(float(torch.linalg.norm(reference(a, b, block, acc).double() - exact) / torch.linalg.norm(exact)))
        want.append(np.mean(errs))
    ks_before = list(ks)
    got = kata.error_vs_k(ks, acc, block, n_trials, seed)
    assert ks == ks_before, f"error_vs_k changed its list ks from {ks_before} to {ks}: inputs are not modified"
    assert_close(got, np.array(want), rtol=1e-12, atol=0,
                 call=describe_call("error_vs_k", ks, acc, block, n_trials, seed) +
                 " (per K in order, per trial: a = randn(8, K), then b = randn(K, 8), from one generator; the mean)")


def test_rejects_invalid_inputs(kata):
    a, b = torch.zeros(2, 3), torch.zeros(3, 2)
    bad = [((a.double(), b, 1, torch.float32), "a float64 a"), ((a, b.half(), 1, torch.float32), "a float16 b"),
           ((a, torch.zeros(4, 2), 1, torch.float32), "inner sizes that differ"), ((a[0], b, 1, torch.float32), "a 1-D a"),
           ((a, b, 0, torch.float32), "block_k=0"), ((a, b, -2, torch.float32), "block_k=-2"),
           ((a, b, 1, torch.int32), "an integer acc_dtype")]
    for args, why in bad:
        with pytest.raises(ValueError):
            kata.blocked_matmul(*args)
            pytest.fail(f"blocked_matmul accepted {why}; expected ValueError")
    for args, why in ((([], torch.float16, 1, 1, 0), "no ks"), (([0, 4], torch.float16, 1, 1, 0), "K = 0"),
                      (([4, -1], torch.float16, 1, 1, 0), "K = -1"),
                      (([4], torch.float16, 1, 0, 0), "n_trials=0")):
        with pytest.raises(ValueError):
            kata.error_vs_k(*args)
            pytest.fail(f"error_vs_k accepted {why}; expected ValueError")
    for args, why in ((([4, 8], np.array([1.0])), "lengths that differ"), (([4], np.array([1.0])), "one point"),
                      (([4, 4], np.array([1.0, 2.0])), "one distinct K"), (([4, 8], np.array([1.0, 0.0])), "a zero error"),
                      (([0, 8], np.array([1.0, 2.0])), "K = 0")):
        with pytest.raises(ValueError):
            kata.loglog_slope(*args)
            pytest.fail(f"loglog_slope accepted {why}; expected ValueError")

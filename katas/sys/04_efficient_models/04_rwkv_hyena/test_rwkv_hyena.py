"""Tests for sys-04-4, RWKV's WKV recurrence against its parallel form, and Hyena's FFT long convolution.

References: the WKV definition (RWKV-4, eq. 14) evaluated term by term in float64 numpy (with a per-
step max shift so large keys do not overflow); numpy.convolve per channel for the causal long
convolution; the aten operators a call dispatches (recorded with TorchDispatchMode) to check that
the convolution goes through the FFT.
"""
import numpy as np
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from torch.utils._python_dispatch import TorchDispatchMode

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call


def reference_wkv(w, u, k, v):
    """wkv_t = (sum_{i<t} e^{-(t-1-i) w + k_i} v_i + e^{u + k_t} v_t) / (same without v), per channel."""
    w, u, k, v = (np.asarray(x, dtype=np.float64) for x in (w, u, k, v))
    T, C = k.shape
    out = np.empty((T, C))
    for t in range(T):
        s = np.array([-(t - 1 - i) * w + k[i] for i in range(t)] + [u + k[t]])  # (t + 1, C)
        e = np.exp(s - s.max(axis=0))
        out[t] = (e * v[: t + 1]).sum(0) / e.sum(0)
    return out


def draw_wkv(seed, T, C, dtype, key_scale):
    g = torch.Generator().manual_seed(seed)
    w = torch.rand(C, generator=g, dtype=torch.float64) * 2         # decay rates e^{-w} in (0.13, 1]
    u = torch.randn(C, generator=g, dtype=torch.float64)
    k = torch.randn(T, C, generator=g, dtype=torch.float64) * key_scale
    v = torch.randn(T, C, generator=g, dtype=torch.float64)
    return tuple(x.to(dtype) for x in (w, u, k, v))


TOL = {torch.float32: dict(rtol=1e-4, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}
SHAPE = dict(T=st.integers(1, 12), C=st.integers(1, 4))


@given(seed=seeds(), **SHAPE, dtype=torch_float_dtypes(), key_scale=st.sampled_from([1.0, 5.0]))
@example(seed=0, T=1, C=1, dtype=torch.float64, key_scale=1.0)
def test_parallel_form_matches_the_definition(kata, seed, T, C, dtype, key_scale):
    w, u, k, v = draw_wkv(seed, T, C, dtype, key_scale)
    call = describe_call("wkv_parallel", w, u, k, v)
    got = call_unmodified(kata.wkv_parallel, w, u, k, v, fn_name="wkv_parallel")
    assert_dtype(got, k, call=call)
    assert_close(got, reference_wkv(w, u, k, v), **TOL[dtype], call=call)


@given(seed=seeds(), **SHAPE, dtype=torch_float_dtypes(), key_scale=st.sampled_from([1.0, 5.0]))
@example(seed=0, T=1, C=1, dtype=torch.float64, key_scale=1.0)
def test_recurrence_equals_the_parallel_form(kata, seed, T, C, dtype, key_scale):
    w, u, k, v = draw_wkv(seed, T, C, dtype, key_scale)
    call = describe_call("wkv_recurrent", w, u, k, v)
    got, state = call_unmodified(kata.wkv_recurrent, w, u, k, v, fn_name="wkv_recurrent")
    assert_dtype(got, k, call=call)
    assert_close(got, reference_wkv(w, u, k, v), **TOL[dtype], call=call, name="outputs (vs the definition)")
    assert_close(got, kata.wkv_parallel(w, u, k, v), **TOL[dtype], call=call, name="outputs (vs wkv_parallel)")
    assert len(state) == 3, f"{call} returned a state of {len(state)} parts, expected (a, b, p)"


@given(seed=seeds(), T=st.integers(2, 12), C=st.integers(1, 3), data=st.data())
def test_carried_state_continues_the_sequence(kata, seed, T, C, data):
    """Running the first `split` steps, then the rest from the returned state, gives the outputs of one run."""
    split = data.draw(st.integers(1, T - 1), label="split")
    w, u, k, v = draw_wkv(seed, T, C, torch.float64, 3.0)
    whole, _ = kata.wkv_recurrent(w, u, k, v)
    first, state = kata.wkv_recurrent(w, u, k[:split], v[:split])
    second, _ = kata.wkv_recurrent(w, u, k[split:], v[split:], state)
    assert_close(torch.cat([first, second]), whole, rtol=1e-12, atol=1e-12,
                 call=f"wkv_recurrent on steps [0, {split}) then [{split}, {T}) with the carried state")


@given(seed=seeds(), T=st.integers(1, 10), C=st.integers(1, 3))
@example(seed=0, T=10, C=2)
def test_recurrence_is_stable_for_huge_keys(kata, seed, T, C):
    """Keys of size ~200 overflow e^k in float32 (and ~800 in float64); the max-shifted recurrence must
    stay finite and exact, as RWKV's kernel does."""
    w, u, k, v = draw_wkv(seed, T, C, torch.float32, 200.0)
    got, _ = kata.wkv_recurrent(w, u, k, v)
    call = describe_call("wkv_recurrent", w, u, k, v)
    assert torch.isfinite(got).all(), f"{call} with keys up to {float(k.abs().max()):.0f} returned inf or NaN: keep a running max p"
    assert_close(got, reference_wkv(w, u, k, v), rtol=1e-4, atol=1e-4, call=call)


class OpRecorder(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.ops = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops.append(str(func))
        return func(*args, **(kwargs or {}))


def reference_conv(u, h, d):
    u, h = np.asarray(u, dtype=np.float64), np.asarray(h, dtype=np.float64)
    T, C = u.shape
    y = np.stack([np.convolve(u[:, c], h[:, c])[:T] for c in range(C)], axis=1)
    return y if d is None else y + np.asarray(d, dtype=np.float64) * u


@given(seed=seeds(), T=st.integers(1, 64), C=st.integers(1, 4), dtype=torch_float_dtypes(), skip=st.booleans())
@example(seed=0, T=1, C=1, dtype=torch.float64, skip=False)
@example(seed=1, T=8, C=2, dtype=torch.float64, skip=False)  # a circular (unpadded) FFT wraps the tail around
def test_fft_long_conv_equals_direct_causal_convolution(kata, seed, T, C, dtype, skip):
    g = torch.Generator().manual_seed(seed)
    u = torch.randn(T, C, generator=g, dtype=torch.float64).to(dtype)
    h = (torch.randn(T, C, generator=g, dtype=torch.float64) * torch.exp(-0.1 * torch.arange(T))[:, None]).to(dtype)
    d = torch.randn(C, generator=g, dtype=torch.float64).to(dtype) if skip else None
    call = describe_call("fft_long_conv", u, h, d)
    recorder = OpRecorder()
    with recorder:
        got = call_unmodified(kata.fft_long_conv, u, h, d, fn_name="fft_long_conv")
    assert_dtype(got, u, call=call)
    # float32 FFT of length 2T <= 128: rounding of order 1e-6 times the sum of |terms|.
    tol = dict(rtol=1e-4, atol=1e-4) if dtype == torch.float32 else dict(rtol=1e-9, atol=1e-10)
    assert_close(got, reference_conv(u, h, d), **tol, call=call)
    assert any("_fft_" in op for op in recorder.ops), (
        f"{call} dispatched {sorted(set(recorder.ops))}: no FFT; the point is O(T log T) via torch.fft.rfft/irfft")
    slow = [op for op in recorder.ops if any(name in op for name in ("convolution", "aten.mm", "aten.bmm", "aten.matmul"))]
    assert not slow, f"{call} used {slow}: a direct O(T^2) convolution, not the FFT"

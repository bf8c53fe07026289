"""Tests for nlp-20-1, a selective state-space (Mamba S6) layer from scratch.

References: scipy.signal.cont2discrete (zero-order hold) for the discretization; a float64 numpy loop
over time written from the recurrence for the selective scan; scipy.signal.lfilter for the
time-invariant special case (each state channel is a first-order IIR filter); the parallel scan must
equal the recurrent one and use O(log L) rounds, counted as multiplications dispatched to aten.
"""
import math

import numpy as np
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import signal
from torch.utils._python_dispatch import TorchDispatchMode

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call


def scan_inputs(seed: int, batch: int, length: int, d: int, n: int, dtype: torch.dtype) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, length, d, generator=g, dtype=torch.float64)
    delta = torch.nn.functional.softplus(torch.randn(batch, length, d, generator=g, dtype=torch.float64))
    A = -torch.rand(d, n, generator=g, dtype=torch.float64) * 2 - 0.05
    B = torch.randn(batch, length, n, generator=g, dtype=torch.float64)
    C = torch.randn(batch, length, n, generator=g, dtype=torch.float64)
    D = torch.randn(d, generator=g, dtype=torch.float64)
    return [t.to(dtype) for t in (x, delta, A, B, C, D)]


def loop_reference(x, delta, A, B, C, D) -> np.ndarray:
    x, delta, A, B, C, D = (t.detach().double().numpy() for t in (x, delta, A, B, C, D))
    batch, length, d = x.shape
    y = np.zeros_like(x)
    for b in range(batch):
        h = np.zeros(A.shape)
        for t in range(length):
            dA = delta[b, t][:, None] * A
            h = np.exp(dA) * h + (np.expm1(dA) / A) * B[b, t][None, :] * x[b, t][:, None]
            y[b, t] = h @ C[b, t] + D * x[b, t]
    return y


SHAPES = dict(batch=st.integers(1, 2), length=st.integers(1, 20), d=st.integers(1, 4), n=st.integers(1, 4))
TOL = {torch.float32: dict(rtol=1e-4, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}


@given(n=st.integers(1, 5), d=st.integers(1, 3), seed=seeds())
@example(n=1, d=1, seed=0)
def test_discretize_is_zero_order_hold(kata, n, d, seed):
    rng = np.random.default_rng(seed)
    A = torch.tensor(-rng.uniform(0.05, 3.0, (d, n)))
    delta = torch.tensor(rng.uniform(0.01, 2.0, (d, 1)))
    B = torch.tensor(rng.normal(size=(n,)))
    call = describe_call("discretize", A, delta, B)
    A_bar, B_bar = call_unmodified(kata.discretize, A, delta, B)
    assert_shape(A_bar, (d, n), name="A_bar", call=call)
    assert_shape(B_bar, (d, n), name="B_bar", call=call)
    for c in range(d):
        Ad, Bd, *_ = signal.cont2discrete((np.diag(A[c].numpy()), B.numpy()[:, None], np.eye(n), np.zeros((n, 1))),
                                          float(delta[c, 0]), method="zoh")
        assert_close(A_bar[c], np.diag(Ad), rtol=1e-9, atol=1e-12, name=f"A_bar of channel {c} (exp(delta A))", call=call)
        assert_close(B_bar[c], Bd[:, 0], rtol=1e-9, atol=1e-12,
                     name=f"B_bar of channel {c} ((exp(delta A) - 1) / A * B, zero-order hold)", call=call)


@given(**SHAPES, dtype=torch_float_dtypes(), seed=seeds())
@example(batch=1, length=1, d=1, n=1, dtype=torch.float64, seed=0)
def test_recurrent_scan_matches_the_loop(kata, batch, length, d, n, dtype, seed):
    args = scan_inputs(seed, batch, length, d, n, dtype)
    call = describe_call("selective_scan_recurrent", *args)
    got = call_unmodified(kata.selective_scan_recurrent, *args)
    assert_shape(got, (batch, length, d), call=call)
    assert_dtype(got, args[0], call=call)
    # float32: exp and a sum over n states per step, accumulated over up to 20 steps.
    assert_close(got, loop_reference(*args), **TOL[dtype], call=call)


@given(**SHAPES, dtype=torch_float_dtypes(), seed=seeds())
@example(batch=1, length=1, d=1, n=1, dtype=torch.float32, seed=0)
@example(batch=1, length=3, d=2, n=2, dtype=torch.float64, seed=1)    # not a power of two
@example(batch=2, length=17, d=1, n=3, dtype=torch.float64, seed=2)
def test_parallel_scan_matches_the_loop(kata, batch, length, d, n, dtype, seed):
    args = scan_inputs(seed, batch, length, d, n, dtype)
    call = describe_call("selective_scan_parallel", *args)
    got = call_unmodified(kata.selective_scan_parallel, *args)
    assert_dtype(got, args[0], call=call)
    assert_close(got, loop_reference(*args), **TOL[dtype], call=call)


@given(length=st.integers(1, 40), seed=seeds())
@example(length=1, seed=0)
@example(length=5, seed=0)
def test_associative_scan_solves_the_linear_recurrence(kata, length, seed):
    g = torch.Generator().manual_seed(seed)
    a = torch.rand(2, length, 3, generator=g, dtype=torch.float64)
    b = torch.randn(2, length, 3, generator=g, dtype=torch.float64)
    call = describe_call("associative_scan", a, b)
    got = call_unmodified(kata.associative_scan, a, b)
    want = np.zeros((2, length, 3))
    h = np.zeros((2, 3))
    for t in range(length):
        h = a[:, t].numpy() * h + b[:, t].numpy()
        want[:, t] = h
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="h_t = a_t h_{t-1} + b_t", call=call)


class CountMul(TorchDispatchMode):
    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func.overloadpacket in (torch.ops.aten.mul, torch.ops.aten.mul_, torch.ops.aten.addcmul):
            self.n += 1
        return func(*args, **(kwargs or {}))


@settings(max_examples=5)
@given(length=st.sampled_from([64, 100, 256]))
def test_associative_scan_takes_logarithmic_rounds(kata, length):
    a, b = torch.rand(1, length, 2), torch.randn(1, length, 2)
    counter = CountMul()
    with counter:
        kata.associative_scan(a, b)
    rounds = math.ceil(math.log2(length))
    assert counter.n <= 4 * rounds + 4, (
        f"associative_scan on length {length} dispatched {counter.n} multiplications; a parallel scan needs "
        f"O(log L) vectorised rounds (about {2 * rounds}), a loop over time needs about {2 * length}")


@given(length=st.integers(1, 16), d=st.integers(1, 3), n=st.integers(1, 3), seed=seeds())
def test_time_invariant_case_is_an_iir_filter(kata, length, d, n, seed):
    rng = np.random.default_rng(seed)
    x = torch.tensor(rng.normal(size=(1, length, d)))
    delta = torch.tensor(rng.uniform(0.05, 1.5, d)).expand(1, length, d)
    A = torch.tensor(-rng.uniform(0.05, 3.0, (d, n)))
    B = torch.tensor(rng.normal(size=n)).expand(1, length, n)
    C = torch.tensor(rng.normal(size=n)).expand(1, length, n)
    D = torch.tensor(rng.normal(size=d))
    got = kata.selective_scan_parallel(x, delta, A, B, C, D)
    want = np.zeros((1, length, d))
    for c in range(d):
        dA = float(delta[0, 0, c]) * A[c].numpy()
        a_bar, b_bar = np.exp(dA), np.expm1(dA) / A[c].numpy() * B[0, 0].numpy()
        for s in range(n):
            want[0, :, c] += C[0, 0, s].item() * signal.lfilter([b_bar[s]], [1.0, -a_bar[s]], x[0, :, c].numpy())
        want[0, :, c] += D[c].item() * x[0, :, c].numpy()
    assert_close(got, want, rtol=1e-9, atol=1e-11, name="output (constant delta, B, C: a sum of first-order filters)",
                 call=describe_call("selective_scan_parallel", x, delta, A, B, C, D))


@given(d_model=st.integers(1, 20), d_state=st.integers(1, 4), dt_rank=st.one_of(st.none(), st.integers(1, 3)),
       length=st.integers(1, 12), seed=seeds())
@example(d_model=17, d_state=2, dt_rank=None, length=3, seed=0)   # default dt_rank = ceil(17 / 16) = 2
def test_layer_wiring(kata, d_model, d_state, dt_rank, length, seed):
    torch.manual_seed(seed)
    layer = kata.SelectiveSSM(d_model, d_state, dt_rank).double()
    with torch.no_grad():
        layer.A_log.add_(0.1 * torch.randn_like(layer.A_log))
        layer.D.add_(0.1 * torch.randn_like(layer.D))
    x = torch.randn(2, length, d_model, dtype=torch.float64)
    rank = dt_rank or math.ceil(d_model / 16)
    assert layer.x_proj.out_features == rank + 2 * d_state and layer.dt_proj.in_features == rank, (
        f"SelectiveSSM({d_model}, {d_state}, {dt_rank}): x_proj has {layer.x_proj.out_features} outputs and dt_proj "
        f"{layer.dt_proj.in_features} inputs; expected dt_rank + 2 d_state = {rank + 2 * d_state} and dt_rank = {rank}")
    proj = layer.x_proj(x)
    dt, B, C = proj[..., :rank], proj[..., rank:rank + d_state], proj[..., rank + d_state:]
    delta = torch.nn.functional.softplus(layer.dt_proj(dt))
    A = -torch.exp(layer.A_log)
    want = loop_reference(x, delta, A, B, C, layer.D)
    got = layer(x)
    assert_close(got, want, rtol=1e-9, atol=1e-11, name="layer output",
                 call=f"SelectiveSSM({d_model}, {d_state}, {dt_rank})(x={list(x.shape)})")
    got.sum().backward()
    assert layer.A_log.grad is not None and torch.isfinite(layer.A_log.grad).all(), "no finite gradient reached A_log"


@given(length=st.integers(2, 12), cut=st.integers(1, 11), seed=seeds())
def test_layer_is_causal(kata, length, cut, seed):
    cut = cut % length
    torch.manual_seed(seed)
    layer = kata.SelectiveSSM(4, 3).double()
    x = torch.randn(1, length, 4, dtype=torch.float64)
    x2 = x.clone()
    x2[:, cut:] += torch.randn(1, length - cut, 4, dtype=torch.float64)
    with torch.no_grad():
        y, y2 = layer(x), layer(x2)
    assert_close(y2[:, :cut], y[:, :cut], rtol=0, atol=1e-12, name=f"outputs before position {cut}",
                 call=f"SelectiveSSM(4, 3) on inputs changed from position {cut} on")

"""Tests for nlp-18-3, flash vs standard attention at growing sequence lengths.

References: the largest tensor storage and the matmul FLOPs of small functions whose answers are known
in closed form (2 m n p per matmul; the bytes of the biggest intermediate); torch.utils.flop_counter's
counts and the closed forms 4 T^2 d FLOPs, T^2 vs max(T d, block^2) bytes for the sweep;
numpy.polyfit for the log-log slope; the figure's structure. Timings are printed by the benchmark only.
"""
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, describe_call


@given(n=st.integers(1, 12), m=st.integers(1, 12), p=st.integers(1, 12), dtype=torch_float_dtypes(), seed=seeds())
@example(n=1, m=1, p=1, dtype=torch.float32, seed=0)
def test_peak_tensor_bytes_of_known_functions(kata, n, m, p, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    a = torch.randn(n, generator=g).to(dtype)
    b = torch.randn(p, generator=g).to(dtype)
    item = a.element_size()
    result, peak = kata.peak_tensor_bytes(lambda x, y: torch.outer(x, y).exp().sum(), a, b)
    assert peak == n * p * item, (
        f"peak_tensor_bytes(outer(a, b).exp().sum(), a={n}, b={p}, {dtype}) = {peak}, expected {n * p * item}: "
        f"the (n, p) outer product is the largest tensor any operation returns")
    assert_close(result, torch.outer(a, b).exp().sum(), rtol=1e-6, atol=0, name="returned result",
                 call="peak_tensor_bytes(outer(a, b).exp().sum(), a, b)")
    mat = torch.randn(n, m, generator=g).to(dtype)
    vec = torch.randn(m, generator=g).to(dtype)
    _, peak = kata.peak_tensor_bytes(lambda x, y: torch.tanh(x @ y) * 2, mat, vec)
    assert peak == n * item, (f"peak_tensor_bytes(tanh(mat @ vec) * 2, mat=({n}, {m}), vec=({m},)) = {peak}, "
                              f"expected {n * item}: inputs are not produced by the function and do not count")


@given(n=st.integers(1, 10), m=st.integers(1, 10), p=st.integers(1, 10), seed=seeds())
def test_matmul_flops_of_known_functions(kata, n, m, p, seed):
    g = torch.Generator().manual_seed(seed)
    a, b = torch.randn(n, m, generator=g), torch.randn(m, p, generator=g)
    result, flops = kata.matmul_flops(lambda x, y: (x @ y).relu() @ y.T, a, b)
    want = 2 * n * m * p + 2 * n * p * m
    assert int(flops) == want, (f"matmul_flops((a @ b).relu() @ b.T, a=({n}, {m}), b=({m}, {p})) = {flops}, expected "
                                f"{want}: 2 m n p per (m, n) @ (n, p) matmul (a multiply and an add)")
    assert_close(result, (a @ b).relu() @ b.T, rtol=1e-6, atol=1e-6, name="returned result",
                 call="matmul_flops((a @ b).relu() @ b.T, a, b)")


@settings(max_examples=8)
@given(lengths=st.lists(st.integers(1, 80), min_size=1, max_size=3), d=st.sampled_from([4, 16]),
       block=st.sampled_from([8, 16, 32]))
@example(lengths=[8, 16], d=16, block=8)
@example(lengths=np.array([5, 12], dtype=np.int32), d=4, block=8)   # lengths given as an int32 array
def test_sweep_counts(kata, lengths, d, block):
    call = describe_call("sweep", lengths, d, block)
    got = kata.sweep(lengths, d, block)
    t = np.asarray(lengths, dtype=np.int64)
    want = {"seq_len": t, "standard_flops": 4 * t * t * d, "flash_flops": 4 * t * t * d,
            "standard_peak_bytes": 4 * np.maximum(t * t, t * d),
            "flash_peak_bytes": 4 * np.maximum(t * d, np.minimum(block, t) ** 2)}
    assert set(got) == set(want), f"{call} returned keys {sorted(got)}, expected {sorted(want)}"
    for key, value in want.items():
        assert_dtype(got[key], np.int64, name=f"{key} (int64 whatever the type of lengths)", call=call)
        assert_equal(np.asarray(got[key]), value, name=key, call=call)


@given(xs=st.lists(st.integers(1, 10_000), min_size=2, max_size=6, unique=True),
       power=st.sampled_from([0.0, 1.0, 2.0, 0.5]), noise=st.booleans(), seed=seeds())
@example(xs=[1, 2], power=2.0, noise=False, seed=0)
def test_loglog_slope(kata, xs, power, noise, seed):
    x = np.asarray(xs, dtype=np.float64)
    y = 3.0 * x ** power * (np.exp(np.random.default_rng(seed).normal(0, 0.2, len(x))) if noise else 1)
    got = kata.loglog_slope(x, y)
    want = np.polyfit(np.log(x), np.log(y), 1)[0]
    assert_close(float(got), want, rtol=1e-9, atol=1e-9, name="least-squares slope of log y on log x",
                 call=describe_call("loglog_slope", x, y))


def test_loglog_slope_needs_two_points(kata):
    with pytest.raises(ValueError):
        kata.loglog_slope(np.array([4.0]), np.array([2.0]))


def test_measured_growth(kata):
    result = kata.sweep([64, 128, 256, 512], 16, 32)
    slopes = {k: kata.loglog_slope(result["seq_len"], result[k]) for k in result if k != "seq_len"}
    assert abs(slopes["standard_flops"] - 2) < 0.05 and abs(slopes["flash_flops"] - 2) < 0.05, (
        f"both algorithms do the same quadratic work: FLOP slopes {slopes}")
    assert abs(slopes["standard_peak_bytes"] - 2) < 0.05 and abs(slopes["flash_peak_bytes"] - 1) < 0.05, (
        f"standard attention's largest tensor grows as T^2, flash's as T (its output): slopes {slopes}")


@settings(max_examples=2)
@given(lengths=st.lists(st.integers(2, 64), min_size=2, max_size=4, unique=True))
def test_plot_sweep(kata, lengths):
    lengths = sorted(lengths)
    t = np.asarray(lengths)
    result = {"seq_len": t, "standard_flops": 4 * t * t * 8, "flash_flops": 4 * t * t * 8 + 1,
              "standard_peak_bytes": 4 * t * t, "flash_peak_bytes": 4 * t * 8}
    fig = kata.plot_sweep(result)
    try:
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 2, f"plot_sweep: {len(axes)} axes with lines, expected 2 (FLOPs, largest tensor)"
        for ax, key, ylabel in ((axes[0], "flops", "matmul FLOPs"), (axes[1], "peak_bytes", "largest tensor (bytes)")):
            assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log"), f"plot_sweep: {ylabel} axes not log-log"
            assert (ax.get_xlabel(), ax.get_ylabel()) == ("sequence length", ylabel), (
                f"plot_sweep: labels {ax.get_xlabel()!r}, {ax.get_ylabel()!r}; expected 'sequence length', {ylabel!r}")
            lines = {line.get_label(): line for line in ax.get_lines()}
            assert set(lines) == {"standard", "flash"}, f"plot_sweep: line labels {sorted(lines)} on the {ylabel} axes"
            for name, line in lines.items():
                assert_close(np.asarray(line.get_xdata(), float), t, rtol=0, atol=0, name=f"{name} x data",
                             call="plot_sweep")
                assert_close(np.asarray(line.get_ydata(), float), result[f"{name}_{key}"], rtol=0, atol=0,
                             name=f"{name} {ylabel}", call="plot_sweep")
    finally:
        plt.close(fig)


@pytest.mark.benchmark
def test_benchmark_flash_vs_standard(kata):
    print("\n seq_len   standard ms   flash ms   standard peak MB   flash peak MB   (float32, 4 heads, d=64, block 128)")
    for t in (256, 512, 1024, 2048):
        q, k, v = (torch.randn(1, 4, t, 64) for _ in range(3))
        times = []
        for fn, args in ((kata.standard_attention, ()), (kata.flash_attention, (128,))):
            fn(q, k, v, *args)
            t0 = time.perf_counter()
            fn(q, k, v, *args)
            times.append((time.perf_counter() - t0) * 1e3)
        peaks = [kata.peak_tensor_bytes(kata.standard_attention, q, k, v)[1] / 2**20,
                 kata.peak_tensor_bytes(kata.flash_attention, q, k, v, 128)[1] / 2**20]
        print(f"{t:8d}   {times[0]:11.1f}   {times[1]:8.1f}   {peaks[0]:16.1f}   {peaks[1]:13.1f}")

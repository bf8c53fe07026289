"""Tests for nlp-20-3, memory and throughput of SSM vs transformer decoding.

References: the bytes the given decoders really carry (nelement * element_size of their state and
caches) for the closed forms; a TorchDispatchMode written here that counts the bytes of the tensor
arguments of every non-view aten op, for small functions with hand-counted answers and for the profile;
the growth laws that follow (SSM reads a constant number of bytes per token, attention a number
growing linearly, exactly); the figure's structure. Wall-clock throughput is printed by the benchmark.
"""
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, describe_call


class Reads(TorchDispatchMode):
    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if not func.is_view:
            self.total += sum(t.nelement() * t.element_size() for t in tree_leaves((args, kwargs or {}))
                              if isinstance(t, torch.Tensor))
        return func(*args, **(kwargs or {}))


@given(length=st.integers(1, 30), d_model=st.integers(1, 6), d_state=st.integers(1, 6), n_layers=st.integers(1, 4),
       dtype=torch_float_dtypes())
@example(length=1, d_model=1, d_state=1, n_layers=1, dtype=torch.float32)
def test_carried_bytes_match_the_decoders(kata, length, d_model, d_state, n_layers, dtype):
    args = [t.to(dtype) for t in kata.ssm_inputs(length, d_model, d_state)]
    _, ssm_sizes = kata.ssm_stream(*args)
    q = torch.zeros(1, length, d_model, dtype=dtype)
    _, kv_sizes = kata.attention_stream(q, q, q)
    item = q.element_size()
    for kind, measured in (("ssm", ssm_sizes[-1]), ("attention", kv_sizes[-1])):
        got = kata.carried_bytes(kind, length, d_model, d_state, n_layers, item)
        assert int(got) == n_layers * measured, (
            f"{describe_call('carried_bytes', kind, length, d_model, d_state, n_layers, item)} = {got}, but the "
            f"given decoder carries {measured} bytes per layer after {length} tokens ({n_layers * measured} in all)")


def test_carried_bytes_rejects_unknown_kind(kata):
    with pytest.raises(ValueError):
        kata.carried_bytes("rnn", 4, 2, 2, 1, 4)


@given(n=st.integers(2, 20), dtype=torch_float_dtypes(), seed=seeds())
@example(n=2, dtype=torch.float32, seed=0)
def test_bytes_read_of_known_functions(kata, n, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    a, b = (torch.randn(n, generator=g, dtype=torch.float64).to(dtype) for _ in range(2))
    item = a.element_size()
    result, read = kata.bytes_read(lambda x, y: (x * y).sum(), a, b)
    assert int(read) == 3 * n * item, (
        f"bytes_read((a * b).sum(), a, b) with {n} {dtype} elements = {read}, expected {3 * n * item}: mul reads a "
        f"and b, sum reads their product")
    assert_close(result, (a * b).sum(), rtol=1e-6, atol=1e-6, name="returned result", call="bytes_read")
    _, read = kata.bytes_read(lambda x: x[1:].exp(), a)
    assert int(read) == (n - 1) * item, (
        f"bytes_read(a[1:].exp(), a) = {read}, expected {(n - 1) * item}: the slice is a view (no data moves, not "
        f"counted), exp reads the {n - 1} elements it sees")


@settings(max_examples=5)
@given(lengths=st.lists(st.integers(1, 60), min_size=1, max_size=3), d_model=st.integers(1, 4),
       d_state=st.integers(1, 4))
@example(lengths=[5, 10], d_model=2, d_state=3)
def test_profile_counts(kata, lengths, d_model, d_state):
    call = describe_call("profile", lengths, d_model, d_state)
    got = kata.profile(lengths, d_model, d_state)
    want = {k: [] for k in ("ssm_read", "attention_read", "ssm_carried", "attention_carried")}
    for length in lengths:
        args = kata.ssm_inputs(length, d_model, d_state)
        counter = Reads()
        with counter:
            _, sizes = kata.ssm_stream(*args)
        want["ssm_read"].append(counter.total)
        want["ssm_carried"].append(sizes[-1])
        q = torch.randn(1, length, d_model)
        counter = Reads()
        with counter:
            _, sizes = kata.attention_stream(q, q, q)
        want["attention_read"].append(counter.total)
        want["attention_carried"].append(sizes[-1])
    assert set(got) == set(want) | {"length"}, f"{call} returned keys {sorted(got)}"
    assert_equal(np.asarray(got["length"]), lengths, name="length", call=call)
    for key, value in want.items():
        assert_equal(np.asarray(got[key]), value, name=key, call=call)
    for key in got:
        assert_dtype(got[key], np.int64, name=f"{key} (the docstring promises int64 arrays)", call=call)


def test_growth_laws(kata):
    result = kata.profile([8, 16, 32, 64, 128], 4, 8)
    n = result["length"].astype(float)
    per_token = result["ssm_read"] / n
    assert np.allclose(per_token, per_token[0]), f"SSM bytes read per token {per_token} should not depend on the length"
    coeffs = np.polyfit(n, result["attention_read"].astype(float), 2)
    fitted = np.polyval(coeffs, n)
    assert coeffs[0] > 0 and np.allclose(fitted, result["attention_read"], rtol=1e-9), (
        f"attention bytes read {result['attention_read']} should be exactly quadratic in the length")
    assert np.all(result["ssm_carried"] == result["ssm_carried"][0])
    assert np.all(np.diff(result["attention_carried"]) > 0)


@settings(max_examples=2)
@given(lengths=st.lists(st.integers(2, 200), min_size=2, max_size=4, unique=True))
def test_plot_profile(kata, lengths):
    n = np.asarray(sorted(lengths))
    result = {"length": n, "ssm_read": 100 * n, "attention_read": n * n + 7 * n, "ssm_carried": np.full(len(n), 64),
              "attention_carried": 32 * n}
    fig = kata.plot_profile(result)
    try:
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 2, f"plot_profile: {len(axes)} axes with lines, expected 2"
        for ax, ylabel, key, scale in ((axes[0], "carried state (bytes)", "carried", 1),
                                       (axes[1], "bytes read per token", "read", n)):
            assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log"), f"plot_profile: {ylabel!r} axes not log-log"
            assert (ax.get_xlabel(), ax.get_ylabel()) == ("sequence length", ylabel), (
                f"plot_profile: labels {ax.get_xlabel()!r}, {ax.get_ylabel()!r}; expected 'sequence length', {ylabel!r}")
            lines = {line.get_label(): line for line in ax.get_lines()}
            assert set(lines) == {"SSM", "attention"}, f"plot_profile: line labels {sorted(lines)} on {ylabel!r}"
            for label, name in (("SSM", "ssm"), ("attention", "attention")):
                assert_close(np.asarray(lines[label].get_ydata(), float), result[f"{name}_{key}"] / scale, rtol=1e-12,
                             atol=0, name=f"{label} {ylabel}", call="plot_profile")
                assert_close(np.asarray(lines[label].get_xdata(), float), n, rtol=0, atol=0, name=f"{label} x data",
                             call="plot_profile")
    finally:
        plt.close(fig)


@pytest.mark.benchmark
def test_benchmark_decode_throughput(kata):
    print("\n length   SSM tokens/s   attention tokens/s   SSM carried   KV carried  (d_model 64, d_state 16, float32)")
    for length in (500, 1000, 2000, 4000):
        args = kata.ssm_inputs(length, 64, 16)
        t0 = time.perf_counter()
        kata.ssm_stream(*args)
        ssm = length / (time.perf_counter() - t0)
        q = torch.randn(1, length, 64)
        t0 = time.perf_counter()
        kata.attention_stream(q, q, q)
        att = length / (time.perf_counter() - t0)
        carried = [kata.carried_bytes(kind, length, 64, 16, 1, 4) for kind in ("ssm", "attention")]
        print(f"{length:7d}   {ssm:12.0f}   {att:18.0f}   {carried[0]:11d}   {carried[1]:10d}")

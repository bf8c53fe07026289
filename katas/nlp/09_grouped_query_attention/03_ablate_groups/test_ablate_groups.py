"""Tests for nlp-09-3, ablating the number of KV groups and plotting latency.

Reference: brute-force divisors; a scripted fake clock (each call of fn advances it by a chosen
amount) for the latency timer; the roofline closed form; the output error recomputed with
F.scaled_dot_product_attention(enable_gqa=True) on K/V weights mean-pooled in numpy (float64);
the cost model's closed forms; and the figure's structure and line data. The `benchmark` test
runs the real ablation with the real clock.
"""
import collections
import math
import statistics

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, describe_call, smoke

KEYS = ["groups", "output_error", "kv_cache_bytes", "flops", "bytes", "modelled_latency", "measured_latency"]


@given(n_heads=dims(1, 64))
@example(n_heads=1)
@example(n_heads=7)
@example(n_heads=12)
def test_group_counts_are_the_divisors(kata, n_heads):
    got = list(kata.group_counts(n_heads))
    want = [g for g in range(1, n_heads + 1) if n_heads % g == 0]
    assert got == want, f"group_counts({n_heads}) returned {got}, expected the divisors of {n_heads}, ascending: {want}"


class FakeClock:
    """A clock that only moves when fn runs: call i of fn advances it by durations[i]."""

    def __init__(self, durations: list[float]) -> None:
        self.now, self.durations, self.calls = 1000.0, durations, 0

    def timer(self) -> float:
        return self.now

    def fn(self) -> None:
        self.now += self.durations[self.calls]
        self.calls += 1


@given(repeats=dims(1, 9), warmup=dims(0, 3), data=st.data())
@example(repeats=5, warmup=1, data=None)
@example(repeats=4, warmup=2, data=None)
def test_measure_latency_is_the_median_after_warmup(kata, repeats, warmup, data):
    if data is None:   # a slow first call and one interrupted call: the median ignores both
        durations = [9.0] * warmup + [0.25, 0.5, 30.0, 0.375, 0.125][:repeats]
    else:
        durations = data.draw(st.lists(st.sampled_from([0.125, 0.25, 0.5, 1.0, 2.0, 64.0]), min_size=warmup + repeats,
                                       max_size=warmup + repeats), label="durations")
    clock = FakeClock(durations)
    call = describe_call("measure_latency", "fn", repeats=repeats, warmup=warmup, timer="fake clock") + \
        f" with fn durations {durations}"
    got = kata.measure_latency(clock.fn, repeats=repeats, warmup=warmup, timer=clock.timer)
    assert clock.calls == warmup + repeats, f"{call} called fn {clock.calls} times, expected warmup + repeats = {warmup + repeats}"
    timed = durations[warmup:]
    want = statistics.median(timed)
    hint = ""
    if math.isclose(got, statistics.mean(timed)) and not math.isclose(want, statistics.mean(timed)):
        hint = "the mean of the timed calls; use the median (robust to an interrupted call)"
    elif warmup and math.isclose(got, statistics.median(durations[:repeats])):
        hint = "the warm-up calls were timed; time only the calls after them"
    assert math.isclose(got, want, rel_tol=1e-12), f"{call} returned {got}, expected the median {want}" + (
        f"\n  looks like: {hint}" if hint else "")


@given(flops=st.floats(1.0, 1e15), moved=st.floats(1.0, 1e12), peak=st.sampled_from([1e12, 3.12e14, 1e11]),
       bandwidth=st.sampled_from([2e12, 1e11, 5e10]))
@example(flops=1e9, moved=1e9, peak=1e12, bandwidth=1e11)
def test_roofline_latency(kata, flops, moved, peak, bandwidth):
    call = describe_call("roofline_latency", flops, moved, peak, bandwidth)
    got = kata.roofline_latency(flops, moved, peak, bandwidth)
    want = max(flops / peak, moved / bandwidth)
    hint = " (the sum: compute and memory traffic overlap, the slower one sets the time)" if math.isclose(
        got, flops / peak + moved / bandwidth) else ""
    assert math.isclose(got, want, rel_tol=1e-12), f"{call} returned {got}, expected max(compute, memory) = {want}{hint}"


def reference_error(mha, x: torch.Tensor, g: int) -> float:
    """||GQA(x) - MHA(x)|| / ||MHA(x)|| with K/V heads mean-pooled in numpy and attention by SDPA(enable_gqa)."""
    b, seq, d = x.shape
    h, dh = mha.n_heads, mha.d_head
    r = h // g

    def pool(w: torch.Tensor) -> torch.Tensor:
        a = w.detach().numpy()
        return torch.from_numpy(a.reshape(g, r, dh, *a.shape[1:]).mean(axis=1).reshape(g * dh, *a.shape[1:]))

    def attn(wk, bk, wv, bv, n_kv):
        q = F.linear(x, mha.q_proj.weight, mha.q_proj.bias).view(b, seq, h, dh).transpose(1, 2)
        k = F.linear(x, wk, bk).view(b, seq, n_kv, dh).transpose(1, 2)
        v = F.linear(x, wv, bv).view(b, seq, n_kv, dh).transpose(1, 2)
        o = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        return F.linear(o.transpose(1, 2).reshape(b, seq, d), mha.out_proj.weight, mha.out_proj.bias)

    kp, vp = mha.k_proj, mha.v_proj
    full = attn(kp.weight, kp.bias, vp.weight, vp.bias, h)
    grouped = attn(pool(kp.weight), pool(kp.bias), pool(vp.weight), pool(vp.bias), g)
    return float(torch.linalg.norm(grouped - full) / torch.linalg.norm(full))


@settings(max_examples=10)  # each example converts and times every group count
@given(b=dims(1, 3), seq=dims(2, 6), n_heads=st.sampled_from([1, 2, 4, 6, 8]), d_head=dims(1, 3), seed=seeds(),
       peak=st.sampled_from([1e12, 1e9]), bandwidth=st.sampled_from([1e11, 1e8]), repeats=dims(1, 4))
@example(b=2, seq=5, n_heads=4, d_head=2, seed=0, peak=1e12, bandwidth=1e11, repeats=2)
def test_ablate_groups(kata, b, seq, n_heads, d_head, seed, peak, bandwidth, repeats):
    d_model = n_heads * d_head
    g = torch.Generator().manual_seed(seed)
    mha = kata.GroupedQueryAttention(d_model, n_heads, n_heads).double()
    with torch.no_grad():
        for p in mha.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.5)
    x = torch.randn(b, seq, d_model, generator=g, dtype=torch.float64)
    # The timer is a clock that advances by 1 for every decode step run (decode_step wrapped to count
    # its calls per number of KV heads): each timed call then lasts exactly 1.
    steps: collections.Counter[int] = collections.Counter()
    real_decode_step = kata.decode_step

    def counting_decode_step(attn, x_t, cache):
        steps[attn.n_kv_heads] += 1
        return real_decode_step(attn, x_t, cache)

    call = describe_call("ablate_groups", f"MHA(d_model={d_model}, n_heads={n_heads})", x, peak, bandwidth,
                         repeats=repeats, timer="a clock that advances 1 per decode_step call")
    kata.decode_step = counting_decode_step
    try:
        res = kata.ablate_groups(mha, x, peak, bandwidth, repeats=repeats, timer=lambda: float(steps.total()))
    finally:
        kata.decode_step = real_decode_step
    assert sorted(res) == sorted(KEYS), f"{call} returned keys {sorted(res)}, expected {sorted(KEYS)}"
    groups = [gg for gg in range(1, n_heads + 1) if n_heads % gg == 0]
    assert list(res["groups"]) == groups, f"{call}: groups {list(res['groups'])}, expected {groups}"
    for key in KEYS:
        assert len(res[key]) == len(groups), f"{call}: {key!r} has {len(res[key])} entries, expected {len(groups)}"
    ctx, s = seq - 1, 8
    flops = [2 * b * d_model * (2 * d_model + 2 * gg * d_head) + 4 * b * n_heads * seq * d_head for gg in groups]
    moved = [(2 * d_model * d_model + 2 * d_model * gg * d_head + 2 * d_model + 2 * gg * d_head
              + 2 * b * (ctx + 1) * gg * d_head) * s for gg in groups]
    assert_equal(np.array(res["flops"]), np.array(flops), name="flops", call=call)
    assert_equal(np.array(res["bytes"]), np.array(moved), name="bytes", call=call)
    assert_equal(np.array(res["kv_cache_bytes"]), np.array([2 * b * seq * gg * d_head * s for gg in groups]),
                 name="kv_cache_bytes (keys + values of all T positions, float64)", call=call)
    model = [max(f / peak, m / bandwidth) for f, m in zip(flops, moved, strict=True)]
    assert_close(res["modelled_latency"], model, rtol=1e-12, atol=0, name="modelled_latency", call=call)
    assert all(a <= c for a, c in zip(res["modelled_latency"], res["modelled_latency"][1:], strict=False)), \
        f"{call}: the modelled latency should never fall as the number of groups grows"
    with torch.no_grad():
        errors = [reference_error(mha, x, gg) for gg in groups]
    # float64 through two attentions and a norm ratio: 1e-9 covers the summation-order differences.
    assert_close(res["output_error"], errors, rtol=1e-9, atol=1e-12, name="output_error", call=call)
    assert res["output_error"][-1] < 1e-12, f"{call}: with n_kv_heads = n_heads the error must be 0, got {res['output_error'][-1]}"
    assert_close(res["measured_latency"], [1.0] * len(groups), rtol=0, atol=0,
                 name="measured_latency (each timed decode step lasts 1 on the clock passed as timer)", call=call)
    calls = [steps[gg] for gg in groups]
    assert calls == [repeats + 2] * len(groups), (
        f"{call}: decode_step ran {calls} times per group count, expected {repeats + 2} each: one to fill the cache "
        f"whose bytes are reported, then measure_latency with warmup=1 and repeats={repeats}")


@settings(max_examples=5)  # a figure per example costs ~50 ms; the structure does not depend on the numbers
@given(n=dims(1, 6), seed=seeds())
@example(n=4, seed=0)
def test_plot_latency(kata, n, seed):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    rng = np.random.default_rng(seed)
    groups = [2**i for i in range(n)]
    res = {"groups": groups, "modelled_latency": sorted(rng.uniform(1e-5, 1e-3, n).tolist()),
           "measured_latency": rng.uniform(1e-4, 1e-2, n).tolist(), "output_error": rng.uniform(0, 1, n).tolist()}
    fig = kata.plot_latency(res)
    call = describe_call("plot_latency", f"<{n} group counts>")
    try:
        assert isinstance(fig, Figure), f"{call} returned {type(fig).__name__}, expected a matplotlib Figure"
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 2, f"{call}: {len(axes)} axes hold lines, expected 2 (latency, error)"
        ax_time, ax_err = axes
        for ax in axes:
            assert ax.get_xlabel() == "KV groups", f"{call}: x label {ax.get_xlabel()!r}, expected 'KV groups'"
            base = getattr(ax.xaxis.get_transform(), "base", None)
            assert ax.get_xscale() == "log" and base == 2, (
                f"{call}: x scale {ax.get_xscale()!r} (base {base}), expected 'log' base 2")
        assert ax_time.get_ylabel() == "latency (s)", f"{call}: y label {ax_time.get_ylabel()!r}, expected 'latency (s)'"
        assert ax_err.get_ylabel() == "relative error vs MHA", \
            f"{call}: y label {ax_err.get_ylabel()!r}, expected 'relative error vs MHA'"
        lines = {ln.get_label(): ln for ln in ax_time.get_lines()}
        assert {"modelled", "measured"} <= set(lines), f"{call}: latency lines are labelled {sorted(lines)}"
        assert ax_time.get_legend() is not None, f"{call}: the latency axes has no legend"
        for label, key in (("modelled", "modelled_latency"), ("measured", "measured_latency")):
            assert_close(lines[label].get_xdata(), groups, rtol=0, atol=0, name=f"x data of {label!r}", call=call)
            assert_close(lines[label].get_ydata(), res[key], rtol=0, atol=0, name=f"y data of {label!r}", call=call)
        err_line = ax_err.get_lines()[0]
        assert_close(err_line.get_xdata(), groups, rtol=0, atol=0, name="x data of the error line", call=call)
        assert_close(err_line.get_ydata(), res["output_error"], rtol=0, atol=0, name="y data of the error line", call=call)
    finally:
        plt.close(fig)


@pytest.mark.benchmark
def test_benchmark_ablation(kata):
    torch.manual_seed(0)
    b, seq, d_model, n_heads = (2, 16, 32, 8) if smoke() else (32, 512, 512, 8)
    mha = kata.GroupedQueryAttention(d_model, n_heads, n_heads).eval()
    x = torch.randn(b, seq, d_model)
    # An A100-like roofline: 312 TFLOP/s (bf16 tensor cores), 2 TB/s of HBM bandwidth.
    res = kata.ablate_groups(mha, x, 312e12, 2e12, repeats=1 if smoke() else 5)
    print(f"\nbatch {b}, context {seq}, d_model {d_model}, {n_heads} heads, float32 on this CPU")
    for i, g in enumerate(res["groups"]):
        print(f"  G={g}: measured {res['measured_latency'][i] * 1e3:7.2f} ms, modelled (A100) "
              f"{res['modelled_latency'][i] * 1e6:7.1f} us, cache {res['kv_cache_bytes'][i] / 2**20:6.1f} MiB, "
              f"error {res['output_error'][i]:.3f}")

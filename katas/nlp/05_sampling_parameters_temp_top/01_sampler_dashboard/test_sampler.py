"""Tests for nlp-05-1, the sampler dashboard.

Reference: a float64 numpy pipeline written from the definitions (stable descending ranking,
exact top-k set, smallest prefix whose mass reaches p), the temperature limits (T -> 0 gives the
argmax, entropy grows with T), a chi-square test of many seeded draws against the filtered
distribution (scipy.stats.chisquare), and the structure and data of the dashboard figure.
"""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import dims, seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)

TEMPERATURES = st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 4.0])
P_VALUES = st.floats(0.015625, 1.0, width=32, exclude_min=False)
MARGIN = 1e-4  # top-p cut-offs closer than this to p are skipped: float32 cumsums drift by ~1e-6


def grid_logits(seed: int, shape: tuple[int, ...], spread: int = 12) -> torch.Tensor:
    """float32 logits on a grid of multiples of 1/4: many exact ties, and distinct values far apart."""
    rng = np.random.default_rng(seed)
    return torch.tensor(rng.integers(-spread, spread + 1, size=shape) / 4.0, dtype=torch.float32)


def ranking(row: np.ndarray) -> np.ndarray:
    """Token ids from most to least likely, ties toward the lower id."""
    return np.argsort(-row, kind="stable")


def softmax(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        z = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return z / z.sum(-1, keepdims=True)


def ref_top_k(row: np.ndarray, k: int | None) -> np.ndarray:
    keep = np.ones(row.shape, bool)
    if k is not None and k < len(row):
        keep[:] = False
        keep[ranking(row)[:k]] = True
    return keep


def ref_top_p(row: np.ndarray, p: float) -> tuple[np.ndarray, float]:
    """The kept mask, and how close any cumulative mass comes to p (for assume)."""
    if p == 1:
        return np.ones(row.shape, bool), math.inf
    order = ranking(row)
    probs = softmax(row)[order]
    cum = np.cumsum(probs)
    before = cum - probs
    keep = np.zeros(row.shape, bool)
    keep[order] = before < p
    live = probs > 0
    return keep, float(np.min(np.abs(cum[live] - p)))


def ref_distribution(row: np.ndarray, temperature: float, k: int | None, p: float) -> tuple[np.ndarray, float]:
    x = np.asarray(row, np.float64) / temperature
    x = np.where(ref_top_k(x, k), x, -np.inf)
    keep, gap = ref_top_p(x, p)
    x = np.where(keep, x, -np.inf)
    return softmax(x), gap


def kept_mask(call: str, got: torch.Tensor, logits: torch.Tensor) -> np.ndarray:
    """Which entries survived; checks that survivors are unchanged and the rest are -inf."""
    g = got.detach().double().numpy()
    x = logits.double().numpy()
    kept = np.isfinite(g)
    dropped_ok = np.all(g[~kept] == -np.inf)
    assert dropped_ok, f"{call}: filtered-out entries must be -inf, got values {np.unique(g[~kept])[:5]}"
    assert_equal(g[kept], x[kept], name="kept logits (must be returned unchanged)", call=call)
    return kept


@given(b=dims(1, 3), v=dims(1, 10), seed=seeds(), temperature=TEMPERATURES, dtype=torch_float_dtypes())
@example(b=1, v=4, seed=0, temperature=0.5, dtype=torch.float32)
@example(b=1, v=1, seed=0, temperature=2.0, dtype=torch.float64)
def test_temperature_divides_the_logits(kata, b, v, seed, temperature, dtype):
    logits = torch.randn(b, v, generator=torch.Generator().manual_seed(seed)).to(dtype)
    call = describe_call("apply_temperature", logits, temperature)
    got = call_unmodified(kata.apply_temperature, logits, temperature, fn_name="apply_temperature")
    assert_dtype(got, logits, call=call)
    # one float32 division per element on both sides.
    assert_close(got, logits.double().numpy() / temperature, rtol=1e-6, atol=1e-7, call=call)
    for bad in (0.0, -temperature):
        with pytest.raises(ValueError):
            kata.apply_temperature(logits, bad)
            pytest.fail(f"apply_temperature(logits, {bad}) returned instead of raising ValueError")


@given(b=dims(1, 4), v=dims(1, 12), k=st.integers(1, 14), seed=seeds(), spread=st.sampled_from([1, 2, 12]),
       dtype=torch_float_dtypes())
@example(b=1, v=5, k=2, seed=0, spread=1, dtype=torch.float32)       # heavy ties across the boundary
@example(b=2, v=6, k=6, seed=1, spread=12, dtype=torch.float32)      # k = V keeps everything
@example(b=1, v=1, k=1, seed=2, spread=12, dtype=torch.float64)
@example(b=2, v=6, k=3, seed=3, spread=12, dtype=torch.float64)
def test_top_k_keeps_exactly_the_k_largest(kata, b, v, k, seed, spread, dtype):
    logits = grid_logits(seed, (b, v), spread).to(dtype)
    call = describe_call("top_k_filter", logits, k)
    got = call_unmodified(kata.top_k_filter, logits, k, fn_name="top_k_filter")
    assert_dtype(got, logits, call=call)
    assert_shape(got, (b, v), call=call)
    kept = kept_mask(call, got, logits)
    want = np.stack([ref_top_k(row, k) for row in logits.double().numpy()])
    counts = kept.sum(-1)
    assert np.all(counts == min(k, v)), (
        f"{call} kept {counts.tolist()} tokens per row, expected exactly {min(k, v)}"
        + ("; ties at the k-th value must not all be kept (break them toward the lower id)" if np.any(counts > k) else ""))
    assert_equal(kept, want, name="kept mask (ties toward the lower token id)", call=call)


@given(b=dims(1, 3), v=dims(1, 6), seed=seeds())
def test_top_k_none_keeps_everything_and_k_below_one_is_rejected(kata, b, v, seed):
    logits = grid_logits(seed, (b, v))
    assert_equal(kata.top_k_filter(logits, None), logits, call=describe_call("top_k_filter", logits, None))
    with pytest.raises(ValueError):
        kata.top_k_filter(logits, 0)
        pytest.fail("top_k_filter(logits, 0) returned instead of raising ValueError")


@given(b=dims(1, 4), v=dims(1, 12), p=P_VALUES, seed=seeds(), spread=st.sampled_from([1, 3, 12]),
       dtype=torch_float_dtypes())
@example(b=1, v=4, p=0.5, seed=0, spread=1, dtype=torch.float32)
@example(b=1, v=5, p=1.0, seed=1, spread=12, dtype=torch.float64)
@example(b=2, v=8, p=0.015625, seed=2, spread=12, dtype=torch.float32)  # tiny p: only the top token survives
def test_top_p_keeps_the_smallest_prefix_reaching_p(kata, b, v, p, seed, spread, dtype):
    """Random rows whose cumulative masses are not within float32 drift of p (exact hits: the next test)."""
    logits = grid_logits(seed, (b, v), spread).to(dtype)
    refs = [ref_top_p(row, p) for row in logits.double().numpy()]
    assume(all(gap > MARGIN for _, gap in refs))
    call = describe_call("top_p_filter", logits, p)
    got = call_unmodified(kata.top_p_filter, logits, p, fn_name="top_p_filter")
    assert_dtype(got, logits, call=call)
    assert_shape(got, (b, v), call=call)
    kept = kept_mask(call, got, logits)
    probs = softmax(logits.double().numpy())
    for i in range(b):
        mass = probs[i][kept[i]].sum()
        n_needed = int(np.searchsorted(np.cumsum(np.sort(probs[i])[::-1]), p - 1e-12) + 1)
        assert mass >= p - MARGIN, f"{call}: row {i} keeps mass {mass:.6f} < p={p}: the token that crosses p must be kept"
        assert kept[i].sum() == min(n_needed, v), (
            f"{call}: row {i} keeps {int(kept[i].sum())} tokens, but the {n_needed} most likely already reach p={p}")
    assert_equal(kept, np.stack([k for k, _ in refs]), name="kept mask (ties toward the lower token id)", call=call)


@given(n=st.sampled_from([2, 4, 8, 16]), data=st.data(), b=dims(1, 3), level=st.sampled_from([-3.0, 0.0, 2.5]),
       dtype=torch_float_dtypes())
@example(n=2, data=None, b=1, level=0.0, dtype=torch.float32)   # 0.5 + 0.5, p = 0.5: one token reaches p exactly
@example(n=4, data=None, b=2, level=0.0, dtype=torch.float64)   # p = 3/4: exactly three tokens
def test_top_p_cut_exactly_at_p(kata, n, data, b, level, dtype):
    """n equal logits: every probability is exactly 1/n and the cumulative masses j/n are exact in
    float32 and float64. With p = j/n the first j tokens reach p exactly, so exactly j are kept (the
    lowest ids: ties rank the lower id first); a `<=` where `<` belongs keeps j + 1."""
    j = n // 2 if data is None else data.draw(st.integers(1, n - 1), label="j")
    if data is None and n == 4:
        j = 3
    p = j / n
    logits = torch.full((b, n), level, dtype=dtype)
    call = describe_call("top_p_filter", logits, p)
    got = call_unmodified(kata.top_p_filter, logits, p, fn_name="top_p_filter")
    kept = kept_mask(call, got, logits)
    want = np.zeros((b, n), dtype=bool)
    want[:, :j] = True
    assert_equal(kept, want, name=f"kept mask (the first {j} tokens already reach p = {j}/{n} exactly)", call=call)
    dist = kata.sampling_distribution(logits, top_p=p)
    assert_close(dist, want / j, rtol=0, atol=1e-6, name="probabilities",
                 call=describe_call("sampling_distribution", logits, top_p=p))


@given(v=dims(2, 8), gap=st.sampled_from([20.0, 80.0, 120.0]), dtype=torch_float_dtypes())
@example(v=2, gap=120.0, dtype=torch.float32)   # exp(-120) underflows next to 1: cumulative mass hits 1 early
def test_top_p_one_keeps_every_token(kata, v, gap, dtype):
    """p = 1 keeps everything, even tokens whose probability rounds to nothing next to the top one."""
    logits = torch.cat([torch.zeros(1), -gap * torch.ones(v - 1)]).to(dtype)[None]
    call = describe_call("top_p_filter", logits, 1.0)
    got = kata.top_p_filter(logits, 1.0)
    assert_equal(got, logits, name="logits (p = 1 filters nothing)", call=call)


@given(v=dims(1, 6), seed=seeds())
def test_top_p_rejects_p_outside_0_1(kata, v, seed):
    logits = grid_logits(seed, (1, v))
    for bad in (0.0, -0.5, 1.5):
        with pytest.raises(ValueError):
            kata.top_p_filter(logits, bad)
            pytest.fail(f"top_p_filter(logits, {bad}) returned instead of raising ValueError")


@given(b=dims(1, 3), v=dims(2, 12), temperature=TEMPERATURES, k=st.one_of(st.none(), st.integers(1, 12)),
       p=P_VALUES, seed=seeds())
@example(b=1, v=6, temperature=0.25, k=None, p=0.75, seed=0)
@example(b=1, v=6, temperature=4.0, k=None, p=0.75, seed=0)   # same p, far more tokens survive when hot
@example(b=2, v=8, temperature=2.0, k=3, p=0.5, seed=3)
def test_sampling_distribution_chains_temperature_top_k_top_p(kata, b, v, temperature, k, p, seed):
    logits = grid_logits(seed, (b, v))
    refs = [ref_distribution(row, temperature, k, p) for row in logits.double().numpy()]
    assume(all(gap > MARGIN for _, gap in refs))
    call = describe_call("sampling_distribution", logits, temperature=temperature, top_k=k, top_p=p)
    got = kata.sampling_distribution(logits, temperature=temperature, top_k=k, top_p=p)
    # float32 softmax of logits in [-12, 12]: a few ulps of 1.
    assert_close(got, np.stack([d for d, _ in refs]), rtol=0, atol=2e-6, name="probabilities", call=call)


@given(v=dims(2, 10), seed=seeds())
@example(v=4, seed=0)
def test_temperature_limits(kata, v, seed):
    """T -> 0 puts all the mass on the argmax; entropy never falls as T rises; T -> inf tends to uniform."""
    logits = grid_logits(seed, (1, v))
    assume(int((logits == logits.max()).sum()) == 1)   # a unique argmax, 0.25 above the runner-up
    cold = kata.sampling_distribution(logits, temperature=1 / 256)
    onehot = np.zeros((1, v))
    onehot[0, int(logits.argmax())] = 1
    # the runner-up has weight <= exp(-0.25 * 256) = 1.6e-28
    assert_close(cold, onehot, rtol=0, atol=1e-6, name="distribution at T=1/256", call=describe_call(
        "sampling_distribution", logits, temperature=1 / 256))
    temps = [0.25, 0.5, 1.0, 2.0, 4.0, 16.0]
    ent = []
    for t in temps:
        q = kata.sampling_distribution(logits, temperature=t).double().numpy()[0]
        ent.append(float(-(q[q > 0] * np.log(q[q > 0])).sum()))
    # float32 softmax: entropies are good to ~1e-6.
    assert all(a <= b + 1e-5 for a, b in zip(ent, ent[1:], strict=False)), (
        f"entropy of sampling_distribution should rise with temperature; at T={temps} it is {np.round(ent, 4).tolist()}")
    hot = kata.sampling_distribution(logits, temperature=4096.0)
    # |x / 4096| <= 3 / 4096: every probability is within 1e-3 of 1/v.
    assert_close(hot, np.full((1, v), 1 / v), rtol=0, atol=2e-3, name="distribution at T=4096",
                 call=describe_call("sampling_distribution", logits, temperature=4096.0))


def chi_square_pvalue(counts: np.ndarray, probs: np.ndarray) -> float:
    """Pearson's test, with cells expecting fewer than 5 draws pooled into one."""
    n = counts.sum()
    expected = probs * n
    small = expected < 5
    obs = np.append(counts[~small], counts[small].sum())
    exp = np.append(expected[~small], expected[small].sum())
    if small.sum() == 0 or exp[-1] == 0:
        obs, exp = obs[:-1], exp[:-1]
    if len(obs) < 2:
        return 1.0
    exp = exp * obs.sum() / exp.sum()
    return float(stats.chisquare(obs, exp).pvalue)


@settings(max_examples=15)  # 20 000 draws per row, up to three rows
@given(b=dims(1, 3), v=dims(2, 10), temperature=TEMPERATURES, k=st.one_of(st.none(), st.integers(1, 10)),
       p=P_VALUES, seed=seeds())
@example(b=1, v=8, temperature=2.0, k=5, p=0.9, seed=0)
@example(b=2, v=6, temperature=0.5, k=None, p=1.0, seed=1)
def test_samples_follow_the_filtered_distribution(kata, b, v, temperature, k, p, seed):
    logits = grid_logits(seed, (b, v), spread=6)
    refs = [ref_distribution(row, temperature, k, p) for row in logits.double().numpy()]
    assume(all(gap > MARGIN for _, gap in refs))
    n = 20_000
    call = describe_call("sample", logits, n, temperature=temperature, top_k=k, top_p=p)
    draws = kata.sample(logits, n, torch.Generator().manual_seed(seed), temperature=temperature, top_k=k, top_p=p)
    assert_shape(draws, (b, n), name="samples", call=call)
    assert draws.dtype == torch.long, f"{call} returned dtype {draws.dtype}, expected torch.long"
    for i, (want, _) in enumerate(refs):
        counts = np.bincount(draws[i].numpy(), minlength=v)
        assert len(counts) == v, f"{call}: row {i} drew token ids outside 0..{v - 1}"
        outside = np.nonzero((counts > 0) & (want == 0))[0]
        assert len(outside) == 0, (f"{call}: row {i} drew tokens {outside.tolist()}, which the filters remove "
                                   f"(probability 0 in the sampling distribution)")
        pvalue = chi_square_pvalue(counts, want)
        # A correct sampler fails this with probability 1e-9; a wrong distribution has p-values ~0.
        assert pvalue > 1e-9, (f"{call}: row {i}'s draw frequencies {np.round(counts / n, 3).tolist()} do not match the "
                               f"sampling distribution {np.round(want, 3).tolist()} (chi-square p-value {pvalue:.2g})")


@given(b=dims(1, 3), v=dims(2, 8), n=dims(1, 50), seed=seeds())
def test_the_generator_seed_reproduces_the_samples(kata, b, v, n, seed):
    logits = grid_logits(seed, (b, v))
    first = kata.sample(logits, n, torch.Generator().manual_seed(seed), temperature=1.5, top_k=v - 1)
    torch.manual_seed(seed + 1)  # the global RNG must not matter
    again = kata.sample(logits, n, torch.Generator().manual_seed(seed), temperature=1.5, top_k=v - 1)
    assert_equal(again, first, name="samples drawn again with the same seed",
                 call=describe_call("sample", logits, n, generator="Generator(seed)"))


@settings(max_examples=3)  # a figure per example costs ~50 ms; the structure does not depend on the inputs
@given(v=dims(2, 8), temperature=TEMPERATURES, k=st.one_of(st.none(), st.integers(1, 8)), seed=seeds())
@example(v=5, temperature=1.0, k=2, seed=7)
def test_dashboard_figure(kata, v, temperature, k, seed):
    logits = grid_logits(seed, (v,))
    tokens = [f"tok{i}" for i in range(v)]
    n = 400
    call = describe_call("plot_dashboard", logits, tokens, temperature=temperature, top_k=k, top_p=0.9,
                         n_samples=n, seed=seed)
    fig = kata.plot_dashboard(logits, tokens, temperature=temperature, top_k=k, top_p=0.9, n_samples=n, seed=seed)
    try:
        axes = [ax for ax in fig.axes if ax.patches]
        assert len(axes) == 2, f"{call}: {len(axes)} axes hold bars, expected 2 (distribution, samples)"
        left, right = axes
        assert left.get_title() == "sampling distribution", f"{call}: left title {left.get_title()!r}"
        assert right.get_title() == f"{n} samples", f"{call}: right title {right.get_title()!r}, expected '{n} samples'"
        for ax in axes:
            assert len(ax.patches) == v, f"{call}: axes {ax.get_title()!r} holds {len(ax.patches)} bars, expected {v}"
            labels = [t.get_text() for t in ax.get_xticklabels()]
            assert labels == tokens, f"{call}: axes {ax.get_title()!r} x tick labels {labels}, expected {tokens}"
        heights = np.array([r.get_height() for r in sorted(left.patches, key=lambda r: r.get_x())])
        want = kata.sampling_distribution(logits, temperature=temperature, top_k=k, top_p=0.9)
        assert_close(heights, want, rtol=0, atol=1e-6, name="left bar heights", call=call)
        freq = np.array([r.get_height() for r in sorted(right.patches, key=lambda r: r.get_x())])
        draws = kata.sample(logits, n, torch.Generator().manual_seed(seed), temperature=temperature, top_k=k, top_p=0.9)
        assert_close(freq, np.bincount(draws.numpy(), minlength=v) / n, rtol=0, atol=1e-9,
                     name="right bar heights (frequencies of sample(..., Generator().manual_seed(seed)))", call=call)
    finally:
        plt.close(fig)

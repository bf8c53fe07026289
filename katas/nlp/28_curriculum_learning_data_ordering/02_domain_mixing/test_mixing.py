"""Tests for nlp-28-2, domain mixing schedules and per-domain loss tracking.

References: temperature weights n_k^(1/T) / sum in float64 numpy; the linear schedule in closed form;
the sampler against the same seeded torch.multinomial draw and, over many draws, per-domain counts
within binomial bounds; the tracker against a plain-Python loop over the batches. The measured
effect comes from real training (a small char-level GPT from grader.lm on English and on a
Caesar-shifted copy): as the schedule moves from domain 0 to domain 1, the tracked losses cross.
"""
import math

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_no_alias, call_unmodified, describe_call

pytestmark = pytest.mark.slow


@given(sizes=st.lists(st.integers(1, 10**6), min_size=1, max_size=6),
       temperature=st.sampled_from([1.0, 2.0, 3.0, 5.0, 0.5, 100.0]))
@example(sizes=[1], temperature=1.0)
@example(sizes=[900, 90, 10], temperature=1.0)     # T = 1: proportional to size
@example(sizes=[7, 7, 7], temperature=3.0)         # equal sizes: uniform whatever T
def test_temperature_mix_closed_form(kata, sizes, temperature):
    call = describe_call("temperature_mix", sizes, temperature)
    got = kata.temperature_mix(sizes, temperature)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    n = np.array(sizes, dtype=np.float64)
    want = n ** (1 / temperature) / (n ** (1 / temperature)).sum()
    # float64 arithmetic on a handful of terms
    assert_close(got, want, rtol=1e-10, atol=1e-15, name="n_k^(1/T) / sum_j n_j^(1/T)", call=call)


@given(temperature=st.sampled_from([2.0, 4.0]))
def test_higher_temperature_upsamples_small_domains(kata, temperature):
    sizes = [10_000, 1_000, 100]
    base = kata.temperature_mix(sizes, 1.0)
    hot = kata.temperature_mix(sizes, temperature)
    assert hot[2] > base[2] and hot[0] < base[0], (
        f"temperature_mix({sizes}, {temperature}) = {hot.tolist()} vs T = 1: {base.tolist()}; a higher temperature "
        f"must give the smallest domain more weight and the largest less")


@pytest.mark.parametrize("sizes,temperature", [([], 1.0), ([5, 0], 1.0), ([5, -2], 2.0), ([5, 3], 0.0),
                                               ([5, 3], -1.0)])
def test_temperature_mix_rejects_bad_arguments(kata, sizes, temperature):
    with pytest.raises(ValueError):
        kata.temperature_mix(sizes, temperature)
        pytest.fail(f"temperature_mix({sizes}, {temperature}) returned instead of raising ValueError")


@st.composite
def simplex(draw, k):
    raw = np.array(draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0]), min_size=k, max_size=k))) + 1e-3
    return torch.tensor(raw / raw.sum())


@given(data=st.data(), k=st.integers(1, 5), total=st.integers(1, 40), frac=st.floats(0, 2),
       dtype=st.sampled_from([torch.float32, torch.float64]))
@example(data=None, k=2, total=10, frac=0.0, dtype=torch.float64)   # step 0: start
@example(data=None, k=2, total=10, frac=1.0, dtype=torch.float64)   # step T: end
@example(data=None, k=2, total=10, frac=2.0, dtype=torch.float32)   # past T: still end
@example(data=None, k=3, total=1, frac=0.0, dtype=torch.float64)
def test_scheduled_mix_interpolates_then_holds(kata, data, k, total, frac, dtype):
    if data is None:
        start = torch.tensor([1.0] + [0.0] * (k - 1), dtype=dtype)
        end = torch.tensor([0.0] * (k - 1) + [1.0], dtype=dtype)
    else:
        start, end = data.draw(simplex(k)).to(dtype), data.draw(simplex(k)).to(dtype)
    step = int(frac * total)
    call = describe_call("scheduled_mix", step, total, start, end)
    got = call_unmodified(kata.scheduled_mix, step, total, start, end)
    assert_no_alias(got, start, end, call=call)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    a = min(step / total, 1.0)
    want = (1 - a) * start.double().numpy() + a * end.double().numpy()
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="(1 - a) start + a end, a = min(step / T, 1)", call=call)


@pytest.mark.parametrize("step,total,k_end", [(0, 0, 2), (-1, 5, 2), (0, 5, 3)])
def test_scheduled_mix_rejects_bad_arguments(kata, step, total, k_end):
    start, end = torch.tensor([0.5, 0.5]), torch.full((k_end,), 1.0 / k_end)
    with pytest.raises(ValueError):
        kata.scheduled_mix(step, total, start, end)
        pytest.fail(f"scheduled_mix({step}, {total}, start (2,), end ({k_end},)) returned instead of raising ValueError")


@given(data=st.data(), k=st.integers(1, 5), batch=st.integers(1, 40), seed=seeds())
@example(data=None, k=3, batch=40, seed=0)
def test_sample_domains_is_the_seeded_multinomial(kata, data, k, batch, seed):
    w = data.draw(simplex(k)) if data is not None else torch.tensor([0.0, 0.5, 0.5], dtype=torch.float64)
    call = describe_call("sample_domains", w, batch, "generator")
    got = call_unmodified(kata.sample_domains, w, batch, torch.Generator().manual_seed(seed))
    want = torch.multinomial(w, batch, replacement=True, generator=torch.Generator().manual_seed(seed))
    assert_equal(got, want, name="torch.multinomial(weights, batch_size, replacement=True, generator=g)", call=call)


@settings(max_examples=5)
@given(data=st.data(), seed=seeds())
def test_sample_domains_proportions_within_binomial_bounds(kata, data, seed):
    w = data.draw(simplex(4))
    n = 4000
    counts = torch.bincount(kata.sample_domains(w, n, torch.Generator().manual_seed(seed)), minlength=4).double()
    sd = torch.sqrt(n * w * (1 - w))
    z = (counts - n * w).abs() / sd.clamp_min(1e-9)
    assert bool((z < 5).all()), (f"sample_domains drew per-domain counts {counts.tolist()} from {n} draws with weights "
                                 f"{w.tolist()}; expected {(n * w).tolist()} within 5 binomial standard deviations")


def reference_tracker(batches, k, beta):
    sums, counts, ema = [0.0] * k, [0] * k, [math.nan] * k
    for losses, domains in batches:
        for j in range(k):
            vals = [float(x) for x, d in zip(losses, domains, strict=True) if int(d) == j]
            if not vals:
                continue
            m = sum(vals) / len(vals)
            ema[j] = m if counts[j] == 0 else beta * ema[j] + (1 - beta) * m
            sums[j] += sum(vals)
            counts[j] += len(vals)
    means = [s / c if c else math.nan for s, c in zip(sums, counts, strict=True)]
    return np.array(means), np.array(ema), np.array(counts)


@given(k=st.integers(1, 4), n_batches=st.integers(0, 6), batch=st.integers(1, 8),
       beta=st.sampled_from([0.0, 0.5, 0.9, 0.99]), seed=seeds(), dtype=st.sampled_from([torch.float32, torch.float64]))
@example(k=3, n_batches=3, batch=5, beta=0.5, seed=0, dtype=torch.float64)
@example(k=2, n_batches=0, batch=1, beta=0.9, seed=0, dtype=torch.float32)    # nothing seen: all NaN
def test_tracker_matches_a_plain_loop(kata, k, n_batches, batch, beta, seed, dtype):
    g = torch.Generator().manual_seed(seed)
    # uneven batches: domain 0 is frequent, the last domain rare, so a mean of batch means is visibly wrong
    w = torch.tensor([2.0 ** -j for j in range(k)])
    batches = [((torch.rand(batch, generator=g, dtype=torch.float64) * 4).to(dtype),
                torch.multinomial(w, batch, replacement=True, generator=g)) for _ in range(n_batches)]
    tracker = kata.DomainLossTracker(k, beta=beta)
    for losses, domains in batches:
        call_unmodified(tracker.update, losses, domains, fn_name="DomainLossTracker.update")
    want_means, want_ema, want_counts = reference_tracker(batches, k, beta)
    call = f"DomainLossTracker({k}, beta={beta}) after {n_batches} batches of {batch}"
    means, ema, counts = tracker.means(), tracker.ema(), tracker.counts()
    assert means.dtype == torch.float64 and ema.dtype == torch.float64, (
        f"{call}: means() and ema() must be float64, got {means.dtype}, {ema.dtype}")
    assert counts.dtype == torch.int64, f"{call}: counts() must be int64, got {counts.dtype}"
    assert_equal(counts, want_counts, name="counts()", call=call)
    assert_equal(torch.isnan(means), np.isnan(want_means), name="which domains are unseen (NaN) in means()", call=call)
    seen = ~np.isnan(want_means)
    # sums of at most 48 float64 values
    assert_close(means[seen], want_means[seen], rtol=1e-10, atol=1e-12, name="means() of the seen domains", call=call)
    assert_equal(torch.isnan(ema), np.isnan(want_ema), name="which domains are unseen (NaN) in ema()", call=call)
    assert_close(ema[seen], want_ema[seen], rtol=1e-10, atol=1e-12,
                 name="ema(): first batch mean, then beta * ema + (1 - beta) * batch mean", call=call)


def test_tracker_default_beta_and_returned_copies(kata):
    tracker = kata.DomainLossTracker(2)
    tracker.update(torch.tensor([1.0, 3.0]), torch.tensor([0, 1]))
    tracker.update(torch.tensor([2.0]), torch.tensor([0]))
    want = 0.9 * 1.0 + 0.1 * 2.0
    assert abs(float(tracker.ema()[0]) - want) < 1e-12, (
        f"DomainLossTracker(2) (default beta 0.9): ema()[0] after losses 1 then 2 is {float(tracker.ema()[0])}, "
        f"expected {want}")
    for name in ("means", "ema", "counts"):
        out = getattr(tracker, name)()
        before = out.clone()
        out.zero_()
        after = getattr(tracker, name)()
        assert torch.equal(after, before), (f"DomainLossTracker.{name}() returned the tracker's own storage: zeroing "
                                            f"the result changed the next {name}() to {after.tolist()}")


@settings(max_examples=2)
@given(seed=st.integers(0, 3))
def test_tracked_losses_cross_when_the_mix_moves(kata, seed):
    """Real training: English first, then a Caesar-shifted copy; the tracker sees the hand-over."""
    torch.set_num_threads(1)
    text = lm.corpus_text()
    english = lm.encode(text[:100_000])
    shifted = lm.encode(kata.caesar(text[100_000:200_000]))
    torch.manual_seed(seed)
    model = lm.CharGPT(lm.LMConfig(n_layer=1, d_model=32, d_ff=64, n_head=2))
    start, end = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    steps = 150
    run = kata.train_mixture(model, [english, shifted], lambda s: kata.scheduled_mix(s, steps, start, end), steps,
                             seed=seed)
    ema = run["ema"]
    assert torch.isnan(ema[0, 1]), f"the shifted domain had weight 0 at step 0 but its EMA is {float(ema[0, 1])}, not NaN"
    mid, last = ema[steps // 2], ema[-1]
    assert mid[0] < mid[1] and last[1] < last[0], (
        f"tracked per-domain EMA losses: half-way {mid.tolist()}, at the end {last.tolist()}; after training mostly on "
        f"English the English loss should be lower, and after the mix moved to the shifted text its loss should be")
    counts = run["tracker"].counts()
    assert int(counts.sum()) == steps * 16, f"the tracker counted {counts.tolist()} examples, expected {steps * 16} in all"

"""Tests for prod-03-7, counters, latency histograms and SLO burn-rate alerts.

References: hand-checkable traces (a counter that restarts, the histogram example worked out
below, the SRE workbook's outage scenarios); a simulated counter whose restarts fall right after a
scrape, so the true number of events is known exactly; brute-force bucket counts; np.quantile for
the interpolated quantile on fine buckets; brute-force burn rates per window.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call


@given(seed=seeds(), n=st.integers(1, 20), p_reset=st.sampled_from([0.0, 0.3]))
def test_counter_increase_counts_events_across_restarts(kata, seed, n, p_reset):
    rng = np.random.default_rng(seed)
    times = np.cumsum(rng.uniform(5, 15, n))
    events = rng.poisson(4, n)          # events[k]: between scrape k-1 and scrape k
    values, v = np.zeros(n), 0.0
    for k in range(n):
        if k > 0 and rng.random() < p_reset and events[k] < v:
            v = 0.0                     # restarted right after scrape k-1 (and visibly: the value drops)
        v += events[k]
        values[k] = v
    now, window = times[-1], times[-1] - times[0] + 1.0     # every sample inside
    call = describe_call("counter_increase", times, values, now, window)
    got = call_unmodified(kata.counter_increase, times, values, now, window)
    assert_close(got, float(events[1:].sum()), rtol=0, atol=1e-9, name="increase", call=call)


@given(now=st.sampled_from([30.0, 35.0, 40.0, 60.0]), window=st.sampled_from([10.0, 20.0, 25.0, 100.0]))
@example(now=40.0, window=20.0)          # the sample at exactly now - window = 20 is outside, the one at now inside
def test_counter_increase_window(kata, now, window):
    times = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
    values = np.array([5.0, 9.0, 2.0, 7.0, 20.0])         # a restart between 20 and 30
    keep = [(t, v) for t, v in zip(times, values, strict=True) if now - window < t <= now]
    want = sum((b - a if b >= a else b) for (_, a), (_, b) in zip(keep[:-1], keep[1:], strict=True))
    got = kata.counter_increase(times, values, now, window)
    assert_close(kata.counter_increase(times / 20, values, now / 20, window / 20), float(want), rtol=0, atol=1e-12,
                 name="increase (samples 0.5 s apart)", call=describe_call("counter_increase", times / 20, values, now / 20, window / 20))
    assert_close(got, float(want), rtol=0, atol=1e-12, name="increase", call=describe_call("counter_increase", times, values, now, window))


def test_counter_increase_rejects_bad_inputs(kata):
    t, v = np.array([1.0, 2.0]), np.array([1.0, 3.0])
    for args, why in [((t, v[:1], 3.0, 5.0), "lengths 2 and 1"), ((np.ones((2, 1)), np.ones((2, 1)), 3.0, 5.0), "2-D arrays"),
                      ((np.array([2.0, 2.0]), v, 3.0, 5.0), "repeated times"), ((np.array([2.0, 1.0]), v, 3.0, 5.0), "decreasing times"),
                      ((t, v, 3.0, 0.0), "window = 0")]:
        with pytest.raises(ValueError):
            kata.counter_increase(*args)
            pytest.fail(f"counter_increase with {why} returned instead of raising ValueError")


@given(seed=seeds(), n=st.integers(0, 40))
@example(seed=0, n=0)
def test_histogram_buckets(kata, seed, n):
    rng = np.random.default_rng(seed)
    bounds = [0.005, 0.01, 0.05, 0.1, 0.5, 1.0]
    values = np.r_[np.round(rng.exponential(0.1, n), 3), [0.01, 0.5, 1.0, 2.0]]    # on the bounds, and above all
    h = kata.Histogram(bounds)
    for v in values:
        h.observe(float(v))
    call = f"Histogram({bounds}) after observing {len(values)} values"
    want_cum = np.r_[[(values <= b).sum() for b in bounds], len(values)]
    assert_equal(np.asarray(h.cumulative()), want_cum, name="cumulative()", call=call + " (a value equal to a bound is in that bucket)")
    assert_equal(np.asarray(h.bucket_counts), np.diff(np.r_[0, want_cum]), name="bucket_counts", call=call)
    assert np.asarray(h.bucket_counts).dtype.kind in "iu", f"{call}: bucket_counts has dtype {np.asarray(h.bucket_counts).dtype}, expected ints"
    assert_equal(int(h.count), len(values), name="count", call=call)
    assert_close(float(h.sum), float(values.sum()), rtol=1e-12, atol=1e-12, name="sum", call=call)


def test_histogram_quantile_by_hand(kata):
    h = kata.Histogram([0.1, 0.5, 1.0])
    for v in [0.05, 0.1, 0.2, 0.3, 0.3, 0.4, 0.45, 0.5, 0.7, 0.9]:     # buckets: 2, 6, 2, 0
        h.observe(v)
    # q=0.5: rank 5 in (0.1, 0.5] holding ranks 3..8 -> 0.1 + 0.4 * 3/6 = 0.3
    # q=0.95: rank 9.5 in (0.5, 1] holding ranks 9..10 -> 0.5 + 0.5 * 1.5/2 = 0.875
    # q=0.1: rank 1 in the first bucket (0, 0.1] holding 2 -> 0.05
    for q, want in [(0.5, 0.3), (0.95, 0.875), (0.1, 0.05), (1.0, 1.0)]:
        assert_close(h.quantile(q), want, rtol=1e-12, atol=1e-12, name=f"quantile({q})", call="Histogram([0.1, 0.5, 1.0]) with buckets 2, 6, 2")
    h.observe(5.0)                      # now the top rank is in +Inf: the largest finite bound
    assert_close(h.quantile(1.0), 1.0, rtol=0, atol=0, name="quantile(1.0) with a value in +Inf", call="Histogram([0.1, 0.5, 1.0])")
    one = kata.Histogram([1.0])
    one.observe(0.5)
    assert_close(np.array([one.quantile(0.5), one.quantile(1.0)]), np.array([0.5, 1.0]), rtol=1e-12, atol=0,
                 name="quantiles 0.5 and 1.0", call="Histogram([1.0]) after one observation")
    neg = kata.Histogram([-1.0, 0.0, 2.0])
    for v in [-3.0, -2.0, 1.0, 1.5]:
        neg.observe(v)
    # rank 1 of 4 falls in the first bucket, whose bound is <= 0: that bound itself
    assert_close(neg.quantile(0.25), -1.0, rtol=0, atol=0, name="quantile(0.25)", call="Histogram([-1, 0, 2]) with -3, -2, 1, 1.5")
    # rank 3: in (0, 2] holding ranks 3..4 -> 0 + 2 * 1/2 = 1
    assert_close(neg.quantile(0.75), 1.0, rtol=1e-12, atol=1e-12, name="quantile(0.75)", call="Histogram([-1, 0, 2])")


@given(seed=seeds(), q=st.sampled_from([0.5, 0.9, 0.99]))
def test_histogram_quantile_approaches_the_sample_quantile(kata, seed, q):
    values = np.random.default_rng(seed).uniform(0, 1, 2000)
    h = kata.Histogram(list(np.linspace(0.01, 1.0, 100)))
    for v in values:
        h.observe(float(v))
    # values spread evenly inside 0.01-wide buckets: linear interpolation is within a bucket of the truth
    assert_close(h.quantile(q), np.quantile(values, q), rtol=0, atol=0.01, name=f"quantile({q})",
                 call="Histogram(100 buckets of width 0.01) with 2000 uniform values")


def test_histogram_edge_cases(kata):
    assert np.isnan(kata.Histogram([1.0]).quantile(0.5)), "quantile of an empty histogram should be nan"
    for bounds, why in [([], "no bounds"), ([1.0, 1.0], "repeated bounds"), ([2.0, 1.0], "decreasing bounds")]:
        with pytest.raises(ValueError):
            kata.Histogram(bounds)
            pytest.fail(f"Histogram with {why} returned instead of raising ValueError")
    h = kata.Histogram([1.0])
    h.observe(0.5)
    for q in (0.0, -0.1, 1.5):
        with pytest.raises(ValueError):
            h.quantile(q)
            pytest.fail(f"quantile({q}) returned instead of raising ValueError")


@st.composite
def traffic(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(draw(seeds()))
    n = draw(st.integers(0, 300))
    t = np.sort(rng.uniform(0, 7200, n))
    return t, rng.random(n) < draw(st.sampled_from([0.0, 0.001, 0.05, 1.0]))


@given(tr=traffic(), window=st.sampled_from([300.0, 3600.0]), slo=st.sampled_from([0.9, 0.999]))
def test_burn_rate(kata, tr, window, slo):
    t, e = tr
    now = 7000.0
    call = describe_call("burn_rate", t, e, now, window, slo)
    got = call_unmodified(kata.burn_rate, t, e, now, window, slo)
    keep = (t > now - window) & (t <= now)
    want = 0.0 if keep.sum() == 0 else e[keep].mean() / (1 - slo)
    assert_close(got, want, rtol=1e-9, atol=1e-12, name="burn rate", call=call)


def test_burn_rate_window_edges(kata):
    t, e = np.array([100.0, 200.0, 300.0]), np.array([True, False, True])
    # window (100, 300]: the request at exactly now - window is out, the one at now is in
    assert_close(kata.burn_rate(t, e, 300.0, 200.0, 0.5), (1 / 2) / 0.5, rtol=1e-12, atol=0, name="burn rate",
                 call="burn_rate([100, 200, 300], [err, ok, err], now=300, window=200, slo=0.5)")


def test_burn_rate_single_request(kata):
    got = kata.burn_rate(np.array([5.0, 50.0]), np.array([False, True]), 60.0, 20.0, 0.9)
    assert_close(got, 1 / (1 - 0.9), rtol=1e-12, atol=0, name="burn rate", call="burn_rate with one failed request in the window")
    got = kata.burn_rate(np.array([59.0, 59.7]), np.array([False, True]), 60.0, 0.5, 0.9)     # a sub-second window
    assert_close(got, 1 / (1 - 0.9), rtol=1e-12, atol=0, name="burn rate", call="burn_rate(..., now=60, window=0.5, slo=0.9)")


def test_burn_rate_rejects_bad_inputs(kata):
    t, e = np.array([1.0, 2.0]), np.array([True, False])
    for args, why in [((t, e[:1], 3.0, 5.0, 0.9), "lengths 2 and 1"), ((t[:, None], e[:, None], 3.0, 5.0, 0.9), "2-D arrays"),
                      ((t, e, 3.0, 5.0, 1.0), "slo = 1"), ((t, e, 3.0, 5.0, 0.0), "slo = 0"), ((t, e, 3.0, 0.0, 0.9), "window = 0")]:
        with pytest.raises(ValueError):
            kata.burn_rate(*args)
            pytest.fail(f"burn_rate with {why} returned instead of raising ValueError")


def scenario(error_rate_before: float, error_rate_recent: float, recent: float) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(0.0, 21600.0, 1.0)                       # one request per second for 6 hours
    phase = np.arange(t.size)
    before = (phase % int(round(1 / error_rate_before)) == 0) if error_rate_before > 0 else np.zeros(t.size, dtype=bool)
    after = (phase % int(round(1 / error_rate_recent)) == 0) if error_rate_recent > 0 else np.zeros(t.size, dtype=bool)
    return t, np.where(t >= t[-1] - recent, after, before)


def test_should_page_scenarios(kata):
    now = 21599.0
    cases = [((0.0, 1.0, 600.0), True, "a total outage for the last 10 minutes: 1h burn 167, 5m burn 1000"),
             ((0.0, 0.0, 0.0), False, "no errors at all"),
             ((0.01, 0.01, 0.0), True, "1% errors for 6 hours: burn 10 < 14.4, but > 6 on 6h and 30m"),
             ((0.005, 0.005, 0.0), False, "0.5% errors for 6 hours: burn 5, under both thresholds")]
    for (before, recent, span), want, why in cases:
        t, e = scenario(before, recent, span)
        got = kata.should_page(t, e, now)
        assert bool(got) is want, f"should_page with {why}: got {got}, expected {want}"
    # a 1000 s outage that ended 2000 s ago: both long windows still burn (277 and 46), both short ones are clean
    t = np.arange(0.0, 21600.0, 1.0)
    e = (t > now - 3000) & (t <= now - 2000)
    assert not kata.should_page(t, e, now), "should_page paged for an outage that ended 33 minutes ago (the short windows are clean)"
    e = (t > now - 3000) & (t <= now - 200)     # still failing 200 s ago: the 5-minute window burns too
    assert kata.should_page(t, e, now), "should_page did not page for an outage still inside the 5-minute window"


def test_should_page_thresholds_are_strict_and_rules_used(kata):
    t = np.arange(1.0, 101.0)
    e = np.zeros(100, dtype=bool)
    e[::10] = True                                          # 10% errors everywhere: burn 100 at slo 0.999
    assert kata.should_page(t, e, 100.0, slo=0.999, rules=((100.0, 50.0, 99.0),)), "burn 100 > 99 should page"
    assert not kata.should_page(t, e, 100.0, slo=0.999, rules=((100.0, 50.0, 100.0),)), "burn exactly 100 = threshold must not page"
    assert not kata.should_page(t, e, 100.0, slo=0.99, rules=((100.0, 50.0, 99.0),)), "slo 0.99: burn 10 < 99 must not page"
    assert kata.should_page(t, e, 100.0, rules=((100.0, 50.0, 99.0), (10.0, 5.0, 1e9))), "the first rule alone should page"
    assert kata.should_page(t, e, 100.0, rules=((10.0, 5.0, 1e9), (100.0, 50.0, 99.0))), "the second rule alone should page"
    # each window exactly at the threshold while the other is above it: no page (0.25 / 0.5 = 0.5 exactly)
    e = np.zeros(100, dtype=bool)
    e[-4:], e[:21] = True, True                             # long window 25 / 100, short window (96, 100] 4 / 4
    assert not kata.should_page(t, e, 100.0, slo=0.5, rules=((100.0, 4.0, 0.5),)), "long-window burn exactly 0.5 = threshold must not page"
    e = np.zeros(100, dtype=bool)
    e[-4], e[:50] = True, True                              # long window 51 / 100, short window 1 / 4
    assert not kata.should_page(t, e, 100.0, slo=0.5, rules=((100.0, 4.0, 0.5),)), "short-window burn exactly 0.5 = threshold must not page"

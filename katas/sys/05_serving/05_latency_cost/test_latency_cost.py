"""Tests for sys-05-5, latency percentiles and cost per 1k tokens from a serving trace.

References: numpy.percentile (its default "linear" method, Hyndman & Fan type 7); a hand-checked
four-request trace; the cost arithmetic of a GPU rented by the hour.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

QS = st.lists(st.floats(0, 100), min_size=1, max_size=4).map(tuple)


def heavy_tailed_latencies(seed, n):
    # Serving latencies are right-skewed: a lognormal body and a few slow stragglers.
    rng = np.random.default_rng(seed)
    x = rng.lognormal(-1.0, 0.5, n)
    x[rng.random(n) < 0.05] *= 20
    return x


@given(seed=seeds(), n=st.integers(1, 200), qs=QS, dtype=st.sampled_from([np.float32, np.float64]))
@example(seed=0, n=1, qs=(50.0, 99.0), dtype=np.float64)              # one request: every percentile is that request
@example(seed=1, n=4, qs=(0.0, 100.0, 50.0), dtype=np.float64)         # the ends are the min and the max
@example(seed=2, n=101, qs=(50.0, 95.0, 99.0), dtype=np.float64)       # exact ranks: no interpolation
@example(seed=3, n=10, qs=(95.0,), dtype=np.float32)                   # float32 latencies, interpolated in float64
def test_percentiles_match_numpy(kata, seed, n, qs, dtype):
    x = heavy_tailed_latencies(seed, n).astype(dtype)
    call = describe_call("percentiles", x, qs)
    got = call_unmodified(kata.percentiles, x, qs, fn_name="percentiles")
    assert set(got) == set(qs), f"{call} returned keys {sorted(got)}, expected {sorted(set(qs))}"
    for q in qs:
        assert_close(got[q], np.percentile(x.astype(np.float64), q), rtol=1e-12, atol=1e-15, call=call, name=f"p{q:g}")


def test_default_percentiles_and_ties(kata):
    x = np.array([0.1, 0.2, 0.2, 0.2, 5.0])
    got = kata.percentiles(x)
    assert sorted(got) == [50.0, 95.0, 99.0], f"percentiles(x) returned keys {sorted(got)}, expected the defaults 50, 95, 99"
    # p95 sits 80 % of the way from 0.2 (rank 3) to 5.0 (rank 4): 0.2 + 0.8 * 4.8 = 4.04
    for q, want in ((50.0, 0.2), (95.0, 4.04), (99.0, 4.808)):
        assert_close(got[q], want, rtol=1e-12, atol=0, call="percentiles([0.1, 0.2, 0.2, 0.2, 5.0])", name=f"p{q:g}")


@given(bad=st.sampled_from(["empty", "nan", "2d", "q>100", "q<0"]))
def test_percentiles_reject_bad_input(kata, bad):
    x, qs = np.array([1.0, 2.0]), (50.0,)
    if bad == "empty":
        x = np.array([])
    elif bad == "nan":
        x = np.array([1.0, np.nan])
    elif bad == "2d":
        x = np.ones((2, 2))
    else:
        qs = (100.5,) if bad == "q>100" else (-1.0,)
    with pytest.raises(ValueError):
        kata.percentiles(x, qs)
        pytest.fail(f"percentiles({bad} input) returned instead of raising ValueError")


TRACE = dict(arrival=np.array([0.0, 0.5, 1.0, 1.0]), first_token=np.array([0.2, 1.0, 1.1, 1.5]),
             finish=np.array([1.2, 3.0, 1.1, 4.0]), n_output=np.array([11, 5, 1, 26]))


def test_request_metrics_on_a_hand_checked_trace(kata):
    got = call_unmodified(kata.request_metrics, *TRACE.values(), fn_name="request_metrics")
    call = "request_metrics(arrival=[0, .5, 1, 1], first_token=[.2, 1, 1.1, 1.5], finish=[1.2, 3, 1.1, 4], n_output=[11, 5, 1, 26])"
    assert_close(got["ttft"], [0.2, 0.5, 0.1, 0.5], rtol=1e-12, atol=1e-15, call=call, name="ttft = first_token - arrival")
    assert_close(got["e2e"], [1.2, 2.5, 0.1, 3.0], rtol=1e-12, atol=1e-15, call=call, name="e2e = finish - arrival")
    # tpot: decode time over the tokens after the first: 1.0 / 10, 2.0 / 4, undefined for 1 token, 2.5 / 25
    assert_close(got["tpot"], [0.1, 0.5, np.nan, 0.1], rtol=1e-12, atol=1e-15, call=call,
                 name="tpot = (finish - first_token) / (n_output - 1), NaN for one-token requests")


def test_request_metrics_of_an_instant_request(kata):
    """first_token == arrival and finish == first_token are allowed: zero TTFT, zero latency."""
    got = kata.request_metrics(np.array([1.0]), np.array([1.0]), np.array([1.0]), np.array([1]))
    call = "request_metrics([1.0], [1.0], [1.0], [1])"
    assert_close(got["ttft"], [0.0], rtol=0, atol=0, call=call, name="ttft")
    assert_close(got["e2e"], [0.0], rtol=0, atol=0, call=call, name="e2e")


@given(seed=seeds(), n=st.integers(1, 30), dtype=st.sampled_from([np.float32, np.float64]))
def test_request_metrics_on_drawn_traces(kata, seed, n, dtype):
    rng = np.random.default_rng(seed)
    a = np.sort(rng.uniform(0, 10, n)).astype(dtype)
    f = (a + rng.exponential(0.3, n)).astype(dtype)
    k = rng.integers(1, 50, n)
    e = (f + k * rng.uniform(0.01, 0.05, n)).astype(dtype)
    got = kata.request_metrics(a, f, e, k)
    a, f, e = (t.astype(np.float64) for t in (a, f, e))
    tpot = np.where(k > 1, (e - f) / np.maximum(k - 1, 1), np.nan)
    for name, want in (("ttft", f - a), ("e2e", e - a), ("tpot", tpot)):
        assert_close(got[name], want, rtol=1e-12, atol=1e-15, call=describe_call("request_metrics", a, f, e, k), name=name)


@given(which=st.sampled_from(["first_before_arrival", "finish_before_first", "no_tokens"]))
def test_request_metrics_reject_impossible_traces(kata, which):
    a, f, e, k = (v.copy() for v in TRACE.values())
    if which == "first_before_arrival":
        f[1] = a[1] - 0.1
    elif which == "finish_before_first":
        e[3] = f[3] - 0.1
    else:
        k[0] = 0
    with pytest.raises(ValueError):
        kata.request_metrics(a, f, e, k)
        pytest.fail(f"request_metrics accepted a trace with {which.replace('_', ' ')}")


def test_throughput_and_cost_on_the_hand_checked_trace(kata):
    # 43 output tokens between the first arrival (t = 0) and the last finish (t = 4): 10.75 tokens/s
    tps = kata.tokens_per_second(TRACE["arrival"], TRACE["finish"], TRACE["n_output"])
    assert_close(tps, 43 / 4, rtol=1e-12, atol=0, call="tokens_per_second(trace)",
                 name="output tokens / (last finish - first arrival)")
    # 2 GPUs at $3.60 per hour for 4 s cost $0.008; for 43 tokens that is $0.186 per 1k tokens
    assert_close(kata.cost_per_1k_tokens(3.6, 2, 4.0, 43), 0.008 / 43 * 1000, rtol=1e-12, atol=0,
                 call="cost_per_1k_tokens(3.6, 2, 4.0, 43)")


@given(price=st.floats(0, 100), gpus=st.integers(1, 64), window=st.floats(1e-3, 1e6), tokens=st.integers(1, 10**9))
@example(price=2.0, gpus=1, window=3600.0, tokens=10**6)  # $2 for a million tokens: $0.002 per 1k
def test_cost_per_1k_tokens(kata, price, gpus, window, tokens):
    want = price * gpus * window / 3600 / tokens * 1000
    assert_close(kata.cost_per_1k_tokens(price, gpus, window, tokens), want, rtol=1e-12, atol=0,
                 call=describe_call("cost_per_1k_tokens", price, gpus, window, tokens))


@given(bad=st.sampled_from([(-1.0, 1, 1.0, 10), (1.0, 0, 1.0, 10), (1.0, 1, 0.0, 10), (1.0, 1, 1.0, 0)]))
def test_cost_rejects_bad_arguments(kata, bad):
    with pytest.raises(ValueError):
        kata.cost_per_1k_tokens(*bad)
        pytest.fail(f"cost_per_1k_tokens{bad} returned instead of raising ValueError")


def test_throughput_rejects_an_instant_trace(kata):
    with pytest.raises(ValueError):
        kata.tokens_per_second(np.array([1.0, 1.0]), np.array([1.0, 1.0]), np.array([3, 4]))
        pytest.fail("tokens_per_second on a trace that spans no time returned instead of raising ValueError")
    assert_close(kata.tokens_per_second(np.array([0.0]), np.array([0.5]), np.array([4])), 8.0, rtol=1e-12, atol=0,
                 call="tokens_per_second([0.0], [0.5], [4])", name="4 tokens in half a second")

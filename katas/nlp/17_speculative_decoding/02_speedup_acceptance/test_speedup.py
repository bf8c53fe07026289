"""Tests for nlp-17-2, speed-up of speculative decoding and acceptance-rate curves.

References: the identity sum(min(p, q)) = 1 - TV(p, q) = 1 - |p - q|_1 / 2; the expected tokens per
target call as the explicit series 1 + a + ... + a^k (Leviathan et al. 2023, eq. 1); brute-force
argmax over draft lengths; call counts of a perfect draft in closed form; a Monte Carlo run of the
given speculative sampler on context-free models with a known acceptance rate, whose tokens per
target call must match the closed form within six standard errors (exact variance by enumeration);
and the structure and data of the figure. Wall-clock timings are in the benchmark test only.
"""
import math
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_seeded,
    assert_shape,
    call_unmodified,
    describe_call,
)

ALPHAS = st.floats(0.0, 1.0, width=32)
RATIOS = st.sampled_from([0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0])


class TableModel:
    """A second-order Markov model: row i = table[tokens[i - 1], tokens[i]]."""

    def __init__(self, table: np.ndarray) -> None:
        self.table = table

    def __call__(self, tokens: list[int]) -> np.ndarray:
        t = np.asarray(tokens, dtype=np.int64)
        return self.table[np.concatenate([[0], t[:-1]]), t]


class Unigram:
    """The same next-token distribution everywhere: acceptance events are independent with rate sum(min(p, q))."""

    def __init__(self, p: np.ndarray) -> None:
        self.p = p

    def __call__(self, tokens: list[int]) -> np.ndarray:
        return np.broadcast_to(self.p, (len(tokens), len(self.p)))


def series(alpha: float, k: int) -> float:
    return sum(alpha ** i for i in range(k + 1))


@given(shape=st.sampled_from([(5,), (3, 4), (2, 3, 6)]), seed=seeds(), same=st.booleans(),
       dtype=st.sampled_from([np.float64, np.float32]))
@example(shape=(1,), seed=0, same=False, dtype=np.float64)
@example(shape=(4,), seed=0, same=True, dtype=np.float64)
@example(shape=(3, 4), seed=0, same=False, dtype=np.float32)
def test_acceptance_rate_is_one_minus_total_variation(kata, shape, seed, same, dtype):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1]).astype(dtype)
    q = p.copy() if same else rng.dirichlet(np.full(shape[-1], 0.5), size=shape[:-1]).astype(dtype)
    call = describe_call("acceptance_rate", p, q)
    got = call_unmodified(kata.acceptance_rate, p, q)
    p64, q64 = p.astype(np.float64), q.astype(np.float64)
    want = np.minimum(p64, q64).sum(-1) if dtype == np.float32 else 1 - 0.5 * np.abs(p - q).sum(-1)
    assert_shape(got, shape[:-1], name="acceptance rates (one per distribution)", call=call)
    assert_dtype(got, np.float64, name="acceptance rates (float64 whatever the input dtype)", call=call)
    # float64 sums of O(1) numbers (float32 inputs: exact upcast, then the same float64 sum).
    assert_close(got, want, rtol=0, atol=1e-12, name="sum(min(p, q)) = 1 - TV(p, q)", call=call)


@given(alpha=ALPHAS, k=st.integers(1, 12))
@example(alpha=1.0, k=4)
@example(alpha=0.0, k=3)
@example(alpha=0.5, k=1)
def test_expected_tokens_per_call_is_the_geometric_series(kata, alpha, k):
    call = describe_call("expected_tokens_per_call", alpha, k)
    got = kata.expected_tokens_per_call(alpha, k)
    # the closed form (1 - a^(k+1)) / (1 - a) loses digits as a -> 1: 1e-6 relative.
    assert_close(np.asarray(got), series(alpha, k), rtol=1e-6, atol=1e-9,
                 name="expected tokens per target call, 1 + a + ... + a^k", call=call)
    alphas = np.array([0.0, alpha, 0.25, 1.0])
    got = kata.expected_tokens_per_call(alphas, k)
    assert_close(np.asarray(got), [series(a, k) for a in alphas], rtol=1e-6, atol=1e-9,
                 name="tokens per call for an array of acceptance rates (elementwise)",
                 call=describe_call("expected_tokens_per_call", alphas, k))
    alphas32 = np.array([alpha, 0.999, 0.9999, 1.0], dtype=np.float32)
    call = describe_call("expected_tokens_per_call", alphas32, k)
    got = kata.expected_tokens_per_call(alphas32, k)
    assert_dtype(got, np.float64, name="tokens per call for float32 acceptance rates (computed in float64)",
                 call=call)
    assert_close(np.asarray(got), [series(float(a), k) for a in alphas32], rtol=1e-6, atol=1e-9,
                 name="tokens per call for float32 acceptance rates (computed in float64)", call=call)


@given(alpha=ALPHAS, k=st.integers(1, 12), cost_ratio=RATIOS)
@example(alpha=0.0, k=4, cost_ratio=0.5)
@example(alpha=1.0, k=3, cost_ratio=0.0)
def test_expected_speedup(kata, alpha, k, cost_ratio):
    call = describe_call("expected_speedup", alpha, k, cost_ratio)
    got = kata.expected_speedup(alpha, k, cost_ratio)
    want = series(alpha, k) / (1 + k * cost_ratio)
    assert_close(np.asarray(got), want, rtol=1e-6, atol=1e-9,
                 name="speed-up: tokens per call / cost of a round (1 target call + k draft calls)", call=call)


@given(alpha=ALPHAS, cost_ratio=RATIOS, k_max=st.integers(1, 16))
@example(alpha=0.0, cost_ratio=0.0, k_max=5)    # every k gives speed-up 1: the smallest k wins
@example(alpha=1.0, cost_ratio=0.0, k_max=7)    # a free, perfect draft: as long as allowed
@example(alpha=0.8, cost_ratio=0.05, k_max=16)
@example(alpha=0.14722533524036407, cost_ratio=0.0, k_max=16)  # speed-ups equal to 1e-12 from k = 10 on
def test_best_draft_length_is_the_brute_force_argmax(kata, alpha, cost_ratio, k_max):
    speeds = [series(alpha, k) / (1 + k * cost_ratio) for k in range(1, k_max + 1)]
    best = max(speeds)
    # ties (within float noise of the closed form) go to the smallest k
    want = 1 + next(i for i, s in enumerate(speeds) if s >= best * (1 - 1e-9))
    got = kata.best_draft_length(alpha, cost_ratio, k_max)
    assert int(got) == want, (
        f"{describe_call('best_draft_length', alpha, cost_ratio, k_max)} returned {got}, expected {want}; "
        f"speed-ups for k = 1..{k_max}: {np.round(speeds, 4).tolist()} (ties go to the smallest k)")


def test_best_draft_length_rejects_k_max_below_one(kata):
    with pytest.raises(ValueError):
        kata.best_draft_length(0.5, 0.1, 0)


@given(v=st.integers(2, 5), n_new=st.integers(1, 30), k=st.integers(1, 6), cost_ratio=RATIOS, seed=seeds())
@example(v=3, n_new=8, k=3, cost_ratio=0.5, seed=0)    # 8 = 2 rounds of k + 1
@example(v=3, n_new=9, k=3, cost_ratio=0.1, seed=0)    # a third round proposing min(k, 1) = 1 token
def test_counters_for_a_perfect_draft(kata, v, n_new, k, cost_ratio, seed):
    table = np.random.default_rng(seed).dirichlet(np.ones(v), size=(v, v))
    call = describe_call("measure_speedup", "target", "draft=target", [0], n_new, k, cost_ratio, "rng")
    got = kata.measure_speedup(TableModel(table), TableModel(table), [0], n_new, k, cost_ratio,
                               np.random.default_rng(seed))
    rounds = math.ceil(n_new / (k + 1))
    draft_calls = (rounds - 1) * k + min(k, n_new - (rounds - 1) * (k + 1))
    want = {"target_calls": rounds, "draft_calls": draft_calls, "tokens_per_call": n_new / rounds,
            "speedup": n_new / (rounds + cost_ratio * draft_calls)}
    for key, value in want.items():
        assert key in got, f"{call} returned keys {sorted(got)}; expected {sorted(want)}"
        assert math.isclose(float(got[key]), value, rel_tol=1e-12), (
            f"{call}: {key} = {got[key]!r}, expected {value!r} (a draft identical to the target is always accepted: "
            f"{rounds} rounds, {draft_calls} draft calls, autoregressive cost = n_new target calls)")


@settings(max_examples=4)  # ~1500 tokens of speculative sampling per example
@given(k=st.integers(1, 4), seed=seeds())
@example(k=3, seed=0)
def test_measured_tokens_per_call_match_the_theory(kata, k, seed):
    rng = np.random.default_rng(seed)
    v = 4
    p = rng.dirichlet(np.ones(v))
    q = 0.5 * p + 0.5 * rng.dirichlet(np.ones(v))
    alpha = float(np.minimum(p, q).sum())
    n_new = 1500
    got = kata.measure_speedup(Unigram(p), Unigram(q), [0], n_new, k, 0.1, np.random.default_rng(seed))
    theory = float(kata.expected_tokens_per_call(alpha, k))
    # tokens per round X = min(G, k) + 1 with G ~ Geometric: exact mean and variance by enumeration
    probs = np.array([alpha ** j * (1 - alpha) for j in range(k)] + [alpha ** k])
    vals = np.arange(1, k + 2)
    mean, var = float(probs @ vals), float(probs @ vals ** 2 - (probs @ vals) ** 2)
    rounds = n_new / mean
    tol = 6 * math.sqrt(var / rounds) + (k + 1) / rounds   # six standard errors + the truncated last round
    assert abs(float(got["tokens_per_call"]) - mean) <= tol, (
        f"measure_speedup on context-free models with acceptance rate {alpha:.3f}, k={k}: measured "
        f"{float(got['tokens_per_call']):.3f} tokens per target call, theory {mean:.3f} (+- {tol:.3f})")
    assert math.isclose(theory, mean, rel_tol=1e-9), (
        f"expected_tokens_per_call({alpha:.4f}, {k}) = {theory}, but enumerating min(G, k) + 1 gives {mean}")


@given(seed=seeds(), k=st.integers(1, 4))
def test_measure_speedup_uses_the_rng_it_is_given(kata, seed, k):
    table = np.random.default_rng(seed).dirichlet(np.full(5, 0.5), size=(5, 5))
    other = np.random.default_rng(seed + 1).dirichlet(np.full(5, 0.5), size=(5, 5))
    assert_seeded(lambda s: [kata.measure_speedup(TableModel(table), TableModel(other), [1], 60, k, 0.1,
                                                  np.random.default_rng(s))[key]
                             for key in ("target_calls", "draft_calls")], seed,
                  name="call counts", differs=False)


@settings(max_examples=3)  # a figure per example
@given(ks=st.lists(st.integers(1, 8), min_size=1, max_size=4, unique=True), cost_ratio=RATIOS)
@example(ks=[1, 2, 4, 8], cost_ratio=0.1)
def test_plot_acceptance_curves(kata, ks, cost_ratio):
    alphas = np.linspace(0, 1, 21)
    call = describe_call("plot_acceptance_curves", alphas, ks, cost_ratio)
    fig = kata.plot_acceptance_curves(alphas, ks, cost_ratio)
    try:
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 2, f"{call}: {len(axes)} axes hold lines, expected 2 (tokens per call, speed-up)"
        left, right = axes
        for ax, ylabel, fn in ((left, "tokens per target call", series),
                               (right, "speedup", lambda a, k: series(a, k) / (1 + k * cost_ratio))):
            assert (ax.get_xlabel(), ax.get_ylabel()) == ("acceptance rate", ylabel), (
                f"{call}: labels x={ax.get_xlabel()!r}, y={ax.get_ylabel()!r}; expected 'acceptance rate', {ylabel!r}")
            lines = ax.get_lines()
            assert len(lines) == len(ks), f"{call}: the {ylabel!r} axes has {len(lines)} lines, expected one per k"
            for line, k in zip(lines, ks, strict=True):
                assert line.get_label() == f"k={k}", f"{call}: line label {line.get_label()!r}, expected 'k={k}'"
                assert_close(np.asarray(line.get_xdata(), float), alphas, rtol=0, atol=0, name=f"x data of k={k}",
                             call=call)
                assert_close(np.asarray(line.get_ydata(), float), [fn(a, k) for a in alphas], rtol=1e-6,
                             atol=1e-9, name=f"{ylabel} curve for k={k}", call=call)
        assert right.get_title() == f"cost ratio {cost_ratio:g}", (
            f"{call}: right title {right.get_title()!r}, expected {f'cost ratio {cost_ratio:g}'!r}")
    finally:
        plt.close(fig)


class SlowModel:
    """A 'model' whose forward pass does real work proportional to its width (one matmul per call)."""

    def __init__(self, p_table: np.ndarray, width: int) -> None:
        self.table, self.w = p_table, np.random.default_rng(0).standard_normal((width, width)) / width

    def __call__(self, tokens: list[int]) -> np.ndarray:
        x = np.ones((len(tokens), self.w.shape[0]))
        for _ in range(4):
            x = np.tanh(x @ self.w)
        t = np.asarray(tokens, dtype=np.int64)
        return self.table[np.concatenate([[0], t[:-1]]), t]


@pytest.mark.benchmark
def test_benchmark_wall_clock_speedup(kata):
    rng = np.random.default_rng(0)
    v = 8
    table = rng.dirichlet(np.full(v, 0.3), size=(v, v))
    draft_table = 0.7 * table + 0.3 * rng.dirichlet(np.ones(v), size=(v, v))
    target, draft = SlowModel(table, 384), SlowModel(draft_table, 48)
    n_new = 120
    t0 = time.perf_counter()
    seq = [0]
    for _ in range(n_new):
        p = target(seq)[-1]
        seq.append(int(rng.choice(v, p=p)))
    auto = time.perf_counter() - t0
    t0 = time.perf_counter()
    target(seq)
    t_target = time.perf_counter() - t0
    t0 = time.perf_counter()
    draft(seq)
    cost_ratio = (time.perf_counter() - t0) / t_target
    alpha = float(np.mean(kata.acceptance_rate(table, draft_table)))
    print(f"\nautoregressive: {auto * 1e3:.1f} ms for {n_new} tokens; measured cost ratio {cost_ratio:.3f}")
    for k in (1, 2, 4, 8):
        t0 = time.perf_counter()
        stats = kata.measure_speedup(target, draft, [0], n_new, k, cost_ratio, np.random.default_rng(k))
        spec = time.perf_counter() - t0
        print(f"  k={k}: {spec * 1e3:7.1f} ms, wall-clock speed-up {auto / spec:5.2f}x, counter speed-up "
              f"{stats['speedup']:5.2f}x, theory {float(kata.expected_speedup(alpha, k, cost_ratio)):5.2f}x")

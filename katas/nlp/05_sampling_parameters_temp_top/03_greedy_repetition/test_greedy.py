"""Tests for nlp-05-3, temperature 0 and repetition.

Reference: torch.softmax for T > 0 and a one-hot at the first argmax for T = 0 (also its limit
T -> 0 with a unique maximum); the greedy path walked in Python with a dictionary of first visits
(brute-force cycle detection); rep-n counted with Python sets, and its closed form on a greedy
path (1 - (tail + period) / (#n-grams)); chi-square tests of sampled tokens at T > 0.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import dims, seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_seeded,
    assert_shape,
    describe_call,
)

TEMPERATURES = st.sampled_from([0.25, 0.5, 1.0, 2.0])


def bigram(seed: int, v: int, spread: int = 3) -> torch.Tensor:
    """float32 (V, V) logits on a grid of multiples of 1/2: argmax ties are common."""
    rng = np.random.default_rng(seed)
    return torch.tensor(rng.integers(-spread, spread + 1, size=(v, v)) / 2.0, dtype=torch.float32)


def greedy_path(logits: torch.Tensor, start: int, steps: int) -> list[int]:
    """x_0 = start, x_{i+1} = the first argmax of row x_i, written out element by element."""
    rows = logits.tolist()
    path = [start]
    for _ in range(steps):
        row = rows[path[-1]]
        path.append(row.index(max(row)))
    return path


def ref_cycle(logits: torch.Tensor, start: int) -> tuple[int, int]:
    path = greedy_path(logits, start, logits.shape[0])   # V + 1 tokens: some token repeats
    seen: dict[int, int] = {}
    for i, x in enumerate(path):
        if x in seen:
            return seen[x], i - seen[x]
        seen[x] = i
    raise AssertionError("unreachable: V + 1 tokens from V values")


def ref_rep(seq: list[int], n: int) -> float:
    grams = [tuple(seq[i:i + n]) for i in range(len(seq) - n + 1)]
    return 1 - len(set(grams)) / len(grams) if grams else 0.0


def chi_square_pvalue(counts: np.ndarray, probs: np.ndarray) -> float:
    """Pearson's test, with cells expecting fewer than 5 draws pooled into one."""
    expected = probs * counts.sum()
    small = expected < 5
    obs = np.append(counts[~small], counts[small].sum())
    exp = np.append(expected[~small], expected[small].sum())
    if exp[-1] == 0:
        obs, exp = obs[:-1], exp[:-1]
    if len(obs) < 2:
        return 1.0
    return float(stats.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue)


@given(b=dims(1, 4), v=dims(1, 10), temperature=TEMPERATURES, seed=seeds())
@example(b=1, v=4, temperature=0.5, seed=0)
def test_positive_temperature_is_tempered_softmax(kata, b, v, temperature, seed):
    logits = bigram(seed, max(b, v))[:b, :v]
    call = describe_call("temperature_probs", logits, temperature)
    got = kata.temperature_probs(logits, temperature)
    assert_shape(got, (b, v), call=call)
    # float32 softmax: a few ulps.
    assert_close(got, torch.softmax(logits.double() / temperature, -1), rtol=0, atol=1e-6, call=call)


@given(b=dims(1, 4), v=dims(1, 10), seed=seeds(), spread=st.sampled_from([0, 1, 3]))
@example(b=1, v=3, seed=0, spread=0)     # all logits equal: the first token gets everything
@example(b=2, v=5, seed=1, spread=1)
def test_zero_temperature_is_a_one_hot_argmax(kata, b, v, seed, spread):
    logits = bigram(seed, max(b, v), spread)[:b, :v]
    call = describe_call("temperature_probs", logits, 0.0)
    got = kata.temperature_probs(logits, 0.0)
    rows = logits.tolist()
    want = np.zeros((b, v))
    for i, row in enumerate(rows):
        want[i, row.index(max(row))] = 1.0
    assert_shape(got, (b, v), call=call)
    assert not torch.isnan(got).any(), f"{call} returned nan: temperature 0 must not divide by zero"
    assert_equal(got, want, name="one-hot rows (all mass on the first maximum, ties to the lowest id)", call=call)
    with pytest.raises(ValueError):
        kata.temperature_probs(logits, -1.0)
        pytest.fail("temperature_probs(logits, -1.0) returned instead of raising ValueError")


@given(v=dims(2, 10), seed=seeds())
def test_small_temperatures_tend_to_the_argmax(kata, v, seed):
    logits = torch.randn(1, v, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    gap = float(torch.topk(logits, 2).values.diff().abs())
    onehot = kata.temperature_probs(logits, 0.0)
    t = min(0.5, gap / 40)  # the runner-up keeps weight <= exp(-40)
    call = describe_call("temperature_probs", logits, t)
    # exp(-40) * 10 < 1e-15: the tempered softmax and the one-hot agree to 1e-12.
    assert_close(kata.temperature_probs(logits, t), onehot, rtol=0, atol=1e-12,
                 name=f"distribution at T={t:.3g} vs the one at T=0", call=call)


@given(v=dims(1, 10), seed=seeds(), spread=st.sampled_from([1, 3]))
@example(v=1, seed=0, spread=1)      # a token that follows itself: tail 0, period 1
@example(v=6, seed=2, spread=1)
def test_greedy_cycle_matches_brute_force(kata, v, seed, spread):
    logits = bigram(seed, v, spread)
    for start in range(v):
        call = describe_call("greedy_cycle", logits, start)
        got = tuple(int(x) for x in kata.greedy_cycle(logits, start))
        want = ref_cycle(logits, start)
        path = greedy_path(logits, start, 2 * v + 2)
        assert got == want, (f"{call} returned (tail, period) = {got}, expected {want}; the greedy path is "
                             f"{path} (x_0 = start, the loop begins at index tail)")


@given(v=dims(1, 10), b=dims(1, 4), n_new=dims(1, 20), seed=seeds(), spread=st.sampled_from([1, 3]))
@example(v=4, b=2, n_new=12, seed=0, spread=1)
def test_greedy_generation_follows_the_argmax_path(kata, v, b, n_new, seed, spread):
    logits = bigram(seed, v, spread)
    starts = torch.tensor(np.random.default_rng(seed).integers(0, v, size=b), dtype=torch.long)
    call = describe_call("generate", logits, starts, n_new, 0.0)
    got = kata.generate(logits, starts, n_new, 0.0, torch.Generator().manual_seed(seed))
    assert_shape(got, (b, n_new), name="tokens", call=call)
    want = np.array([greedy_path(logits, int(s), n_new)[1:] for s in starts])
    assert_equal(got, want, name="greedy tokens", call=call)
    again = kata.generate(logits, starts, n_new, 0.0, torch.Generator().manual_seed(seed + 1))
    assert_equal(again, want, name="greedy tokens with another generator seed (T = 0 is deterministic)", call=call)
    g = torch.Generator().manual_seed(seed)
    state = g.get_state()
    kata.generate(logits, starts, n_new, 0.0, g)
    assert torch.equal(g.get_state(), state), (f"{call} drew from the generator: temperature 0 is the argmax, "
                                               "with no randomness at all")


@settings(max_examples=10)  # 4000 sequences of 3 tokens
@given(v=dims(2, 8), temperature=TEMPERATURES, seed=seeds())
@example(v=5, temperature=1.0, seed=0)
def test_sampled_generation_follows_the_tempered_rows(kata, v, temperature, seed):
    logits = bigram(seed, v)
    table = torch.softmax(logits.double() / temperature, -1).numpy()
    start = seed % v
    starts = torch.full((4000,), start, dtype=torch.long)
    call = describe_call("generate", logits, starts, 3, temperature)
    s = kata.generate(logits, starts, 3, temperature, torch.Generator().manual_seed(seed)).numpy()
    busiest = int(np.bincount(s[:, :-1].ravel(), minlength=v).argmax())
    for what, row, drawn in ((f"first tokens (row {start})", start, s[:, 0]),
                             (f"tokens following {busiest}", busiest, s[:, 1:][s[:, :-1] == busiest])):
        counts = np.bincount(drawn, minlength=v)
        pvalue = chi_square_pvalue(counts, table[row])
        # a correct sampler fails with probability 1e-9.
        assert pvalue > 1e-9, (f"{call}: the {what} have frequencies {np.round(counts / counts.sum(), 3).tolist()}, "
                               f"expected softmax(row / T) = {np.round(table[row], 3).tolist()} (p-value {pvalue:.2g})")


@given(length=dims(0, 14), vocab=dims(1, 4), n=dims(1, 4), seed=seeds())
@example(length=4, vocab=2, n=2, seed=0)
@example(length=1, vocab=3, n=2, seed=0)   # no bigram at all
@example(length=6, vocab=1, n=1, seed=0)   # one token repeated: 5 of 6 unigrams repeat
def test_rep_n_matches_set_counting(kata, length, vocab, n, seed):
    seq = np.random.default_rng(seed).integers(0, vocab, size=length).tolist()
    tokens = torch.tensor(seq, dtype=torch.long)
    got = kata.rep_n(tokens, n)
    want = ref_rep(seq, n)
    assert abs(float(got) - want) <= 1e-12, (
        f"rep_n({seq}, {n}) returned {float(got)!r}, expected {want!r} = 1 - distinct / total n-grams")
    with pytest.raises(ValueError):
        kata.rep_n(tokens, 0)
        pytest.fail("rep_n(tokens, 0) returned instead of raising ValueError")


@given(v=dims(1, 10), n=dims(1, 3), extra=dims(0, 30), seed=seeds())
@example(v=5, n=2, extra=20, seed=3)
def test_greedy_text_repeats_as_the_cycle_predicts(kata, v, n, extra, seed):
    """A greedy path of L tokens has exactly min(tail + period, L - n + 1) distinct n-grams."""
    logits = bigram(seed, v, 1)
    tail, period = ref_cycle(logits, 0)
    length = tail + period + n - 1 + extra
    path = greedy_path(logits, 0, length - 1)
    total = length - n + 1
    want = 1 - (tail + period) / total
    got = kata.rep_n(torch.tensor(path), n)
    assert abs(float(got) - want) <= 1e-12, (
        f"rep_n(greedy path {path}, {n}) returned {float(got)!r}; the path loops after {tail} tokens with period "
        f"{period}, so {tail + period} of its {total} n-grams are distinct and rep_n = {want!r}")


@settings(max_examples=10)
@given(v=dims(2, 8), b=dims(1, 4), seed=seeds(), n=dims(1, 3))
@example(v=6, b=3, seed=0, n=2)
@example(v=4, b=2, seed=1, n=3)
def test_repetition_vs_temperature(kata, v, b, seed, n):
    logits = bigram(seed, v, 1)
    starts = torch.tensor(np.random.default_rng(seed).integers(0, v, size=b), dtype=torch.long)
    temps, n_new = [0.0, 0.5, 1.0, 4.0], 16
    call = describe_call("repetition_vs_temperature", logits, starts, n_new, temps, n=n, seed=seed)
    got = kata.repetition_vs_temperature(logits, starts, n_new, temps, n=n, seed=seed)
    assert_dtype(got, np.float64, name=f"mean rep-{n} per temperature", call=call)
    got = np.asarray(got)
    assert_shape(got, (len(temps),), name=f"mean rep-{n} per temperature", call=call)
    greedy = np.mean([ref_rep(greedy_path(logits, int(s), n_new)[1:], n) for s in starts])
    # exact fractions with denominators <= 16, averaged over <= 4 rows.
    assert_close(got[0], greedy, rtol=0, atol=1e-12, name=f"mean rep-{n} at T = 0 (the greedy paths)", call=call)
    for i, t in enumerate(temps[1:], start=1):
        seqs = kata.generate(logits, starts, n_new, t, torch.Generator().manual_seed(seed))
        want = np.mean([ref_rep(row, n) for row in seqs.tolist()])
        assert_close(got[i], want, rtol=0, atol=1e-12,
                     name=f"mean rep-{n} at T = {t} (of generate with Generator().manual_seed(seed))", call=call)


@given(v=dims(2, 8), b=dims(1, 4), seed=seeds(), temperature=st.sampled_from([0.5, 1.0, 2.0]))
def test_sampled_generation_draws_only_from_its_generator(kata, v, b, seed, temperature):
    logits = bigram(seed, v, 1)
    starts = torch.tensor(np.random.default_rng(seed).integers(0, v, size=b), dtype=torch.long)

    def run(s: int) -> torch.Tensor:   # the global RNG moves on between runs: it must not matter
        out = kata.generate(logits, starts, 12, temperature, torch.Generator().manual_seed(s))
        assert out.dtype == torch.long, f"generate returned dtype {out.dtype}, expected torch.long"
        return out

    assert_seeded(run, seed, name="sampled tokens")

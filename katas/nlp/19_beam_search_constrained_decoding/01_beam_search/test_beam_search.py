"""Tests for nlp-19-1, beam search with GNMT length normalization and coverage penalty.

References: the formulas of Wu et al. (2016), eqs. 14, written out in numpy; a wide enough beam must
return exactly the best sequence of an exhaustive search over every sequence (ending at the first EOS
or at max_len) on tiny vocabularies; beam width 1 must be greedy decoding; intermediate widths follow
the pruning rule written out here (keep the beam_width candidates of highest cumulative log-probability,
ties to the smaller token tuple; finished hypotheses take their slot and leave the beam).
"""
import itertools
import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def make_step_fn(seed: int, v: int, s: int, sharp: float, coarse: bool = False) -> callable:
    """A deterministic toy decoder: log-probs and source attention are pseudo-random functions of the prefix.

    `coarse` draws log-scores from {0, -0.5, -1, -1.5}: sums of them are exact, so cumulative scores tie
    exactly and the tie rules (smaller token tuple first) decide."""
    def step(prefix: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng([seed, len(prefix), *prefix])
        logits = rng.normal(0, sharp, v)
        att = np.exp(rng.normal(0, 1.5, s))
        if coarse:
            return -0.5 * rng.integers(0, 4, v).astype(np.float64), att / att.sum()
        return logits - np.log(np.exp(logits).sum()), att / att.sum()
    return step


def score(step, tokens: tuple[int, ...], alpha: float, beta: float) -> float:
    lp, atts = 0.0, []
    for i, t in enumerate(tokens):
        logp, a = step(tokens[:i])
        lp += logp[t]
        atts.append(a)
    cov = np.stack(atts).sum(0)
    cp = beta * float(np.sum(np.log(np.minimum(cov, 1.0)))) if beta else 0.0
    return lp / ((5 + len(tokens)) / 6) ** alpha + cp


def all_sequences(v: int, eos: int, max_len: int):
    for n in range(1, max_len + 1):
        for seq in itertools.product(range(v), repeat=n):
            if eos in seq[:-1]:
                continue
            if seq[-1] == eos or n == max_len:
                yield seq


def ref_beam(step, v: int, eos: int, width: int, max_len: int, alpha: float, beta: float):
    beams, finished = [((), 0.0)], []
    for _ in range(max_len):
        cands = [(tok + (x,), lp + step(tok)[0][x]) for tok, lp in beams for x in range(v)]
        cands.sort(key=lambda c: (-c[1], c[0]))
        beams = []
        for tok, lp in cands[:width]:
            if tok[-1] == eos or len(tok) == max_len:
                finished.append((score(step, tok, alpha, beta), tok))
            else:
                beams.append((tok, lp))
        if not beams:
            break
    best = min(finished, key=lambda f: (-f[0], f[1]))
    return best[1], best[0]


ALPHAS = st.sampled_from([0.0, 0.2, 0.6, 1.0, 2.0])
BETAS = st.sampled_from([0.0, 0.2, 1.0])


@given(length=st.integers(1, 200), alpha=st.floats(0.0, 3.0, width=32))
@example(length=1, alpha=0.0)
@example(length=1, alpha=1.0)    # lp(1) = 1 for every alpha
def test_length_penalty(kata, length, alpha):
    got = kata.length_penalty(length, alpha)
    assert_close(float(got), ((5 + length) / 6) ** alpha, rtol=1e-12, atol=0, name="lp(Y) = ((5 + |Y|) / 6)^alpha",
                 call=describe_call("length_penalty", length, alpha))


@given(t=st.integers(1, 6), s=st.integers(1, 6), beta=st.floats(0.0, 2.0, width=32), seed=seeds())
@example(t=1, s=3, beta=0.0, seed=0)
@example(t=6, s=1, beta=1.0, seed=0)    # one source word over-covered: min(., 1) clips it to log 1 = 0
def test_coverage_penalty(kata, t, s, beta, seed):
    rng = np.random.default_rng(seed)
    att = rng.dirichlet(np.ones(s), size=t)
    call = describe_call("coverage_penalty", att, beta)
    got = call_unmodified(kata.coverage_penalty, att, beta)
    want = beta * np.sum(np.log(np.minimum(att.sum(0), 1.0)))
    assert_close(float(got), want, rtol=1e-12, atol=1e-12, name="beta * sum_i log(min(sum_t a_ti, 1))", call=call)
    lp, n = float(rng.normal(-3, 1)), int(rng.integers(1, 9))
    alpha = float(rng.choice([0.0, 0.6, 1.0]))
    got = call_unmodified(kata.gnmt_score, lp, n, att, alpha, beta)
    assert_close(float(got), lp / ((5 + n) / 6) ** alpha + want, rtol=1e-12, atol=1e-12,
                 name="log P / lp(Y) + cp(X; Y)", call=describe_call("gnmt_score", lp, n, att, alpha, beta))


@given(v=st.integers(2, 4), max_len=st.integers(1, 4), eos=st.integers(0, 3), alpha=ALPHAS, beta=BETAS,
       sharp=st.sampled_from([0.5, 2.0]), seed=seeds())
@example(v=2, max_len=1, eos=0, alpha=0.0, beta=0.0, sharp=1.0, seed=0)
@example(v=3, max_len=4, eos=0, alpha=1.0, beta=0.2, sharp=2.0, seed=1)
def test_wide_beam_is_exhaustive_search(kata, v, max_len, eos, alpha, beta, sharp, seed):
    eos %= v
    step = make_step_fn(seed, v, 3, sharp)
    width = v ** max_len
    scored = sorted(((score(step, s, alpha, beta), s) for s in all_sequences(v, eos, max_len)),
                    key=lambda f: (-f[0], f[1]))
    want_score, want = scored[0]
    call = describe_call("beam_search", "step_fn", v, eos, width, max_len, alpha=alpha, beta=beta)
    tokens, got_score = kata.beam_search(step, v, eos, width, max_len, alpha=alpha, beta=beta)
    assert tuple(int(t) for t in tokens) == want, (
        f"{call} returned {tuple(tokens)}, but exhaustive search over all {len(scored)} sequences finds {want} "
        f"(score {want_score:.6f}; yours scores {score(step, tuple(tokens), alpha, beta):.6f})")
    assert math.isclose(float(got_score), want_score, rel_tol=1e-9, abs_tol=1e-12), (
        f"{call} reported score {got_score}, expected the GNMT score {want_score}")


@given(v=st.integers(2, 6), max_len=st.integers(1, 8), eos=st.integers(0, 5), alpha=ALPHAS, seed=seeds())
@example(v=2, max_len=3, eos=1, alpha=0.0, seed=0)
def test_width_one_is_greedy(kata, v, max_len, eos, alpha, seed):
    eos %= v
    step = make_step_fn(seed, v, 2, 1.0)
    seq: tuple[int, ...] = ()
    while len(seq) < max_len and (not seq or seq[-1] != eos):
        seq += (int(np.argmax(step(seq)[0])),)
    tokens, _ = kata.beam_search(step, v, eos, 1, max_len, alpha=alpha)
    assert tuple(int(t) for t in tokens) == seq, (
        f"{describe_call('beam_search', 'step_fn', v, eos, 1, max_len, alpha=alpha)} returned {tuple(tokens)}, "
        f"expected greedy decoding {seq}")


@given(v=st.integers(2, 5), max_len=st.integers(1, 6), eos=st.integers(0, 4), width=st.integers(2, 6), alpha=ALPHAS,
       beta=BETAS, seed=seeds(), coarse=st.booleans())
@example(v=3, max_len=5, eos=0, width=2, alpha=1.0, beta=0.0, seed=3, coarse=False)
@example(v=4, max_len=4, eos=0, width=3, alpha=1.0, beta=0.0, seed=6, coarse=True)  # tie at the beam's cut
@example(v=3, max_len=4, eos=1, width=2, alpha=1.0, beta=0.0, seed=0, coarse=True)  # tie among finished ones
def test_pruning_rule(kata, v, max_len, eos, width, alpha, beta, seed, coarse):
    """`coarse` scores tie exactly: ties are ranked by the smaller token tuple, both in the beam and among
    finished hypotheses."""
    eos %= v
    step = make_step_fn(seed, v, 3, 1.0, coarse)
    want, want_score = ref_beam(step, v, eos, width, max_len, alpha, beta)
    tokens, got_score = kata.beam_search(step, v, eos, width, max_len, alpha=alpha, beta=beta)
    call = describe_call("beam_search", "step_fn", v, eos, width, max_len, alpha=alpha, beta=beta)
    assert tuple(int(t) for t in tokens) == want, (
        f"{call} returned {tuple(tokens)}, expected {want}: keep the {width} candidates with the highest cumulative "
        f"log-probability each step, move those ending in EOS (or reaching max_len) to the finished list, and "
        f"return the finished hypothesis with the best GNMT score")
    assert math.isclose(float(got_score), want_score, rel_tol=1e-9, abs_tol=1e-12), (
        f"{call} reported score {got_score}, expected {want_score}")


@given(width=st.integers(-2, 3), max_len=st.integers(-2, 3))
@example(width=0, max_len=3)
@example(width=2, max_len=0)
def test_bad_sizes_raise(kata, width, max_len):
    step = make_step_fn(0, 3, 2, 1.0)
    if width >= 1 and max_len >= 1:
        kata.beam_search(step, 3, 0, width, max_len)
        return
    with pytest.raises(ValueError):
        kata.beam_search(step, 3, 0, width, max_len)

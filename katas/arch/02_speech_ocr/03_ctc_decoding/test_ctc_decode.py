"""Tests for arch-02-3, CTC greedy and prefix beam-search decoding.

References: brute force over all C^T alignments (collapse each, sum the probabilities of each
labelling), which a beam wide enough to keep every prefix must reproduce exactly; argmax + collapse
for greedy decoding; a hand-made case where the best path is not the best labelling.
"""
import itertools
import math
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call


def random_log_probs(seed: int, t: int, c: int, sharp: float = 1.0) -> np.ndarray:
    z = np.random.default_rng(seed).standard_normal((t, c)) * sharp
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def collapse_ref(path: tuple[int, ...], blank: int) -> tuple[int, ...]:
    out, prev = [], None
    for p in path:
        if p != prev and p != blank:
            out.append(p)
        prev = p
    return tuple(out)


def labelling_probs(lp: np.ndarray, blank: int) -> dict[tuple[int, ...], float]:
    t, c = lp.shape
    probs: dict[tuple[int, ...], float] = defaultdict(float)
    for path in itertools.product(range(c), repeat=t):
        probs[collapse_ref(path, blank)] += math.exp(sum(lp[i, p] for i, p in enumerate(path)))
    return probs


@given(t=st.integers(1, 8), c=st.integers(2, 5), seed=seeds(), blank=st.sampled_from(["first", "last"]))
@example(t=3, c=3, seed=0, blank="first")
def test_greedy_is_argmax_then_collapse(kata, t, c, seed, blank):
    b = 0 if blank == "first" else c - 1
    lp = random_log_probs(seed, t, c, sharp=2.0)
    call = describe_call("greedy_decode", lp, b)
    got = call_unmodified(kata.greedy_decode, lp, b, fn_name="greedy_decode")
    assert_equal(np.array(got, dtype=np.int64), np.array(collapse_ref(tuple(np.argmax(lp, 1)), b), dtype=np.int64),
                 name="decoded labels", call=call)


def test_greedy_keeps_repeats_separated_by_a_blank(kata):
    # best path: a a - a b b (a = 1, b = 2, blank = 0) -> a a b ; and with the default blank
    path = [1, 1, 0, 1, 2, 2]
    lp = np.log(np.full((6, 3), 0.1))
    lp[np.arange(6), path] = np.log(0.8)
    assert_equal(np.array(kata.greedy_decode(lp)), np.array([1, 1, 2]), name="decoded labels (default blank 0)",
                 call="greedy_decode(best path a a - a b b)")


@settings(max_examples=20)
@given(t=st.integers(1, 5), c=st.integers(2, 3), seed=seeds(), blank_last=st.booleans())
@example(t=4, c=2, seed=1, blank_last=False)
def test_unpruned_beam_equals_brute_force(kata, t, c, seed, blank_last):
    blank = c - 1 if blank_last else 0
    lp = random_log_probs(seed, t, c, sharp=1.5)
    call = describe_call("prefix_beam_search", lp, 10_000, blank)
    got = call_unmodified(kata.prefix_beam_search, lp, 10_000, blank, fn_name="prefix_beam_search")
    exact = labelling_probs(lp, blank)
    assert len(got) == len(exact), f"{call} returned {len(got)} labellings; {len(exact)} have non-zero probability"
    scores = [s for _, s in got]
    assert scores == sorted(scores, reverse=True), f"{call} is not sorted by log-probability: {scores}"
    for prefix, score in got:
        assert tuple(prefix) in exact, f"{call} returned {prefix}, which no alignment collapses to"
        assert_close(score, math.log(exact[tuple(prefix)]), rtol=1e-9, atol=1e-9,
                     name=f"log p({prefix}) (vs the sum over its alignments)", call=call)


@settings(max_examples=20)
@given(t=st.integers(2, 6), c=st.integers(2, 4), width=st.integers(1, 4), seed=seeds())
def test_pruned_beam_keeps_width_prefixes_and_underestimates(kata, t, c, width, seed):
    lp = random_log_probs(seed, t, c, sharp=1.5)
    call = describe_call("prefix_beam_search", lp, width)
    got = kata.prefix_beam_search(lp, width)
    exact = labelling_probs(lp, 0)
    assert len(got) == min(width, len(exact)), f"{call} returned {len(got)} prefixes, expected beam_width = {width}"
    scores = [s for _, s in got]
    assert scores == sorted(scores, reverse=True), f"{call} is not sorted by log-probability: {scores}"
    assert len({tuple(p) for p, _ in got}) == len(got), f"{call} returned the same prefix twice: merge them"
    for prefix, score in got:
        assert score <= math.log(exact[tuple(prefix)]) + 1e-9, (
            f"{call}: log p({prefix}) = {score:.6g} exceeds its exact value {math.log(exact[tuple(prefix)]):.6g}")


@given(t=st.integers(2, 6), c=st.integers(2, 4), width=st.integers(1, 3), seed=seeds())
def test_pruned_beam_matches_the_algorithm(kata, t, c, width, seed):
    """Pruning is part of the algorithm: after every frame only beam_width prefixes survive."""
    lp = random_log_probs(seed, t, c, sharp=1.5)
    beams = {(): (0.0, -np.inf)}
    for f in range(t):
        nxt: dict = defaultdict(lambda: [-np.inf, -np.inf])
        for prefix, (pb, pnb) in beams.items():
            tot = np.logaddexp(pb, pnb)
            nxt[prefix][0] = np.logaddexp(nxt[prefix][0], tot + lp[f, 0])
            for k in range(1, c):
                if prefix and prefix[-1] == k:
                    nxt[prefix][1] = np.logaddexp(nxt[prefix][1], pnb + lp[f, k])
                    nxt[prefix + (k,)][1] = np.logaddexp(nxt[prefix + (k,)][1], pb + lp[f, k])
                else:
                    nxt[prefix + (k,)][1] = np.logaddexp(nxt[prefix + (k,)][1], tot + lp[f, k])
        reachable = [kv for kv in nxt.items() if np.logaddexp(*kv[1]) > -np.inf]
        ranked = sorted(reachable, key=lambda kv: (-np.logaddexp(*kv[1]), kv[0]))[:width]
        beams = {k: tuple(v) for k, v in ranked}
    want = [(list(k), float(np.logaddexp(*v))) for k, v in beams.items()]
    got = kata.prefix_beam_search(lp, width)
    call = describe_call("prefix_beam_search", lp, width)
    assert [p for p, _ in got] == [p for p, _ in want], f"{call} kept {[p for p, _ in got]}, expected {[p for p, _ in want]}"
    assert_close(np.array([s for _, s in got]), np.array([s for _, s in want]), rtol=1e-9, atol=1e-9,
                 name="log-probabilities", call=call)


def test_best_labelling_beats_best_path(kata):
    """Blank is the likeliest symbol in both frames (0.6), so greedy returns []; but p([a]) = 0.64 > p([]) = 0.36."""
    lp = np.log(np.array([[0.6, 0.4], [0.6, 0.4]]))
    assert kata.greedy_decode(lp) == [], "greedy_decode should return the best path's labelling, []"
    got = kata.prefix_beam_search(lp, 2)
    assert got[0][0] == [1], f"prefix_beam_search(width 2) ranked {got[0][0]} first; p([1]) = 0.64 beats p([]) = 0.36"
    assert_close(np.array([s for _, s in got]), np.log([0.64, 0.36]), rtol=1e-12, atol=1e-12,
                 name="log-probabilities of [1] and []", call="prefix_beam_search([[.6, .4], [.6, .4]], 2)")


@given(bad=st.sampled_from([(0, 0), (-1, 0), (2, 3), (2, -1)]))
def test_beam_rejects_bad_arguments(kata, bad):
    width, blank = bad
    with pytest.raises(ValueError):
        kata.prefix_beam_search(random_log_probs(0, 3, 3), width, blank)
        pytest.fail(f"prefix_beam_search(beam_width={width}, blank={blank}) returned instead of raising ValueError")


@given(c=st.integers(3, 4), width=st.integers(1, 3))
def test_ties_keep_the_smaller_prefix(kata, c, width):
    """One frame of a uniform distribution: [], [1], [2], ... are all equally likely (log 1/C)."""
    lp = np.full((1, c), -math.log(c))
    got = kata.prefix_beam_search(lp, width)
    want = [[]] + [[k] for k in range(1, c)]
    call = describe_call("prefix_beam_search", lp, width)
    assert [p for p, _ in got] == want[:width], (f"{call} kept {[p for p, _ in got]}; with equal scores the smaller "
                                                 f"prefixes come first: {want[:width]}")

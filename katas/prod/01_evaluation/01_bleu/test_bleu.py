"""Tests for prod-01-1, corpus BLEU.

Reference: sacrebleu (the standard implementation) with tokenize="none" on the same tokens joined by
spaces, its sufficient statistics (counts, totals, bp) and its closest-reference-length rule.
"""
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU

from grader.testing import assert_close, assert_equal, describe_call

VOCAB = ["the", "cat", "sat", "on", "a", "mat"]
SMOOTHS = ["none", "floor", "add-k", "exp"]


def sentences(max_len: int = 8, vocab: int = 4) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(VOCAB[:vocab]), min_size=0, max_size=max_len)


@st.composite
def corpora(draw: st.DrawFn) -> tuple[list[list[str]], list[list[list[str]]]]:
    n_sent = draw(st.integers(1, 4))
    n_refs = draw(st.integers(1, 3))
    vocab = draw(st.integers(2, 6))
    hyps = [draw(sentences(9, vocab)) for _ in range(n_sent)]
    refs = [[draw(sentences(9, vocab)) for _ in range(n_refs)] for _ in range(n_sent)]
    return hyps, refs


def sacre(hyps: list[list[str]], refs: list[list[list[str]]], max_order: int, smooth: str,
          smooth_value: float | None) -> object:
    """sacrebleu's corpus score: references are passed as streams, one stream per reference slot."""
    metric = BLEU(tokenize="none", max_ngram_order=max_order, smooth_method=smooth, smooth_value=smooth_value)
    streams = [[" ".join(r[k]) for r in refs] for k in range(len(refs[0]))]
    return metric.corpus_score([" ".join(h) for h in hyps], streams)


@given(hyp=sentences(), refs=st.lists(sentences(), min_size=1, max_size=3), n=st.integers(1, 4))
@example(hyp="the the the the".split(), refs=[["the", "cat"]], n=1)              # clipping: 1 match, not 4
@example(hyp="the the".split(), refs=[["the", "a"], ["the", "cat"]], n=1)        # max over refs (1), not sum (2)
@example(hyp="the cat the cat".split(), refs=[["the", "cat", "the", "cat"], ["the", "cat"]], n=2)
@example(hyp=["the"], refs=[["the"]], n=2)                                       # shorter than n: (0, 0)
@example(hyp=[], refs=[["a"]], n=1)
def test_clipped_matches_match_sacrebleu_statistics(kata, hyp, refs, n):
    call = describe_call("clipped_matches", hyp, refs, n)
    got = kata.clipped_matches(hyp, refs, n)
    ref = sacre([hyp], [refs], n, "none", None)
    assert_equal(list(got), [ref.counts[n - 1], ref.totals[n - 1]], name="(matches, total)", call=call)


@given(hyp_len=st.integers(0, 10), ref_lens=st.lists(st.integers(0, 10), min_size=1, max_size=4))
@example(hyp_len=4, ref_lens=[3, 5])   # a tie goes to the shorter reference
@example(hyp_len=4, ref_lens=[5, 3])   # ... whatever the order
@example(hyp_len=0, ref_lens=[2, 1])
def test_closest_reference_length(kata, hyp_len, ref_lens):
    call = describe_call("closest_reference_length", hyp_len, ref_lens)
    got = kata.closest_reference_length(hyp_len, ref_lens)
    assert_equal(got, BLEU()._get_closest_ref_len(hyp_len, ref_lens), name="length", call=call)


@given(hyp_len=st.integers(0, 30), ref_len=st.integers(0, 30))
@example(hyp_len=7, ref_len=7)    # equal lengths: no penalty
@example(hyp_len=6, ref_len=7)    # one short: exp(1 - 7/6)
@example(hyp_len=8, ref_len=7)    # longer: no penalty either
@example(hyp_len=0, ref_len=3)    # an empty hypothesis: 0
@example(hyp_len=0, ref_len=0)
def test_brevity_penalty(kata, hyp_len, ref_len):
    call = describe_call("brevity_penalty", hyp_len, ref_len)
    want = BLEU.compute_bleu([1], [1], hyp_len, ref_len, max_ngram_order=1).bp
    # a closed form evaluated once: a few ulps of exp
    assert_close(kata.brevity_penalty(hyp_len, ref_len), want, rtol=1e-12, atol=0, name="BP", call=call)


SMOOTH_VALUES = st.sampled_from([None, 0.01, 0.1, 0.5, 1.0, 2.5])


@given(corpus=corpora(), max_order=st.integers(1, 4), smooth=st.sampled_from(SMOOTHS), smooth_value=SMOOTH_VALUES)
@example(corpus=([["the", "cat", "sat", "on", "the", "mat"]], [[["the", "cat", "sat", "on", "the", "mat"]]]),
         max_order=4, smooth="none", smooth_value=None)                      # identical: 100
@example(corpus=([["the", "cat", "sat"]], [[["the", "cat", "sat", "on", "a", "mat"]]]),
         max_order=2, smooth="none", smooth_value=None)                      # short: BP = exp(1 - 6/3)
@example(corpus=([["a", "a"]], [[["the", "cat"]]]), max_order=2, smooth="exp", smooth_value=None)  # no match: 0
@example(corpus=([["the", "cat", "a", "sat", "mat", "on"]], [[["the", "cat", "sat", "on", "a", "mat"]]]),
         max_order=4, smooth="exp", smooth_value=None)                       # 3-, 4-grams unmatched: 1/2, 1/4
@example(corpus=([["the", "cat", "a", "sat", "mat", "on"]], [[["the", "cat", "sat", "on", "a", "mat"]]]),
         max_order=4, smooth="floor", smooth_value=None)                     # default floor 0.1
@example(corpus=([["the", "cat", "a", "sat", "mat", "on"]], [[["the", "cat", "sat", "on", "a", "mat"]]]),
         max_order=4, smooth="add-k", smooth_value=None)                     # default k = 1, not on unigrams
@example(corpus=([["the", "cat"]], [[["the", "cat", "sat"]]]), max_order=4, smooth="floor", smooth_value=0.5)
@example(corpus=([["the", "cat"]], [[["the", "cat", "sat"]]]), max_order=4, smooth="add-k", smooth_value=0.5)
@example(corpus=([["the", "a", "cat"]], [[["the", "cat", "sat"]]]), max_order=2, smooth="add-k", smooth_value=None)  # p1 = 2/3 unsmoothed
@example(corpus=([["the", "cat"], ["the", "cat", "sat", "on"]], [[["the", "cat"]], [["a", "cat", "sat", "on"]]]),
         max_order=3, smooth="none", smooth_value=None)                      # corpus sums, not a sentence average
@example(corpus=([["the", "cat", "sat", "on"]], [[["the", "cat", "sat"], ["the", "cat", "sat", "on", "a"]]]),
         max_order=2, smooth="none", smooth_value=None)                      # length tie 3 / 5: r = 3, BP = 1
@example(corpus=([["on", "the", "mat", "a"]], [[["the", "mat", "on", "a", "cat"], ["the", "mat", "sat"]]]),
         max_order=1, smooth="none", smooth_value=None)                      # closest r = 5, not the shortest 3
@example(corpus=([["on", "the", "mat", "a", "cat"]], [[["the", "mat", "on", "a", "cat", "sat", "sat"], ["the", "mat", "sat", "on"]]]),
         max_order=1, smooth="none", smooth_value=None)                      # closest r = 4, not the longest 7
def test_corpus_bleu_matches_sacrebleu(kata, corpus, max_order, smooth, smooth_value):
    hyps, refs = corpus
    call = describe_call("corpus_bleu", hyps, refs, max_order=max_order, smooth=smooth, smooth_value=smooth_value)
    got = kata.corpus_bleu(hyps, refs, max_order=max_order, smooth=smooth, smooth_value=smooth_value)
    want = sacre(hyps, refs, max_order, smooth, smooth_value).score
    if want < 1e-30:   # sacrebleu's log floor: a zero precision gives exp(-1e10 / n) = 0
        want = 0.0
    # a geometric mean of at most 4 rational precisions: rounding only
    assert_close(got, want, rtol=1e-9, atol=1e-12, name="BLEU", call=call)


@given(corpus=corpora(), max_order=st.integers(1, 4))
def test_default_arguments_are_order_4_without_smoothing(kata, corpus, max_order):
    hyps, refs = corpus
    call = describe_call("corpus_bleu", hyps, refs)
    want = sacre(hyps, refs, 4, "none", None).score
    assert_close(kata.corpus_bleu(hyps, refs), want if want > 1e-30 else 0.0, rtol=1e-9, atol=1e-12,
                 name="BLEU with the defaults", call=call)


def test_identical_corpus_scores_100(kata):
    text = "the cat sat on the mat".split()
    got = kata.corpus_bleu([text, text[:4]], [[text], [text[:4]]])
    assert math.isclose(got, 100.0, rel_tol=1e-12), f"corpus_bleu of a corpus equal to its references returned {got}, expected 100"


@given(n_hyps=st.integers(0, 3), n_refs=st.integers(0, 3))
@example(n_hyps=2, n_refs=1)
@example(n_hyps=1, n_refs=2)
def test_rejects_mismatched_lists(kata, n_hyps, n_refs):
    if n_hyps == n_refs:
        n_refs += 1
    hyps = [["the", "cat"]] * n_hyps
    refs = [[["the", "cat"]]] * n_refs
    with pytest.raises(ValueError):
        kata.corpus_bleu(hyps, refs)
        pytest.fail(f"corpus_bleu with {n_hyps} hypotheses and {n_refs} reference lists returned instead of raising ValueError")


def test_rejects_a_hypothesis_without_references(kata):
    with pytest.raises(ValueError):
        kata.corpus_bleu([["the", "cat"], ["a", "mat"]], [[["the", "cat"]], []])
        pytest.fail("corpus_bleu with an empty reference list returned instead of raising ValueError")


@given(max_order=st.integers(-2, 0))
def test_rejects_max_order_below_1(kata, max_order):
    with pytest.raises(ValueError):
        kata.corpus_bleu([["the", "cat"]], [[["the", "cat"]]], max_order=max_order)
        pytest.fail(f"corpus_bleu(max_order={max_order}) returned instead of raising ValueError")


@pytest.mark.parametrize("smooth", ["add_k", "Floor", "laplace", ""])
def test_rejects_unknown_smoothing(kata, smooth):
    with pytest.raises(ValueError):
        kata.corpus_bleu([["the", "cat"]], [[["the", "cat"]]], smooth=smooth)
        pytest.fail(f"corpus_bleu(smooth={smooth!r}) returned instead of raising ValueError")


@given(smooth=st.sampled_from(SMOOTHS), smooth_value=st.sampled_from([0.0, -0.1, -1.0]))
@example(smooth="floor", smooth_value=0.0)
def test_rejects_non_positive_smooth_value(kata, smooth, smooth_value):
    with pytest.raises(ValueError):
        kata.corpus_bleu([["the", "cat"]], [[["the", "dog"]]], smooth=smooth, smooth_value=smooth_value)
        pytest.fail(f"corpus_bleu(smooth={smooth!r}, smooth_value={smooth_value}) returned instead of raising ValueError")


@given(n=st.integers(-2, 0))
def test_clipped_matches_rejects_bad_arguments(kata, n):
    with pytest.raises(ValueError):
        kata.clipped_matches(["the", "cat"], [["the"]], n)
        pytest.fail(f"clipped_matches(n={n}) returned instead of raising ValueError")
    with pytest.raises(ValueError):
        kata.clipped_matches(["the", "cat"], [], 1)
        pytest.fail("clipped_matches with no references returned instead of raising ValueError")


def test_closest_reference_length_rejects_empty(kata):
    with pytest.raises(ValueError):
        kata.closest_reference_length(3, [])
        pytest.fail("closest_reference_length(3, []) returned instead of raising ValueError")

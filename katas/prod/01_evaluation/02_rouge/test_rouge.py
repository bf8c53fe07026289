"""Tests for prod-01-2, ROUGE-N and ROUGE-L.

References: Google's `rouge-score` package (the implementation behind most published ROUGE numbers)
with a whitespace tokenizer, so both sides see the same tokens; brute-force enumeration of
subsequences for the LCS; the closed form of Lin's F_beta for beta != 1 (rouge-score only has F_1).
"""
import itertools

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rouge_score import rouge_scorer

from grader.testing import assert_close, assert_equal, describe_call

VOCAB = ["the", "cat", "sat", "on", "a", "mat"]
BETAS = st.sampled_from([1.0, 0.5, 2.0, 3.0, 0.25])


class WhitespaceTokenizer:
    """rouge-score's tokenizer protocol; its default one lowercases and drops punctuation."""

    def tokenize(self, text: str) -> list[str]:
        return text.split()


def texts(max_len: int = 9) -> st.SearchStrategy[list[str]]:
    return st.integers(2, 6).flatmap(lambda v: st.lists(st.sampled_from(VOCAB[:v]), min_size=0, max_size=max_len))


def library(kind: str, candidate: list[str], reference: list[str]) -> object:
    scorer = rouge_scorer.RougeScorer([kind], tokenizer=WhitespaceTokenizer())
    return scorer.score(" ".join(reference), " ".join(candidate))[kind]   # score(target, prediction)


def lin_f(p: float, r: float, beta: float) -> float:
    return 0.0 if p == 0 or r == 0 else (1 + beta**2) * p * r / (r + beta**2 * p)


@given(cand=texts(), ref=texts(), n=st.integers(1, 3), beta=BETAS)
@example(cand="the the the".split(), ref="the cat".split(), n=1, beta=1.0)     # clipped: 1 match, not 3
@example(cand="the cat".split(), ref="the the the cat".split(), n=1, beta=1.0)  # P = 1, R = 1/2
@example(cand="the cat the cat".split(), ref="the cat".split(), n=2, beta=2.0)
@example(cand=[], ref="the cat".split(), n=1, beta=1.0)                        # empty: all 0
@example(cand=["the"], ref=["the"], n=2, beta=1.0)                             # no bigrams: all 0
@example(cand="the cat sat".split(), ref="the cat sat on the mat".split(), n=1, beta=3.0)
def test_rouge_n_matches_rouge_score(kata, cand, ref, n, beta):
    call = describe_call("rouge_n", cand, ref, n=n, beta=beta)
    got = kata.rouge_n(cand, ref, n=n, beta=beta)
    want = library(f"rouge{n}", cand, ref)
    # ratios of small integers: rounding only
    assert_close(got[:2], [want.precision, want.recall], rtol=1e-12, atol=1e-15, name="(precision, recall)", call=call)
    assert_close(got[2], lin_f(want.precision, want.recall, beta), rtol=1e-12, atol=1e-15, name="F", call=call)
    if beta == 1.0:
        assert_close(got[2], want.fmeasure, rtol=1e-12, atol=1e-15, name="F1", call=call)


@given(cand=texts(), ref=texts())
def test_rouge_n_defaults_are_unigrams_and_f1(kata, cand, ref):
    want = library("rouge1", cand, ref)
    assert_close(kata.rouge_n(cand, ref), [want.precision, want.recall, want.fmeasure], rtol=1e-12, atol=1e-15,
                 name="(precision, recall, F1)", call=describe_call("rouge_n", cand, ref))


@given(cand=texts(), ref=texts(), n=st.integers(1, 3))
def test_swapping_texts_swaps_precision_and_recall(kata, cand, ref, n):
    p, r, f = kata.rouge_n(cand, ref, n=n)
    p2, r2, f2 = kata.rouge_n(ref, cand, n=n)
    assert_close([p2, r2, f2], [r, p, f], rtol=1e-12, atol=1e-15, name="rouge_n(reference, candidate)",
                 call=describe_call("rouge_n", ref, cand, n=n))


def brute_lcs(a: list[str], b: list[str]) -> int:
    """Longest subsequence of a (by enumeration, longest first) that is also a subsequence of b."""
    for k in range(min(len(a), len(b)), 0, -1):
        for idx in itertools.combinations(range(len(a)), k):
            it = iter(b)
            if all(a[i] in it for i in idx):    # `in` on an iterator consumes it: an in-order match
                return k
    return 0


@given(a=texts(7), b=texts(7))
@example(a="the cat sat".split(), b="cat the sat".split())          # 2, order matters
@example(a="the a cat a sat".split(), b="the cat sat".split())      # 3: gaps allowed (a substring gives 1)
@example(a=[], b=["the"])
@example(a="a a a".split(), b="a a".split())
def test_lcs_length_by_enumeration(kata, a, b):
    call = describe_call("lcs_length", a, b)
    assert_equal(kata.lcs_length(a, b), brute_lcs(a, b), name="LCS length", call=call)


@given(cand=texts(), ref=texts(), beta=BETAS)
@example(cand="the a cat a sat".split(), ref="the cat sat".split(), beta=1.0)
@example(cand="the cat sat".split(), ref="the a cat on sat mat".split(), beta=2.0)
@example(cand=[], ref=["the"], beta=1.0)
@example(cand=["the"], ref=[], beta=0.5)
def test_rouge_l_matches_rouge_score(kata, cand, ref, beta):
    call = describe_call("rouge_l", cand, ref, beta=beta)
    got = kata.rouge_l(cand, ref, beta=beta)
    want = library("rougeL", cand, ref)
    assert_close(got[:2], [want.precision, want.recall], rtol=1e-12, atol=1e-15, name="(precision, recall)", call=call)
    assert_close(got[2], lin_f(want.precision, want.recall, beta), rtol=1e-12, atol=1e-15, name="F", call=call)


@given(cand=texts(), ref=texts())
def test_rouge_l_default_is_f1(kata, cand, ref):
    want = library("rougeL", cand, ref)
    assert_close(kata.rouge_l(cand, ref), [want.precision, want.recall, want.fmeasure], rtol=1e-12, atol=1e-15,
                 name="(precision, recall, F1)", call=describe_call("rouge_l", cand, ref))


@given(p=st.integers(0, 8), r=st.integers(0, 8), beta=BETAS)
@example(p=0, r=5, beta=1.0)
@example(p=0, r=0, beta=1.0)     # nothing right, nothing covered: 0, not 0/0
@example(p=5, r=0, beta=2.0)
@example(p=2, r=6, beta=2.0)    # beta > 1 weights recall: F closer to R than F1 is
def test_f_score_closed_form(kata, p, r, beta):
    p, r = p / 8, r / 8
    call = describe_call("f_score", p, r, beta=beta)
    assert_close(kata.f_score(p, r, beta=beta), lin_f(p, r, beta), rtol=1e-12, atol=1e-15, name="F_beta", call=call)


@given(p=st.integers(0, 8), r=st.integers(0, 8))
def test_f_score_default_is_harmonic_mean(kata, p, r):
    p, r = p / 8, r / 8
    want = 0.0 if p + r == 0 else 2 * p * r / (p + r)
    assert_close(kata.f_score(p, r), want, rtol=1e-12, atol=1e-15, name="F1", call=describe_call("f_score", p, r))


@given(beta=st.sampled_from([0.0, -1.0, -0.5]))
def test_rejects_non_positive_beta(kata, beta):
    for name, fn in [("f_score", lambda: kata.f_score(0.5, 0.5, beta=beta)),
                     ("rouge_n", lambda: kata.rouge_n(["the"], ["the"], beta=beta)),
                     ("rouge_l", lambda: kata.rouge_l(["the"], ["the"], beta=beta)),
                     ("rouge_l", lambda: kata.rouge_l([], ["the"], beta=beta))]:
        with pytest.raises(ValueError):
            fn()
            pytest.fail(f"{name}(..., beta={beta}) returned instead of raising ValueError")


@given(n=st.integers(-2, 0))
def test_rouge_n_rejects_n_below_1(kata, n):
    with pytest.raises(ValueError):
        kata.rouge_n(["the", "cat"], ["the", "cat"], n=n)
        pytest.fail(f"rouge_n(n={n}) returned instead of raising ValueError")

"""Tests for nlp-01-3, Unigram language-model tokenization.

Reference: brute force over every segmentation of short strings (the best one, the log-sum-exp of
all scores via scipy.special.logsumexp, the posterior expected counts), Hugging Face
`tokenizers.models.Unigram` built from the same pieces and scores, and the EM guarantee that a
step never lowers the corpus likelihood.
"""
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.special import logsumexp
from tokenizers import Tokenizer, models

from grader.testing import assert_close, describe_call

ALPHABETS = st.sampled_from(["ab", "abc", "aé中🙂"])


def segmentations(text: str):
    """Every way to cut text into non-empty pieces (2^(n-1) of them)."""
    if not text:
        yield []
        return
    for i in range(1, len(text) + 1):
        for rest in segmentations(text[i:]):
            yield [text[:i], *rest]


def scored(text: str, log_probs: dict[str, float]) -> list[tuple[float, list[str]]]:
    """(score, segmentation) for every segmentation made of known pieces."""
    return [(math.fsum(log_probs[p] for p in seg), seg) for seg in segmentations(text)
            if all(p in log_probs for p in seg)]


@st.composite
def vocabularies(draw: st.DrawFn, alphabet: str, normalised: bool = False) -> dict[str, float]:
    """Every single character plus random longer pieces, with log-probabilities in [-8, -0.5]."""
    extra = draw(st.lists(st.text(alphabet=alphabet, min_size=2, max_size=4), max_size=12))
    pieces = sorted(set(alphabet) | set(extra))
    weights = draw(st.lists(st.floats(-8.0, -0.5), min_size=len(pieces), max_size=len(pieces)))
    log_probs = dict(zip(pieces, weights, strict=True))
    if normalised:
        log_z = logsumexp(list(log_probs.values()))
        log_probs = {p: v - log_z for p, v in log_probs.items()}
    return log_probs


@st.composite
def cases(draw: st.DrawFn, min_size: int = 0) -> tuple[dict[str, float], str]:
    alphabet = draw(ALPHABETS)
    return draw(vocabularies(alphabet)), draw(st.text(alphabet=alphabet, min_size=min_size, max_size=8))


def hf_unigram(log_probs: dict[str, float]) -> Tokenizer:
    return Tokenizer(models.Unigram([("<unk>", -100.0), *log_probs.items()], unk_id=0, byte_fallback=False))


SKEWED = {"a": -1.0, "b": -1.0, "ab": -1.5, "abab": -2.2, "ba": -0.4}


@given(case=cases())
@example(case=(SKEWED, "abab"))                                # one piece beats ab+ab
@example(case=({"a": -1.0, "b": -1.0, "ab": -3.0, "ba": -0.5, "aba": -1.8}, "aba"))  # greedy longest-first loses
@example(case=({"a": -0.5, "aa": -3.0, "aaa": -1.2}, "aaaa"))  # a + aaa, not aa + aa
@example(case=({"a": -1.0}, ""))
def test_viterbi_is_the_best_segmentation(kata, case):
    log_probs, text = case
    call = describe_call("viterbi", text, log_probs)
    got = list(kata.viterbi(text, log_probs))
    options = sorted(scored(text, log_probs), key=lambda t: -t[0])
    best_score, best = options[0]
    if "".join(got) != text or not all(p in log_probs for p in got):
        raise AssertionError(f"{call} returned {got}: not a segmentation of {text!r} into known pieces")
    got_score = math.fsum(log_probs[p] for p in got)
    # Sums of at most 8 float64 log-probabilities: 1e-9 is far above rounding, far below any real gap.
    if got_score < best_score - 1e-9:
        raise AssertionError(f"{call} returned {got} with score {got_score:.6f}; the best segmentation is {best} "
                             f"with score {best_score:.6f} (brute force over all {2 ** max(len(text) - 1, 0)} cuts)")
    if len(options) == 1 or options[1][0] < best_score - 1e-9:   # unique optimum: tokenizers must agree
        want = hf_unigram(log_probs).encode(text).tokens if text else []
        assert got == want, f"{call} returned {got}, tokenizers' Unigram model gives {want}"


@given(case=cases(min_size=1), extra=st.sampled_from(["x", "Z", "?"]), at=st.integers(0, 8))
def test_viterbi_and_expected_counts_raise_without_a_segmentation(kata, case, extra, at):
    log_probs, text = case
    text = text[:at] + extra + text[at:]
    with pytest.raises(ValueError):
        kata.viterbi(text, log_probs)
        pytest.fail(f"viterbi({text!r}, vocabulary without {extra!r}) returned instead of raising ValueError")
    with pytest.raises(ValueError):
        kata.expected_counts(text, log_probs)
        pytest.fail(f"expected_counts({text!r}, vocabulary without {extra!r}) returned instead of raising ValueError")


@given(case=cases())
@example(case=({"a": -200.0, "aa": -300.0, "aaa": -350.0}, "aaaaaaaa"))  # every segmentation underflows exp()
@example(case=({"a": -1.0, "b": -2.0}, ""))
@example(case=({"ab": -1.0, "b": -2.0}, "a"))                           # no segmentation: -inf
def test_log_marginal_matches_brute_force_logsumexp(kata, case):
    log_probs, text = case
    call = describe_call("log_marginal", text, log_probs)
    scores = [s for s, _ in scored(text, log_probs)]
    want = float(logsumexp(scores)) if scores else -math.inf
    got = float(kata.log_marginal(text, log_probs))
    if want == -math.inf:
        assert got == -math.inf, f"{call} returned {got}; no segmentation exists, so log P(text) = -inf"
        return
    # log-sum-exp of <= 128 terms in float64: relative error ~1e-15; 1e-9 leaves room for any order of sums.
    assert_close(got, want, rtol=1e-9, atol=1e-9, name="log P(text)", call=call)


@given(case=cases())
@example(case=({"a": -1.0, "b": -1.0, "ab": -1.0}, "abab"))
@example(case=({"a": -0.7, "aa": -1.1}, "aaaa"))
def test_expected_counts_match_brute_force_posterior(kata, case):
    log_probs, text = case
    options = scored(text, log_probs)
    log_z = logsumexp([s for s, _ in options])
    want = Counter()
    for score, seg in options:
        for piece in seg:
            want[piece] += math.exp(score - log_z)
    call = describe_call("expected_counts", text, log_probs)
    got = kata.expected_counts(text, log_probs)
    keys = sorted(set(want) | set(got))
    # Posterior weights from float64 log-space sums: 1e-9 absolute on counts of at most 8.
    assert_close(np.array([got.get(k, 0.0) for k in keys]), np.array([want.get(k, 0.0) for k in keys]),
                 rtol=0, atol=1e-9, name=f"expected counts of {keys}", call=call)


@st.composite
def corpora(draw: st.DrawFn) -> tuple[dict[str, int], dict[str, float]]:
    alphabet = draw(ALPHABETS)
    words = draw(st.lists(st.text(alphabet=alphabet, min_size=1, max_size=6), min_size=1, max_size=5, unique=True))
    counts = {w: draw(st.integers(1, 5)) for w in words}
    return counts, draw(vocabularies(alphabet, normalised=True))


def brute_em(counts: dict[str, int], log_probs: dict[str, float]) -> dict[str, float]:
    totals = Counter()
    for word, c in counts.items():
        options = scored(word, log_probs)
        log_z = logsumexp([s for s, _ in options])
        for score, seg in options:
            for piece in seg:
                totals[piece] += c * math.exp(score - log_z)
    norm = math.fsum(totals.values())
    return {p: math.log(v / norm) for p, v in totals.items()}


@given(corpus=corpora())
@example(corpus=({"ab": 3, "abab": 1, "b": 2}, {"a": math.log(0.3), "b": math.log(0.3), "ab": math.log(0.4)}))
def test_em_step_matches_brute_force(kata, corpus):
    counts, log_probs = corpus
    want = brute_em(counts, log_probs)
    call = describe_call("em_step", counts, log_probs)
    got = kata.em_step(counts, log_probs)
    assert set(got) == set(want), (f"{call} returned pieces {sorted(got)}, expected exactly those with a positive "
                                   f"expected count: {sorted(want)}")
    keys = sorted(want)
    # Logs of normalised float64 posterior sums: 1e-9 absolute.
    assert_close([got[k] for k in keys], [want[k] for k in keys], rtol=0, atol=1e-9,
                 name=f"new log-probabilities of {keys}", call=call)


@given(corpus=corpora())
def test_em_step_never_lowers_the_likelihood(kata, corpus):
    """sum_w count(w) log P(w) after the step >= before: the guarantee that makes EM training work."""
    counts, log_probs = corpus

    def likelihood(lp):
        return math.fsum(c * logsumexp([s for s, _ in scored(w, lp)]) for w, c in counts.items())

    new = kata.em_step(counts, log_probs)
    before, after = likelihood(log_probs), likelihood(dict(new))
    probs = sum(math.exp(v) for v in new.values())
    assert abs(probs - 1) < 1e-9, f"em_step({counts}, ...) returned probabilities summing to {probs}, expected 1"
    # Float64 sums over a handful of words: a decrease smaller than 1e-9 is rounding.
    assert after >= before - 1e-9, (f"em_step({counts}, ...) lowered the corpus log-likelihood from {before:.6f} to "
                                    f"{after:.6f}; an EM step can only raise it")

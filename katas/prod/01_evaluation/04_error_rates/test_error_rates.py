"""Tests for prod-01-4, character and word error rates.

References: jiwer (the standard WER/CER package, on rapidfuzz's Levenshtein) for corpus WER and CER
and the per-sentence distance; rapidfuzz.distance.Levenshtein for every prefix distance in the table;
the alignment identities S + D + I = distance and D - I = len(ref) - len(hyp) for the counts.
"""
import jiwer
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from grader.testing import assert_close, assert_equal, describe_call

WORDS = ["the", "cat", "sat", "a", "mat"]


def words(max_size: int = 7) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(WORDS), max_size=max_size)


def chars(max_size: int = 8) -> st.SearchStrategy[str]:
    return st.text(alphabet="abc é", max_size=max_size)


def sentences() -> st.SearchStrategy[str]:
    """Word sequences joined by one or more spaces, sometimes padded at the ends."""
    return st.tuples(words(), st.sampled_from([" ", "  "]), st.sampled_from(["", " "])).map(
        lambda t: t[2] + t[1].join(t[0]) + t[2])


@given(ref=st.one_of(chars(), words()), hyp=st.one_of(chars(), words()))
@example(ref="kitten", hyp="sitting")       # 3
@example(ref="", hyp="abc")
@example(ref=["a", "b"], hyp=["b", "a"])
def test_edit_table_prefix_distances(kata, ref, hyp):
    call = describe_call("edit_table", ref, hyp)
    table = kata.edit_table(ref, hyp)
    want = [[Levenshtein.distance(ref[:i], hyp[:j]) for j in range(len(hyp) + 1)] for i in range(len(ref) + 1)]
    assert_equal(table, want, name="table", call=call)


@given(ref=st.one_of(chars(), words()), hyp=st.one_of(chars(), words()))
@example(ref="kitten", hyp="sitting")
@example(ref="flaw", hyp="lawn")            # 2: delete f, insert n
@example(ref="", hyp="")
@example(ref="abc", hyp="")
def test_levenshtein_matches_rapidfuzz(kata, ref, hyp):
    call = describe_call("levenshtein", ref, hyp)
    assert_equal(kata.levenshtein(ref, hyp), Levenshtein.distance(ref, hyp), name="distance", call=call)


@given(ref=st.one_of(chars(), words()), hyp=st.one_of(chars(), words()))
@example(ref="abc", hyp="")                 # 3 deletions
@example(ref="", hyp="ab")                  # 2 insertions
@example(ref="abcd", hyp="abxd")            # 1 substitution
@example(ref="a", hyp="aa")                 # the walk reaches row 0 with a column left: only insertions remain
@example(ref=["the", "cat", "sat"], hyp=["the", "sat", "mat", "a"])
def test_error_counts_form_a_minimum_alignment(kata, ref, hyp):
    call = describe_call("error_counts", ref, hyp)
    s, d, i = kata.error_counts(ref, hyp)
    dist = Levenshtein.distance(ref, hyp)
    assert min(s, d, i) >= 0, f"{call} returned negative counts {(s, d, i)}"
    assert_equal(s + d + i, dist, name="S + D + I (the edit distance)", call=call)
    assert_equal(d - i, len(ref) - len(hyp), name="D - I (len(ref) - len(hyp))", call=call)
    assert s <= min(len(ref), len(hyp)), f"{call} returned {s} substitutions for sequences of lengths {len(ref)}, {len(hyp)}"


@given(pairs=st.lists(st.tuples(sentences(), sentences()), min_size=1, max_size=4))
@example(pairs=[("the cat sat", "the cat sat on a mat")])     # 3 insertions / 3 words: 1.0
@example(pairs=[("the cat", "a a a a a a a")])                  # WER above 1
@example(pairs=[("the  cat ", " the cat"), ("", "a")])          # spacing does not count; an empty reference line
@example(pairs=[("the cat sat", "the cat"), ("a", "a mat mat")])   # pooled: 3/4, not the mean of 1/3 and 2
def test_wer_matches_jiwer(kata, pairs):
    refs, hyps = [p[0] for p in pairs], [p[1] for p in pairs]
    if not any(r.split() for r in refs):
        refs[0] = "the"
    call = describe_call("wer", refs, hyps)
    # a ratio of integers
    assert_close(kata.wer(refs, hyps), jiwer.wer(refs, hyps), rtol=1e-12, atol=0, name="WER", call=call)


@given(pairs=st.lists(st.tuples(chars(), chars()), min_size=1, max_size=4))
@example(pairs=[(" abc ", "abc")])                 # outer spaces are stripped
@example(pairs=[("a b", "ab")])                    # an inner space is a character: 1 / 3
@example(pairs=[("é", "e"), ("abc", "")])
@example(pairs=[("ab", "b"), ("a", "aaa")])        # pooled: 3/3, not the mean of 1/2 and 2
def test_cer_matches_jiwer(kata, pairs):
    refs, hyps = [p[0] for p in pairs], [p[1] for p in pairs]
    if not any(r.strip() for r in refs):
        refs[0] = "a" + refs[0]
    call = describe_call("cer", refs, hyps)
    assert_close(kata.cer(refs, hyps), jiwer.cer(refs, hyps), rtol=1e-12, atol=0, name="CER", call=call)


def test_rejects_mismatched_lists(kata):
    for name in ("wer", "cer"):
        with pytest.raises(ValueError):
            getattr(kata, name)(["the cat", "a mat"], ["the cat"])
            pytest.fail(f"{name} with 2 references and 1 hypothesis returned instead of raising ValueError")


@given(refs=st.lists(st.sampled_from(["", " ", "  "]), min_size=1, max_size=3))
def test_rejects_empty_references(kata, refs):
    hyps = ["a"] * len(refs)
    for name in ("wer", "cer"):
        with pytest.raises(ValueError):
            getattr(kata, name)(refs, hyps)
            pytest.fail(f"{name}({refs!r}, {hyps!r}) returned instead of raising ValueError (no reference word)")

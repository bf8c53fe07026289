"""Tests for nlp-23-1, sentence, paragraph and sliding-window chunking.

References: texts generated from known sentences and paragraphs (the spans must give them back);
greedy sentence packing and window placement written out here; brute-force span coverage; and an
experiment on tiny Shakespeare (real text): how many sentences each chunker keeps whole.
"""
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader import lm

WORD = st.text(alphabet="abcxyz", min_size=1, max_size=6)
SENTENCE = st.builds(lambda ws, p: " ".join(ws) + p, st.lists(WORD, min_size=1, max_size=5),
                     st.sampled_from([".", "!", "?", "...", "?!"]))
GAP = st.sampled_from([" ", "  ", "\n", " \n "])


@given(sentences=st.lists(SENTENCE, min_size=1, max_size=6), gaps=st.lists(GAP, min_size=6, max_size=6),
       lead=st.sampled_from(["", " ", "\n"]), tail=st.sampled_from(["", " unfinished words", "\n"]))
@example(sentences=["a."], gaps=[" "] * 6, lead="", tail="")
@example(sentences=["Mr. x.", "b!"], gaps=[" "] * 6, lead="", tail="")   # the rule splits after "Mr." too
@example(sentences=["pi is 3.14 ok.", "b!"], gaps=[" "] * 6, lead="", tail="")   # no split inside "3.14"
def test_sentence_spans(kata, sentences, gaps, lead, tail):
    text = lead + "".join(s + g for s, g in zip(sentences, gaps, strict=False)) + tail
    spans = kata.sentence_spans(text)
    want = []
    for s in sentences:       # "Mr. x." is two sentences under the rule
        parts = [p for p in re.split(r"(?<=[.!?])\s+", s) if p]
        want += parts
    if tail.strip():
        want.append(tail.strip())
    got = [text[a:b] for a, b in spans]
    assert got == want, (f"sentence_spans({text!r}) gave sentences {got}, expected {want}: a sentence ends at a run "
                         f"of . ! ? followed by whitespace or the end; spans exclude surrounding whitespace")


@given(paras=st.lists(st.lists(SENTENCE, min_size=1, max_size=3).map(lambda s: "\n".join(s)), min_size=1, max_size=5),
       sep=st.sampled_from(["\n\n", "\n \n", "\n\n\n"]))
@example(paras=["a.\nb."], sep="\n\n")    # a single newline does not end a paragraph
@example(paras=["a", "b", "c"], sep="\n\n")    # one-character paragraphs, the last one too
def test_paragraph_spans(kata, paras, sep):
    text = sep.join(paras) + "\n"
    got = [text[a:b] for a, b in kata.paragraph_spans(text)]
    assert got == paras, f"paragraph_spans({text!r}) gave {got}, expected {paras} (blank lines separate paragraphs)"


@given(sentences=st.lists(SENTENCE, min_size=1, max_size=8), max_chars=st.integers(1, 40))
@example(sentences=["ab.", "cd."], max_chars=7)   # "ab. cd." is exactly 7: one chunk
@example(sentences=["ab.", "cd."], max_chars=6)
def test_sentence_chunks_pack_whole_sentences(kata, sentences, max_chars):
    text = " ".join(sentences)
    spans = kata.sentence_spans(text)
    want = []
    for s, e in spans:
        if want and e - want[-1][0] <= max_chars:
            want[-1] = (want[-1][0], e)
        else:
            want.append((s, e))
    got = [tuple(c) for c in kata.sentence_chunks(text, max_chars)]
    assert got == want, (f"sentence_chunks({text!r}, {max_chars}) = {got}, expected {want}: add each sentence to the "
                         f"current chunk while the chunk (first sentence start to this sentence end) fits in max_chars, "
                         f"else start a new chunk; an over-long sentence is a chunk of its own")


@given(length=st.integers(0, 60), size=st.integers(1, 20), stride=st.integers(1, 20))
@example(length=10, size=4, stride=3)    # windows 0, 3, 6, then a final window [6, 10)? no: [6,10) is the last
@example(length=11, size=4, stride=4)    # tail not covered by the stride: an extra window ending at 11
@example(length=3, size=5, stride=2)     # shorter than a window
def test_sliding_windows(kata, length, size, stride):
    if stride > size:
        with pytest.raises(ValueError):
            kata.sliding_window_chunks(length, size, stride)
        return
    got = [tuple(c) for c in kata.sliding_window_chunks(length, size, stride)]
    want = [(s, min(s + size, length)) for s in range(0, max(length - size, 0) + 1, stride)] if length else []
    if want and want[-1][1] < length:
        want.append((length - size, length))
    assert got == want, (f"sliding_window_chunks({length}, {size}, {stride}) = {got}, expected {want}: windows "
                         f"start every stride characters while they fit, plus one final window ending at the text's "
                         f"end if the tail is not covered")
    covered = set().union(*(range(a, b) for a, b in got)) if got else set()
    assert covered == set(range(length)), "every character must be in some window"


def test_bad_sizes_raise(kata):
    for args in ((10, 0, 1), (10, 4, 0), (10, 4, 5), (0, 4, 0), (0, 0, 1)):   # also for an empty text
        with pytest.raises(ValueError):
            kata.sliding_window_chunks(*args)
    with pytest.raises(ValueError):
        kata.sentence_chunks("a. b.", 0)
    with pytest.raises(ValueError):
        kata.span_coverage([(0, 1)], [])


@given(chunks=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)).map(sorted).map(tuple), max_size=5),
       facts=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)).map(sorted).map(tuple), min_size=1, max_size=5))
@example(chunks=[(0, 5)], facts=[(0, 5), (4, 6)])
def test_span_coverage(kata, chunks, facts):
    want = sum(any(a <= s and e <= b for a, b in chunks) for s, e in facts) / len(facts)
    got = kata.span_coverage(chunks, facts)
    assert abs(got - want) < 1e-12, (f"span_coverage({chunks}, {facts}) = {got}, expected {want}: the fraction of facts "
                                     f"lying entirely inside at least one chunk")


def test_shakespeare_experiment(kata):
    text = lm.corpus_text()[:20_000]
    facts = kata.sentence_spans(text)
    cover = {name: kata.span_coverage(chunks, facts) for name, chunks in (
        ("sentences", kata.sentence_chunks(text, 300)),
        ("windows, no overlap", kata.sliding_window_chunks(len(text), 300, 300)),
        ("windows, half overlap", kata.sliding_window_chunks(len(text), 300, 150)))}
    assert cover["sentences"] == 1.0, f"sentence chunks keep every sentence whole: {cover}"
    assert cover["windows, no overlap"] < cover["windows, half overlap"] < 1.0, (
        f"on Shakespeare, fixed windows cut sentences; overlap cuts fewer: {cover}")

"""Tests for ret-04-10, groundedness metrics: answer-evidence support and citation precision / recall.

References: hand-checked answers whose recall, precision and support are worked out in the comments
(ALCE's definitions, Gao et al. 2023); sklearn's CountVectorizer(binary=True) token sets for the
support score; answers assembled from known sentences and citations, whose split is known by
construction; and the metric definitions recomputed by brute force over drawn answers.
"""
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from grader.testing import assert_close, describe_call

SOURCES = {"s1": "Romeo loves Juliet in Verona.", "s2": "Tybalt is slain by Romeo.", "s3": "The friar sends a letter."}
HAND = [
    # sentence 1: {romeo, loves, juliet} all in s1 -> supported, s1 relevant.
    # sentence 2: {tybalt, slain, romeo} all in s2 -> supported; s2 relevant alone; s3 alone 0/3 and the
    #   sentence stays supported without it -> s3 irrelevant.
    # sentence 3: {letter, never, arrives} vs s3 -> 1/3 < 0.5 -> unsupported, s3 irrelevant.
    # recall 2/3, precision 2/4; answer: 6 of {romeo loves juliet tybalt slain letter never arrives} -> 6/8.
    ("Romeo loves Juliet [s1]. Tybalt is slain by Romeo [s2][s3]. The letter never arrives [s3].", 0.5,
     dict(citation_recall=2 / 3, citation_precision=0.5, answer_support=0.75, n_sentences=3, n_citations=4)),
    # {romeo loves juliet tybalt slain}: s1 alone 3/5, s2 alone 3/5 < 0.8, together 5/5. Each is needed:
    # without s1 (s2 only) 0.6 < 0.8 -> s1 relevant, and the same for s2. recall 1, precision 1.
    ("Romeo loves Juliet and Tybalt is slain [s1][s2].", 0.8,
     dict(citation_recall=1.0, citation_precision=1.0, answer_support=1.0, n_sentences=1, n_citations=2)),
    # the same sentence at threshold 0.5: each citation supports it alone -> both relevant.
    ("Romeo loves Juliet and Tybalt is slain [s1][s2].", 0.5,
     dict(citation_recall=1.0, citation_precision=1.0, answer_support=1.0, n_sentences=1, n_citations=2)),
    # {romeo, weeps}: s1 has romeo -> exactly 0.5 = threshold -> supported (>=).
    ("Romeo weeps [s1].", 0.5, dict(citation_recall=1.0, citation_precision=1.0, answer_support=0.5,
                                    n_sentences=1, n_citations=1)),
    # no citation: recall 0, precision 0.0 by definition; all words are in the sources.
    ("Romeo loves Juliet!", 0.5, dict(citation_recall=0.0, citation_precision=0.0, answer_support=1.0,
                                      n_sentences=1, n_citations=0)),
    # an unknown id has the empty text: unsupported, irrelevant.
    ("Romeo loves Juliet [s9]? Tybalt is slain [s2] [s2].", 0.5,
     dict(citation_recall=0.5, citation_precision=0.5, answer_support=1.0, n_sentences=2, n_citations=2)),
    # the marker after the full stop belongs to the next sentence; "the friar" -> {friar}, supported by s3.
    ("Romeo loves Juliet. [s3] The friar.", 0.5,
     dict(citation_recall=0.5, citation_precision=1.0, answer_support=1.0, n_sentences=2, n_citations=1)),
]


@pytest.mark.parametrize("case", range(len(HAND)))
def test_hand_checked_answers(kata, case):
    answer, threshold, want = HAND[case]
    sources = dict(SOURCES)
    call = describe_call("citation_metrics", answer, "SOURCES", threshold=threshold)
    got = kata.citation_metrics(answer, sources, threshold=threshold)
    assert sources == SOURCES, f"{call} modified the sources dict"
    assert set(got) == set(want), f"{call} returned keys {sorted(got)}, expected {sorted(want)}"
    for key, value in want.items():
        assert_close(got[key], value, rtol=0, atol=1e-12, name=key, call=call)


def test_default_threshold_is_one_half(kata):
    for answer, threshold, want in HAND:
        if threshold == 0.5:
            got = kata.citation_metrics(answer, SOURCES)
            call = describe_call("citation_metrics", answer, "SOURCES")
            assert_close([got["citation_recall"], got["citation_precision"]],
                         [want["citation_recall"], want["citation_precision"]], rtol=0, atol=1e-12,
                         name="recall and precision with the default threshold", call=call)


WORDS = ["romeo", "Juliet", "the", "of", "Verona", "friar", "letter", "and", "thou", "DEATH", "love's", "2", "a"]
PUNCT = [" ", " ", ", ", "; ", " - "]


@st.composite
def texts(draw: st.DrawFn, max_words: int = 8) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), max_size=max_words))
    seps = draw(st.lists(st.sampled_from(PUNCT), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True)).strip()


def vectorizer_support(claim: str, evidence: str, stop: frozenset) -> float:
    cv = CountVectorizer(token_pattern=r"[a-z0-9']+", lowercase=True, stop_words=sorted(stop), binary=True)
    try:
        m = cv.fit_transform([claim, evidence]).toarray()
    except ValueError:            # empty vocabulary: the claim has no content token
        return 1.0
    claim_vocab = m[0] > 0
    if not claim_vocab.any():
        return 1.0
    return float((m[1][claim_vocab] > 0).sum() / claim_vocab.sum())


@given(claim=texts(), evidence=texts(12))
@example(claim="the of a", evidence="romeo")              # nothing to support: 1.0
@example(claim="Romeo romeo ROMEO juliet", evidence="romeo")   # repeats count once: 1/2
@example(claim="friar", evidence="")
def test_support_matches_countvectorizer_sets(kata, claim, evidence):
    call = describe_call("support", claim, evidence)
    got = kata.support(claim, evidence)
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected float"
    assert_close(got, vectorizer_support(claim, evidence, kata.STOPWORDS), rtol=0, atol=1e-12,
                 name="support (vs CountVectorizer token sets)", call=call)


@st.composite
def answers(draw: st.DrawFn) -> tuple[str, list[tuple[str, list[str]]]]:
    """An answer assembled from known sentences and citations, and its split by construction."""
    ids = ["s1", "s2", "s3", "s9"]
    n = draw(st.integers(1, 4))
    parts, want = [], []
    for _ in range(n):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
        cited = draw(st.lists(st.sampled_from(ids), max_size=3))
        place = draw(st.sampled_from(["end", "middle"]))
        end = draw(st.sampled_from([".", "!", "?"]))
        marks = "".join(f"[{c}]" for c in cited)
        if place == "middle" and len(words) > 1:
            body = " ".join(words[:1]) + " " + marks + " " + " ".join(words[1:])
        else:
            body = " ".join(words) + (" " + marks if marks else "")
        parts.append(body + end)
        want.append((" ".join(words) + end, list(dict.fromkeys(cited))))
    space = draw(st.sampled_from([" ", "  ", "\n", " \t"]))
    return space.join(parts), want


@given(built=answers())
@example(built=("Romeo [s1] loves [s2][s1] Juliet. Tybalt dies!", [("Romeo loves Juliet.", ["s1", "s2"]),
                                                                   ("Tybalt dies!", [])]))
def test_split_claims_by_construction(kata, built):
    answer, want = built
    call = describe_call("split_claims", answer)
    got = kata.split_claims(answer)
    got = [(t, list(c)) for t, c in got]
    want = [(" ".join(t.split()), c) for t, c in want]
    assert got == want, f"{call} returned\n  {got}\nexpected\n  {want}"


def brute_metrics(claims: list[tuple[str, list[str]]], sources: dict, t: float, stop: frozenset) -> dict:
    def sup(text: str, ids: list[str]) -> bool:
        return vectorizer_support(text, " ".join(sources.get(i, "") for i in ids), stop) >= t
    recall = [bool(c) and sup(s, c) for s, c in claims]
    rel = [sup(s, [x]) or (r and not sup(s, [y for y in c if y != x])) for (s, c), r in zip(claims, recall, strict=True)
           for x in c]
    return dict(citation_recall=sum(recall) / len(claims), citation_precision=sum(rel) / len(rel) if rel else 0.0,
                answer_support=vectorizer_support(" ".join(s for s, _ in claims), " ".join(sources.values()), stop),
                n_sentences=len(claims), n_citations=len(rel))


@given(built=answers(), src=st.lists(texts(6), min_size=3, max_size=3), threshold=st.sampled_from([0.25, 0.5, 2 / 3, 1.0]))
@example(built=("romeo Juliet [s1][s2].", [("romeo Juliet.", ["s1", "s2"])]), src=["romeo", "Juliet", ""], threshold=1.0)
def test_metrics_match_definitions_on_drawn_answers(kata, built, src, threshold):
    answer, _ = built
    sources = {"s1": src[0], "s2": src[1], "s3": src[2]}
    claims = kata.split_claims(answer)
    want = brute_metrics([(t, list(c)) for t, c in claims], sources, threshold, kata.STOPWORDS)
    call = describe_call("citation_metrics", answer, sources, threshold=threshold)
    got = kata.citation_metrics(answer, sources, threshold=threshold)
    for key, value in want.items():
        assert_close(got[key], value, rtol=0, atol=1e-12, name=key, call=call)


@given(threshold=st.sampled_from([0.0, -0.5, 1.0000001, 2.0]))
def test_rejects_bad_threshold(kata, threshold):
    with pytest.raises(ValueError):
        kata.citation_metrics("Romeo loves Juliet [s1].", SOURCES, threshold=threshold)
        pytest.fail(f"citation_metrics(threshold={threshold}) returned instead of raising ValueError")


@given(answer=st.sampled_from(["", "   ", "[s1]", "[s1] [s2] \n"]))
def test_rejects_answer_without_sentences(kata, answer):
    with pytest.raises(ValueError):
        kata.citation_metrics(answer, SOURCES)
        pytest.fail(f"citation_metrics({answer!r}) returned instead of raising ValueError")

"""Tests for ret-01-1, a TF-IDF vectorizer.

Reference: scikit-learn's TfidfVectorizer fitted on the same tokenized documents (a callable
analyzer hands it the tokens unchanged), with the same smooth_idf, sublinear_tf and norm options:
its vocabulary_, idf_ and transform() are what the learner's functions must reproduce.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

TOKENS = ["the", "cat", "sat", "on", "mat", "a", "dog", "Zebra", "ant"]


def docs_strategy(min_docs: int = 1, max_docs: int = 6) -> st.SearchStrategy[list[list[str]]]:
    return st.lists(st.lists(st.sampled_from(TOKENS), max_size=7), min_size=min_docs, max_size=max_docs)


def identity(tokens: list[str]) -> list[str]:
    return tokens


def sklearn_vectorizer(docs: list[list[str]], **options: object) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=identity, **options).fit(docs)


def sk_transform(vec: TfidfVectorizer, batch: list[list[str]]) -> np.ndarray:
    """vec.transform as a dense array; sklearn refuses an empty batch, whose answer is (0, V)."""
    if not batch:
        return np.zeros((0, len(vec.vocabulary_)))
    return vec.transform(batch).toarray()


def reference_counts(batch: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    counts = np.zeros((len(batch), len(vocab)))
    for i, doc in enumerate(batch):
        for tok in doc:
            if tok in vocab:
                counts[i, vocab[tok]] += 1
    return counts


def nonempty(docs: list[list[str]]) -> list[list[str]]:
    return docs if any(docs) else [*docs, ["cat"]]


@given(docs=docs_strategy())
@example(docs=[["the", "cat"], ["Zebra", "ant", "the"]])   # capitals sort before lower case
@example(docs=[["mat"]])
def test_vocabulary_matches_sklearn(kata, docs):
    docs = nonempty(docs)
    call = describe_call("build_vocabulary", docs)
    got = kata.build_vocabulary(docs)
    want = {t: int(i) for t, i in sklearn_vectorizer(docs).vocabulary_.items()}
    assert got == want, f"{call} returned {got}, expected {want} (distinct tokens numbered in sorted order)"


@given(docs=st.lists(st.just([]), min_size=0, max_size=3))
def test_empty_vocabulary_is_rejected(kata, docs):
    with pytest.raises(ValueError):
        kata.build_vocabulary(docs)
        pytest.fail(f"build_vocabulary({docs!r}) returned instead of raising ValueError (no token at all)")


@given(docs=docs_strategy(), queries=docs_strategy(0, 3))
@example(docs=[["cat", "cat", "cat", "sat"]], queries=[["dog", "cat", "cat"]])
def test_count_matrix_matches_sklearn_counts(kata, docs, queries):
    docs = nonempty(docs)
    vec = sklearn_vectorizer(docs, use_idf=False, norm=None)
    vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
    for batch in (docs, queries):
        call = describe_call("count_matrix", batch, vocab)
        got = kata.count_matrix(batch, vocab)
        assert_equal(got, sk_transform(vec, batch), name="counts", call=call)
        assert np.asarray(got).dtype == np.float64, f"{call} returned dtype {np.asarray(got).dtype}, expected float64"


@given(docs=docs_strategy(), smooth=st.booleans())
@example(docs=[["cat"], ["cat", "dog"]], smooth=False)    # df = n gives idf exactly 1
@example(docs=[["cat", "cat", "cat"], ["dog"], ["dog"]], smooth=True)   # repeated tokens count once in df
def test_idf_matches_sklearn(kata, docs, smooth):
    docs = nonempty(docs)
    vec = sklearn_vectorizer(docs, smooth_idf=smooth)
    counts = reference_counts(docs, {t: int(i) for t, i in vec.vocabulary_.items()})
    call = describe_call("inverse_document_frequency", counts, smooth_idf=smooth)
    got = call_unmodified(kata.inverse_document_frequency, counts, smooth_idf=smooth)
    # both compute one log per term in float64
    assert_close(got, vec.idf_, rtol=1e-12, atol=1e-12, name="idf", call=call)


@given(n=st.integers(1, 4), smooth=st.booleans())
def test_idf_default_is_smooth(kata, n, smooth):
    counts = np.zeros((n + 1, 3))
    counts[0, :] = 1
    counts[1:, 0] = 2
    want = kata.inverse_document_frequency(counts, smooth_idf=True)
    got = kata.inverse_document_frequency(counts)
    assert_close(got, want, rtol=0, atol=0, name="idf with the default smooth_idf",
                 call=describe_call("inverse_document_frequency", counts))


@given(n=st.integers(1, 4))
def test_unsmoothed_idf_of_an_unseen_term_is_rejected(kata, n):
    counts = np.ones((n, 3))
    counts[:, 1] = 0
    with pytest.raises(ValueError):
        kata.inverse_document_frequency(counts, smooth_idf=False)
        pytest.fail("inverse_document_frequency(smooth_idf=False) with an all-zero column returned "
                    "instead of raising ValueError")
    # smoothing makes the same column finite: ln(1 + n) + 1
    got = kata.inverse_document_frequency(counts, smooth_idf=True)
    assert_close(got[1], np.log(1 + n) + 1, rtol=1e-12, atol=0, name="smoothed idf of an unseen term",
                 call=describe_call("inverse_document_frequency", counts, smooth_idf=True))


@given(docs=docs_strategy(), queries=docs_strategy(1, 3), smooth=st.booleans(), sublinear=st.booleans(),
       norm=st.sampled_from(["l2", "l1", None]), int_counts=st.booleans())
@example(docs=[["cat", "cat", "cat", "sat"], ["dog"]], queries=[["ant"], ["cat", "cat"]], smooth=True,
         sublinear=True, norm="l2", int_counts=False)        # a query of unseen words: an all-zero row
@example(docs=[["cat", "cat", "dog"], ["dog", "dog", "dog", "cat"]], queries=[["cat"]], smooth=False,
         sublinear=True, norm=None, int_counts=True)         # tf 1 + ln(count), from integer counts
@example(docs=[["cat", "cat", "dog"], ["dog"]], queries=[["dog", "dog", "cat"]], smooth=True,
         sublinear=False, norm="l1", int_counts=False)
def test_tfidf_matches_sklearn(kata, docs, queries, smooth, sublinear, norm, int_counts):
    """Counts may arrive as integers (np.int64) or floats: the result is float64 either way."""
    docs = nonempty(docs)
    vec = sklearn_vectorizer(docs, smooth_idf=smooth, sublinear_tf=sublinear, norm=norm)
    vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
    idf = np.array(vec.idf_)
    for batch in (docs, queries):
        counts = reference_counts(batch, vocab).astype(np.int64 if int_counts else np.float64)
        call = describe_call("tfidf_transform", counts, idf, sublinear_tf=sublinear, norm=norm)
        got = call_unmodified(kata.tfidf_transform, counts, idf, sublinear_tf=sublinear, norm=norm)
        # a handful of float64 multiplies, one log and one norm per row
        assert_close(got, sk_transform(vec, batch), rtol=1e-10, atol=1e-12, name="tf-idf rows", call=call)


@given(docs=docs_strategy(1, 4))
def test_tfidf_defaults_are_raw_tf_and_l2(kata, docs):
    docs = nonempty(docs)
    vec = sklearn_vectorizer(docs)
    counts = 2 * reference_counts(docs, {t: int(i) for t, i in vec.vocabulary_.items()})  # counts > 1: sublinear tf differs
    call = describe_call("tfidf_transform", counts, vec.idf_)
    want = counts * vec.idf_
    want = want / np.maximum(np.linalg.norm(want, axis=1, keepdims=True), 1e-300)
    assert_close(kata.tfidf_transform(counts, np.array(vec.idf_)), want, rtol=1e-10, atol=1e-12,
                 name="tf-idf rows with default options", call=call)


@given(norm=st.sampled_from(["l3", "L2", "max", ""]))
def test_unknown_norm_is_rejected(kata, norm):
    with pytest.raises(ValueError):
        kata.tfidf_transform(np.ones((2, 3)), np.ones(3), norm=norm)
        pytest.fail(f"tfidf_transform(norm={norm!r}) returned instead of raising ValueError")


@given(docs=docs_strategy(2, 6), queries=docs_strategy(1, 3))
def test_end_to_end_ranking_matches_sklearn(kata, docs, queries):
    """The whole pipeline, learner's functions only: cosine ranking of documents for each query."""
    docs = nonempty(docs)
    vocab = kata.build_vocabulary(docs)
    counts = kata.count_matrix(docs, vocab)
    idf = kata.inverse_document_frequency(counts)
    d = kata.tfidf_transform(counts, idf)
    q = kata.tfidf_transform(kata.count_matrix(queries, vocab), idf)
    vec = sklearn_vectorizer(docs)
    want = sk_transform(vec, queries) @ sk_transform(vec, docs).T
    assert_close(q @ d.T, want, rtol=1e-10, atol=1e-12, name="query-document cosine scores",
                 call="build_vocabulary -> count_matrix -> inverse_document_frequency -> tfidf_transform")

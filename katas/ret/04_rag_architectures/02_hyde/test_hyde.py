"""Tests for ret-04-2, HyDE (hypothetical document embeddings).

References: the mean of unit-length embeddings recomputed in float64; faiss.IndexFlatIP searched with
that mean over embeddings of real tiny-Shakespeare speeches; hypothetical documents from scripted
generators and sampled from the workbook's char-level GPT (grader.lm), recorded by a spy so the
reference uses exactly the texts the learner's code received.
"""
from functools import lru_cache

import faiss
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.testing import assert_close, assert_equal, describe_call

faiss.omp_set_num_threads(1)
WORDS = ["romeo", "juliet", "night", "the", "king", "death", "love", "sword", "crown", "o", "!", "--"]


@lru_cache(maxsize=1)
def speeches() -> tuple[str, ...]:
    return tuple(s.strip() for s in lm.corpus_text().split("\n\n") if s.strip())


def corpus_vectors(kata: object, start: int, count: int) -> np.ndarray:
    x = kata.embed_texts(list(speeches()[start:start + count]))
    faiss.normalize_L2(x)
    return x


def unit_mean(kata: object, texts: list[str], embed: object) -> np.ndarray:
    v = np.asarray(embed(texts), dtype=np.float64)
    n = np.linalg.norm(v, axis=1, keepdims=True)
    return (v / np.where(n == 0, 1, n)).mean(axis=0)


def scaled(embed: object) -> object:
    """embed with rows scaled by 0.2 .. 5 depending on the text: HyDE's mean of unit vectors is unchanged."""
    def scaled_embed(texts: list[str]) -> np.ndarray:
        return embed(texts) * np.array([0.2 + (len(t) % 25) / 5 for t in texts], dtype=np.float32)[:, None]
    return scaled_embed


text = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)


@given(query=text, docs=st.lists(text, max_size=4), include_query=st.booleans(), rescale=st.booleans())
@example(query="romeo", docs=["juliet juliet", "!!"], include_query=True, rescale=True)   # a wordless document
@example(query="the king", docs=[], include_query=True, rescale=False)                     # no documents: the query alone
@example(query="-- !", docs=["love"], include_query=False, rescale=True)
def test_hyde_vector_is_mean_of_unit_embeddings(kata, query, docs, include_query, rescale):
    if not docs and not include_query:
        docs = ["night"]
    embed = scaled(kata.embed_texts) if rescale else kata.embed_texts
    call = describe_call("hyde_vector", query, docs, "embed", include_query=include_query)
    got = kata.hyde_vector(query, docs, embed, include_query=include_query)
    assert np.asarray(got).dtype == np.float64, f"{call} returned dtype {np.asarray(got).dtype}, expected float64"
    want = unit_mean(kata, ([query] if include_query else []) + docs, kata.embed_texts)
    # float32 embeddings normalized: ~1e-7 per element
    assert_close(got, want, rtol=0, atol=1e-6, name="HyDE vector", call=call)


@given(query=text, docs=st.lists(text, min_size=1, max_size=3))
def test_hyde_vector_default_includes_query(kata, query, docs):
    call = describe_call("hyde_vector", query, docs, "embed_texts")
    got = kata.hyde_vector(query, docs, kata.embed_texts)
    assert_close(got, unit_mean(kata, [query] + docs, kata.embed_texts), rtol=0, atol=1e-6,
                 name="HyDE vector (default include_query=True)", call=call)


def test_hyde_vector_with_nothing_to_average_raises(kata):
    with pytest.raises(ValueError):
        kata.hyde_vector("romeo", [], kata.embed_texts, include_query=False)
        pytest.fail("hyde_vector with no documents and include_query=False returned instead of raising ValueError")


class Spy:
    """Wraps a generator, recording each call and what it returned."""

    def __init__(self, generate: object) -> None:
        self.generate, self.calls = generate, []

    def __call__(self, prompt: str, n: int) -> list[str]:
        out = self.generate(prompt, n)
        self.calls.append((prompt, n, list(out)))
        return out


def check_search(kata: object, got: tuple, corpus: np.ndarray, v: np.ndarray, k: int, call: str) -> None:
    ids, scores = got
    kk = min(k, len(corpus))
    assert np.asarray(ids).dtype == np.int64, f"{call} returned ids of dtype {np.asarray(ids).dtype}, expected int64"
    assert np.asarray(scores).dtype == np.float64, f"{call} returned scores of dtype {np.asarray(scores).dtype}, expected float64"
    assert_equal(np.asarray(ids).shape, (kk,), name="ids shape", call=call)
    index = faiss.IndexFlatIP(corpus.shape[1])
    index.add(corpus)
    want = index.search(v[None].astype(np.float32), kk)[0][0] if kk else np.zeros(0)
    # FAISS in float32: ~1e-6
    assert_close(scores, want, rtol=0, atol=1e-5, name="scores (vs faiss.IndexFlatIP with the HyDE vector)", call=call)
    exact = corpus.astype(np.float64) @ v
    assert_close(exact[np.asarray(ids)], want, rtol=0, atol=1e-5, name="scores of the returned ids (float64)", call=call)
    assert len(set(np.asarray(ids).tolist())) == kk, f"{call} returned an id twice: {ids}"


@settings(max_examples=10)
@given(start=st.integers(0, 7000), count=st.integers(1, 80), pick=st.integers(0, 10**6), k=st.integers(0, 6),
       n=st.integers(1, 4), include_query=st.booleans())
@example(start=500, count=60, pick=5, k=6, n=3, include_query=True)
@example(start=10, count=3, pick=0, k=5, n=1, include_query=False)    # k > N
def test_hyde_search_with_scripted_generator(kata, start, count, pick, k, n, include_query):
    every = speeches()
    corpus = corpus_vectors(kata, start, count)
    target = every[start + pick % min(count, len(every) - start)]
    query = target.split("\n")[0]
    spy = Spy(lambda prompt, m: [" ".join(target.split()[i::m]) for i in range(m)])   # documents "about" the target
    call = describe_call("hyde_search", query, "scripted generator", "embed_texts", corpus, k, n=n,
                         include_query=include_query)
    got = kata.hyde_search(query, spy, kata.embed_texts, corpus, k, n=n, include_query=include_query)
    assert [(p, m) for p, m, _ in spy.calls] == [(query, n)], (
        f"{call} called generate as {[(p, m) for p, m, _ in spy.calls]}, expected once with ({query!r}, {n})")
    v = unit_mean(kata, ([query] if include_query else []) + spy.calls[0][2], kata.embed_texts)
    check_search(kata, got, corpus, v, k, call)


@settings(max_examples=3)
@given(start=st.integers(0, 7000), pick=st.integers(0, 50), k=st.integers(1, 5), seed=st.integers(0, 100))
@example(start=1000, pick=3, k=4, seed=0)
def test_hyde_search_with_the_char_lm(kata, start, pick, k, seed):
    """Hypothetical documents sampled from the workbook's char-level GPT."""
    corpus = corpus_vectors(kata, start, 50)
    query = speeches()[min(start + pick, len(speeches()) - 1)].split("\n")[0]
    spy = Spy(kata.char_lm_generator(lm.load_model(), length=24, seed=seed))
    call = describe_call("hyde_search", query, "char-LM generator", "embed_texts", corpus, k, n=2)
    got = kata.hyde_search(query, spy, kata.embed_texts, corpus, k, n=2)
    assert len(spy.calls) == 1, f"{call} called generate {len(spy.calls)} times, expected once"
    check_search(kata, got, corpus, unit_mean(kata, [query] + spy.calls[0][2], kata.embed_texts), k, call)


@given(start=st.integers(0, 7000), k=st.integers(0, 5))
def test_n_zero_searches_with_the_query_alone(kata, start, k):
    corpus = corpus_vectors(kata, start, 30)
    query = "my lord the king is dead"
    spy = Spy(lambda prompt, m: ["never"] * m)
    call = describe_call("hyde_search", query, "generator", "embed_texts", corpus, k, n=0)
    got = kata.hyde_search(query, spy, kata.embed_texts, corpus, k, n=0)
    assert spy.calls == [], f"{call} called generate {len(spy.calls)} times with n=0, expected never"
    check_search(kata, got, corpus, unit_mean(kata, [query], kata.embed_texts), k, call)


def test_hyde_search_default_n_is_four(kata):
    corpus = corpus_vectors(kata, 200, 40)
    spy = Spy(lambda prompt, m: ["the crown", "a sword", "o night", "love"][:m])
    got = kata.hyde_search("the king", spy, kata.embed_texts, corpus, 3)
    assert [m for _, m, _ in spy.calls] == [4], f"hyde_search with the default n asked for {[m for _, m, _ in spy.calls]} documents, expected [4]"
    check_search(kata, got, corpus, unit_mean(kata, ["the king", "the crown", "a sword", "o night", "love"], kata.embed_texts),
                 3, describe_call("hyde_search", "the king", "generator", "embed_texts", corpus, 3))


@given(n=st.integers(1, 5), k=st.integers(1, 8))
@example(n=2, k=8)
def test_equal_scores_in_increasing_id(kata, n, k):
    rows = kata.embed_texts(["romeo", "juliet", "romeo", "the king", "juliet", "romeo"])
    faiss.normalize_L2(rows)
    got, _ = kata.hyde_search("romeo juliet", lambda prompt, m: ["juliet romeo"] * m, kata.embed_texts, rows, k, n=n)
    scores = rows.astype(np.float64) @ unit_mean(kata, ["romeo juliet"] + ["juliet romeo"] * n, kata.embed_texts)
    want = np.argsort(-np.round(scores, 9), kind="stable")[:k]
    assert_equal(got, want, name="ids (equal scores in increasing id)",
                 call=describe_call("hyde_search", "romeo juliet", "generator", "embed_texts", rows, k, n=n))


@given(bad=st.sampled_from(["k", "n", "fewer", "more", "nothing"]))
def test_bad_arguments_raise(kata, bad):
    corpus = corpus_vectors(kata, 0, 10)
    gen = {"fewer": lambda p, m: ["x"] * (m - 1), "more": lambda p, m: ["x"] * (m + 1)}.get(bad, lambda p, m: ["x"] * m)
    kwargs = {"k": {"k": -1}.get(bad, 3), "n": {"n": -2, "nothing": 0}.get(bad, 2),
              "include_query": bad != "nothing"}
    with pytest.raises(ValueError):
        kata.hyde_search("romeo", gen, kata.embed_texts, corpus, **kwargs)
        pytest.fail(f"hyde_search({bad} case: {kwargs}) returned instead of raising ValueError")

"""Tests for ret-03-2, word analogies and nearest neighbours.

References: faiss.IndexFlatIP over faiss.normalize_L2'd vectors (cosine search; 3CosAdd is a search
for b - a + c among unit vectors) on word vectors trained on the workbook's tiny-Shakespeare corpus;
brute-force float64 scores on drawn vectors (with zero rows and spread norms) for both 3CosAdd and
3CosMul; duplicated rows for the tie order.
"""
import faiss
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call

faiss.omp_set_num_threads(1)
EPS = 1e-3
# Analogy questions the corpus can support (pronouns, titles, kin, archaic forms), a few with words
# missing from the 1000-word vocabulary.
QUESTIONS = [("he", "she", "him", "her"), ("he", "she", "his", "her"), ("man", "woman", "king", "queen"),
             ("lord", "lady", "king", "queen"), ("father", "mother", "son", "daughter"),
             ("king", "queen", "lord", "lady"), ("him", "her", "he", "she"), ("thou", "thee", "he", "him"),
             ("i", "my", "he", "his"), ("we", "our", "they", "their"), ("i", "me", "we", "us"),
             ("he", "his", "she", "her"), ("good", "better", "bad", "worse"), ("son", "daughter", "brother", "sister"),
             ("i", "my", "thou", "thy"), ("i", "me", "thou", "thee"), ("my", "mine", "thy", "thine"),
             ("he", "him", "they", "them"), ("romeo", "juliet", "petruchio", "katharina"),
             ("day", "night", "morning", "evening"), ("boy", "girl", "man", "woman")]


def corpus(kata: object) -> tuple[np.ndarray, tuple[str, ...]]:
    return kata.corpus_embeddings()


def vectors(seed: int, v: int, d: int, dtype: type, zero_rows: bool) -> np.ndarray:
    """Gaussian vectors with norms spread over [0.25, 4] (so cosine and dot product disagree)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((v, d)) * rng.uniform(0.25, 4.0, size=(v, 1))
    if zero_rows:
        x[rng.random(v) < 0.25] = 0.0
    return x.astype(dtype)


def cosines(emb: np.ndarray) -> np.ndarray:
    x = emb.astype(np.float64)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    u = x / np.where(n == 0, 1, n)
    return u @ u.T


def analogy_scores(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, method: str) -> np.ndarray:
    cos = cosines(emb)
    if method == "add":
        s = cos[b] - cos[a] + cos[c]
    else:
        s = ((cos[b] + 1) / 2) * ((cos[c] + 1) / 2) / ((cos[a] + 1) / 2 + EPS)
    rows = np.arange(len(a))
    for ex in (a, b, c):
        s[rows, ex] = -np.inf
    return s


def check_topk(ids: np.ndarray, scores: np.ndarray, k: int, excluded: list[np.ndarray], tol: float,
               what: str, call: str) -> None:
    """The returned ids are distinct, not excluded, and their exact scores are the k best, in order."""
    m = scores.shape[0]
    assert_equal(np.asarray(ids).shape, (m, k), name=f"{what} ids shape", call=call)
    assert np.asarray(ids).dtype == np.int64, f"{call} returned ids of dtype {np.asarray(ids).dtype}, expected int64"
    for i in range(m):
        row = ids[i].tolist()
        assert len(set(row)) == len(row), f"{call} returned the same word twice for question {i}: {row}"
        for ex in excluded:
            assert ex[i] not in row, f"{call} returned word {ex[i]} for question {i}, which must be left out: {row}"
    best = -np.sort(-scores, axis=1)[:, :k]
    assert_close(np.take_along_axis(scores, ids, axis=1), best, rtol=0, atol=tol,
                 name=f"{what} (exact float64 scores of the returned ids vs the {k} best)", call=call)


@given(seed=seeds(), v=st.integers(2, 12), d=st.integers(1, 6), m=st.integers(1, 4), k=st.integers(0, 11),
       dtype=float_dtypes(), zero_rows=st.booleans())
@example(seed=0, v=5, d=3, m=3, k=4, dtype=np.float32, zero_rows=True)     # k = V - 1, zero vectors
@example(seed=1, v=2, d=1, m=2, k=1, dtype=np.float64, zero_rows=False)
def test_nearest_neighbours_brute_force(kata, seed, v, d, m, k, dtype, zero_rows):
    k = min(k, v - 1)
    emb = vectors(seed, v, d, dtype, zero_rows)
    query = np.random.default_rng(seed + 1).integers(0, v, size=m)
    call = describe_call("nearest_neighbours", emb, query, k)
    ids, sims = call_unmodified(kata.nearest_neighbours, emb, query, k)
    assert_dtype(sims, emb, name="sims", call=call)
    scores = cosines(emb)[query]
    scores[np.arange(m), query] = -np.inf
    # float32 cosines carry ~1e-7 relative error
    tol = 1e-5 if dtype == np.float32 else 1e-12
    check_topk(np.asarray(ids), scores, k, [query], tol, "neighbours", call)
    assert_close(sims, np.take_along_axis(cosines(emb)[query], np.asarray(ids), axis=1), rtol=0, atol=tol,
                 name="sims (cosine of each returned word)", call=call)


def axis_vectors(seed: int, v: int, d: int) -> np.ndarray:
    """Multiples of signed axis vectors: every cosine is exactly -1, 0 or 1, so ties are exact."""
    rng = np.random.default_rng(seed)
    x = np.zeros((v, d))
    x[np.arange(v), rng.integers(0, d, size=v)] = rng.choice([-2.0, -1.0, 1.0, 3.0], size=v)
    return x


@given(seed=seeds(), v=st.integers(3, 10), k=st.integers(1, 9), dtype=float_dtypes())
@example(seed=0, v=6, k=5, dtype=np.float32)
def test_nearest_neighbours_ties_in_increasing_id(kata, seed, v, k, dtype):
    emb = axis_vectors(seed, v, 2).astype(dtype)
    emb[-1] = 0.0   # a zero vector: cosine 0 with everything
    k = min(k, v - 1)
    query = np.array([0, 1, v - 1])
    scores = cosines(emb)[query]
    scores[np.arange(3), query] = -np.inf
    want = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    call = describe_call("nearest_neighbours", emb, query, k)
    ids, _ = kata.nearest_neighbours(emb, query, k)
    assert_equal(ids, want, name="neighbour ids (equal cosines in increasing id)", call=call)


@settings(max_examples=10)
@given(words=st.lists(st.sampled_from(["romeo", "king", "thou", "night", "father", "love", "lady", "good", "the"]),
                      min_size=1, max_size=4), k=st.integers(0, 12))
@example(words=["romeo"], k=1)
def test_nearest_neighbours_on_shakespeare_vs_faiss(kata, words, k):
    emb, vocab = corpus(kata)
    index = {w: i for i, w in enumerate(vocab)}
    query = np.array([index[w] for w in words])
    unit = emb.copy()
    faiss.normalize_L2(unit)
    flat = faiss.IndexFlatIP(emb.shape[1])
    flat.add(unit)
    want_sims, want_ids = flat.search(unit[query], k + 1)
    call = describe_call("nearest_neighbours", emb, query, k) + f" for {words}"
    ids, sims = kata.nearest_neighbours(emb, query, k)
    # each query finds itself first in FAISS (cosine 1); drop that column
    assert_close(sims, want_sims[:, 1:], rtol=0, atol=1e-5, name="neighbour cosines (vs faiss.IndexFlatIP)", call=call)
    scores = cosines(emb)[query]
    scores[np.arange(len(query)), query] = -np.inf
    check_topk(np.asarray(ids), scores, k, [query], 1e-5, "neighbours", call)
    if words[0] == "romeo" and k >= 1:
        got = vocab[int(ids[0, 0])]
        assert got == "juliet", f"{call}: romeo's nearest neighbour should be juliet, got {got!r}"


@given(seed=seeds(), v=st.integers(4, 12), d=st.integers(1, 6), m=st.integers(1, 4), k=st.integers(0, 9),
       method=st.sampled_from(["add", "mul"]), dtype=float_dtypes(), zero_rows=st.booleans())
@example(seed=0, v=6, d=3, m=3, k=3, method="mul", dtype=np.float64, zero_rows=False)   # k = V - 3
@example(seed=2, v=5, d=2, m=2, k=1, method="add", dtype=np.float32, zero_rows=True)
@example(seed=3, v=8, d=4, m=4, k=2, method="mul", dtype=np.float32, zero_rows=False)
def test_analogy_brute_force(kata, seed, v, d, m, k, method, dtype, zero_rows):
    k = min(k, v - 3)
    emb = vectors(seed, v, d, dtype, zero_rows)
    rng = np.random.default_rng(seed + 7)
    abc = np.stack([rng.choice(v, size=3, replace=False) for _ in range(m)])
    a, b, c = abc[:, 0].copy(), abc[:, 1].copy(), abc[:, 2].copy()
    call = describe_call("analogy", emb, a, b, c, k=k, method=method)
    ids = call_unmodified(kata.analogy, emb, a, b, c, k=k, method=method)
    tol = 1e-5 if dtype == np.float32 else 1e-12   # 3CosMul divides by >= EPS: still ~1e-5 in float32 near 0
    check_topk(np.asarray(ids), analogy_scores(emb, a, b, c, method), k, [a, b, c],
               tol if method == "add" else tol * 1e3, f"3Cos{method.capitalize()} answers", call)


@given(seed=seeds(), v=st.integers(5, 10), k=st.integers(1, 7), method=st.sampled_from(["add", "mul"]))
@example(seed=0, v=7, k=4, method="add")
@example(seed=1, v=9, k=6, method="mul")
def test_analogy_ties_in_increasing_id(kata, seed, v, k, method):
    emb = axis_vectors(seed, v, 3)
    a, b, c = np.array([0, 3]), np.array([1, 4]), np.array([2, 0])
    k = min(k, v - 3)
    want = np.argsort(-analogy_scores(emb, a, b, c, method), axis=1, kind="stable")[:, :k]
    call = describe_call("analogy", emb, a, b, c, k=k, method=method)
    assert_equal(kata.analogy(emb, a, b, c, k=k, method=method), want, name="answers (equal scores in increasing id)",
                 call=call)


@given(seed=seeds(), v=st.integers(3, 10), d=st.integers(1, 5), m=st.integers(1, 4),
       method=st.sampled_from(["add", "mul", None]), dtype=float_dtypes(), zero_rows=st.booleans())
@example(seed=0, v=5, d=3, m=2, method="mul", dtype=np.float32, zero_rows=True)
@example(seed=4, v=3, d=2, m=1, method=None, dtype=np.float64, zero_rows=False)
def test_analogy_scores_brute_force(kata, seed, v, d, m, method, dtype, zero_rows):
    emb = vectors(seed, v, d, dtype, zero_rows)
    rng = np.random.default_rng(seed + 3)
    a, b, c = (rng.integers(0, v, size=m) for _ in range(3))    # repeated words allowed
    kwargs = {} if method is None else {"method": method}
    call = describe_call("analogy_scores", emb, a, b, c, **kwargs)
    got = call_unmodified(kata.analogy_scores, emb, a, b, c, **kwargs)
    assert_dtype(got, emb, call=call)
    want = analogy_scores(emb, a, b, c, method or "add")
    # float32: cosines to ~1e-7; 3CosMul divides by s_a + EPS >= 1e-3, so up to ~1e-7 * 1e3 * scores of ~1
    tol = (1e-5 if method != "mul" else 1e-3) if dtype == np.float32 else 1e-9
    assert_close(got, want, rtol=tol, atol=tol, name=f"3Cos{(method or 'add').capitalize()} scores", call=call)


@settings(max_examples=8)
@given(picks=st.lists(st.integers(0, len(QUESTIONS) - 1), min_size=1, max_size=6, unique=True), k=st.integers(1, 5))
@example(picks=[0, 2, 13], k=3)
def test_analogy_3cosadd_on_shakespeare_vs_faiss(kata, picks, k):
    emb, vocab = corpus(kata)
    index = {w: i for i, w in enumerate(vocab)}
    qs = [QUESTIONS[p] for p in picks if all(w in index for w in QUESTIONS[p])] or [QUESTIONS[0]]
    a, b, c = (np.array([index[q[j]] for q in qs]) for j in range(3))
    unit = emb.copy()
    faiss.normalize_L2(unit)
    flat = faiss.IndexFlatIP(emb.shape[1])
    flat.add(unit)
    _, found = flat.search(np.ascontiguousarray(unit[b] - unit[a] + unit[c]), k + 3)
    want = np.array([[j for j in row if j not in (a[i], b[i], c[i])][:k] for i, row in enumerate(found)])
    call = describe_call("analogy", emb, a, b, c, k=k) + f" for {qs}"
    got = np.asarray(kata.analogy(emb, a, b, c, k=k))
    check_topk(got, analogy_scores(emb, a, b, c, "add"), k, [a, b, c], 1e-5, "3CosAdd answers", call)
    assert_equal(got[:, 0], want[:, 0], name="best answers (vs faiss.IndexFlatIP search for b - a + c)", call=call)


@settings(max_examples=8)
@given(picks=st.lists(st.integers(0, len(QUESTIONS) - 1), min_size=1, max_size=len(QUESTIONS), unique=True),
       method=st.sampled_from(["add", "mul", None]))
@example(picks=list(range(len(QUESTIONS))), method="mul")
@example(picks=list(range(len(QUESTIONS))), method=None)
def test_analogy_accuracy_on_shakespeare(kata, picks, method):
    emb, vocab = corpus(kata)
    index = {w: i for i, w in enumerate(vocab)}
    qs = [QUESTIONS[p] for p in picks]
    covered = [q for q in qs if all(w in index for w in q)]
    if not covered:
        qs, covered = qs + [QUESTIONS[0]], [QUESTIONS[0]]
    a, b, c, d = (np.array([index[q[j]] for q in covered]) for j in range(4))
    s = analogy_scores(emb, a, b, c, method or "add")
    want = float(np.mean(np.argmax(s, axis=1) == d))
    kwargs = {} if method is None else {"method": method}
    call = describe_call("analogy_accuracy", emb, f"{len(vocab)} words", f"{len(qs)} questions", **kwargs)
    acc, n = kata.analogy_accuracy(emb, vocab, qs, **kwargs)
    assert n == len(covered), f"{call} answered {n} questions, expected {len(covered)} (those with all four words in vocab)"
    assert_close(acc, want, rtol=0, atol=1e-12, name="accuracy", call=call)


@given(seed=seeds(), v=st.integers(4, 12), n=st.integers(1, 8), method=st.sampled_from(["add", "mul", None]))
@example(seed=0, v=6, n=6, method="mul")
def test_analogy_accuracy_on_drawn_vectors(kata, seed, v, n, method):
    """Random vectors and questions, where 3CosAdd and 3CosMul often disagree; some words unknown."""
    emb = vectors(seed, v, 3, np.float64, False)
    vocab = [f"w{i}" for i in range(v)]
    rng = np.random.default_rng(seed + 5)
    qs = [tuple(f"w{j}" for j in np.append(rng.choice(v, size=3, replace=False), rng.integers(0, v)))
          for _ in range(n)]
    qs += [("w0", "w1", "unknown", "w2")] * int(rng.integers(0, 3))
    covered = qs[:n]
    a, b, c, d = (np.array([int(q[j][1:]) for q in covered]) for j in range(4))
    want = float(np.mean(np.argmax(analogy_scores(emb, a, b, c, method or "add"), axis=1) == d))
    kwargs = {} if method is None else {"method": method}
    call = describe_call("analogy_accuracy", emb, f"{v} words", f"{len(qs)} questions", **kwargs)
    acc, answered = kata.analogy_accuracy(emb, vocab, qs, **kwargs)
    assert answered == n, f"{call} answered {answered} questions, expected {n}"
    assert_close(acc, want, rtol=0, atol=1e-12, name="accuracy", call=call)


def test_analogy_accuracy_rejects_no_answerable_question(kata):
    emb, vocab = corpus(kata)
    qs = [("day", "night", "morning", "evening"), ("zzz", "he", "she", "her")]
    with pytest.raises(ValueError):
        kata.analogy_accuracy(emb, vocab, qs)
        pytest.fail("analogy_accuracy with no question fully in the vocabulary returned instead of raising ValueError")


@given(v=st.integers(2, 6), extra=st.integers(0, 2), neg=st.integers(1, 3))
def test_nearest_neighbours_rejects_bad_k(kata, v, extra, neg):
    emb = vectors(0, v, 3, np.float64, False)
    for k in (v + extra, -neg):
        with pytest.raises(ValueError):
            kata.nearest_neighbours(emb, np.array([0]), k)
            pytest.fail(f"nearest_neighbours with V={v}, k={k} returned instead of raising ValueError")


@given(v=st.integers(4, 7), extra=st.integers(0, 2), neg=st.integers(1, 3),
       method=st.sampled_from(["cosadd", "Add", "MUL", "3cosmul"]))
def test_analogy_rejects_bad_arguments(kata, v, extra, neg, method):
    emb = vectors(0, v, 3, np.float64, False)
    a, b, c = np.array([0]), np.array([1]), np.array([2])
    for kwargs in ({"k": v - 2 + extra}, {"k": -neg}, {"k": 1, "method": method}):
        with pytest.raises(ValueError):
            kata.analogy(emb, a, b, c, **kwargs)
            pytest.fail(f"analogy with V={v}, {kwargs} returned instead of raising ValueError")
    with pytest.raises(ValueError):
        kata.analogy_scores(emb, a, b, c, method=method)
        pytest.fail(f"analogy_scores(method={method!r}) returned instead of raising ValueError")


def test_analogy_default_k_is_one(kata):
    emb, vocab = corpus(kata)
    index = {w: i for i, w in enumerate(vocab)}
    a, b, c = (np.array([index[w]]) for w in ("he", "she", "him"))
    got = np.asarray(kata.analogy(emb, a, b, c))
    assert got.shape == (1, 1), f"analogy(he, she, him) with the default k returned shape {got.shape}, expected (1, 1)"
    assert vocab[int(got[0, 0])] == "her", f"he : she :: him : ? should be 'her', got {vocab[int(got[0, 0])]!r}"

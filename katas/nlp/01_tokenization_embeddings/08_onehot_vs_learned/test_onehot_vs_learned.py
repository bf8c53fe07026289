"""Tests for nlp-01-8, one-hot vs learned embeddings compared through cosine distances.

Reference: scipy.spatial.distance.cdist(metric="cosine"); brute-force co-occurrence counts; the
PPMI closed form; numpy's SVD through the embeddings' Gram matrix W Wᵀ = U_k S_k U_kᵀ, which does
not depend on the sign (or, within equal singular values, the basis) the SVD happens to return;
on the shipped corpus.txt, words used in the same contexts are closer than the others while all
one-hot vectors are equally far apart; and the figure's structure.
"""
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist

from grader.strategies import dims, float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call

CORPUS = Path(__file__).with_name("corpus.txt")
GROUPS = [["cat", "dog", "horse"], ["apple", "bread", "cheese"], ["car", "bus", "train"]]


def read_corpus() -> tuple[dict[str, int], list[list[int]]]:
    sentences = [line.split() for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    vocab: dict[str, int] = {}
    for s in sentences:
        for w in s:
            vocab.setdefault(w, len(vocab))
    return vocab, [[vocab[w] for w in s] for s in sentences]


def brute_cooccurrence(sentences: list[list[int]], vocab_size: int, window: int) -> np.ndarray:
    counts = np.zeros((vocab_size, vocab_size))
    for s in sentences:
        for i in range(len(s)):
            for j in range(len(s)):
                if 0 < abs(i - j) <= window:
                    counts[s[i], s[j]] += 1
    return counts


def closed_form_ppmi(counts: np.ndarray) -> np.ndarray:
    total, rows, cols = counts.sum(), counts.sum(1), counts.sum(0)
    out = np.zeros_like(counts, dtype=np.float64)
    for a in range(counts.shape[0]):
        for b in range(counts.shape[1]):
            if counts[a, b] > 0:
                out[a, b] = max(0.0, float(np.log(counts[a, b] * total / (rows[a] * cols[b]))))
    return out


def reference_embeddings(matrix: np.ndarray, dim: int) -> np.ndarray:
    u, s, _ = np.linalg.svd(matrix, full_matrices=False)
    return u[:, :dim] * np.sqrt(s[:dim])


def cut_is_clear(matrix: np.ndarray, dim: int) -> bool:
    """The top-dim singular subspace is well defined: a real gap after the dim-th singular value."""
    s = np.append(np.linalg.svd(matrix, compute_uv=False), 0.0)
    return dim < len(s) and s[dim - 1] - s[dim] > 1e-6 * max(s[0], 1e-12)


@given(ids=st.lists(st.integers(0, 9), max_size=8), extra=dims(0, 3))
@example(ids=[], extra=2)   # no ids: a (0, vocab_size) float64 matrix
def test_one_hot_matches_identity_rows(kata, ids, extra):
    vocab_size = max(ids, default=0) + 1 + extra
    call = describe_call("one_hot", ids, vocab_size)
    got = kata.one_hot(ids, vocab_size)
    assert_dtype(got, np.float64, call=call)
    assert_equal(np.asarray(got), np.eye(vocab_size)[ids], call=call)


@given(n=dims(1, 6), d=dims(1, 6), seed=seeds(), scale=st.sampled_from([1e-3, 1.0, 1e3]), dtype=float_dtypes())
@example(n=2, d=3, seed=0, scale=1.0, dtype=np.float64)
@example(n=1, d=1, seed=0, scale=1.0, dtype=np.float32)
def test_cosine_distances_match_scipy(kata, n, d, seed, scale, dtype):
    x = np.random.default_rng(seed).normal(0, scale, (n, d)).astype(dtype)
    call = describe_call("cosine_distances", x)
    got = call_unmodified(kata.cosine_distances, x, fn_name="cosine_distances")
    assert_dtype(got, np.float64, call=call)
    got = np.asarray(got)
    x = x.astype(np.float64)
    want = np.clip(cdist(x, x, "cosine"), 0.0, 2.0)
    np.fill_diagonal(want, 0.0)
    # Distances are O(1) whatever the scale; two formulas of 1 - cos agree to ~1e-15.
    assert_close(got, want, rtol=0, atol=1e-12, name="cosine distances", call=call)
    assert_equal(np.diag(got), np.zeros(n), name="diagonal (a vector is at distance 0 from itself)", call=call)


@given(ids=st.lists(st.integers(0, 7), min_size=2, max_size=8), extra=dims(0, 3))
def test_one_hot_vectors_are_all_equally_far_apart(kata, ids, extra):
    """The point of the kata: one-hot vectors are orthogonal, so every two different words are at distance 1."""
    vocab_size = max(ids) + 1 + extra
    got = np.asarray(kata.cosine_distances(kata.one_hot(ids, vocab_size)))
    want = (np.array(ids)[:, None] != np.array(ids)[None, :]).astype(float)
    assert_close(got, want, rtol=0, atol=1e-12, name="one-hot distances",
                 call=describe_call("cosine_distances(one_hot(...))", ids, vocab_size))


@given(n=dims(2, 5), d=dims(1, 4), row=st.integers(0, 4), seed=seeds())
def test_cosine_distances_reject_zero_rows(kata, n, d, row, seed):
    x = np.random.default_rng(seed).normal(size=(n, d))
    x[row % n] = 0.0
    with pytest.raises(ValueError):
        kata.cosine_distances(x)
        pytest.fail(f"cosine_distances(x) with row {row % n} all zeros returned instead of raising ValueError")


@given(sentences=st.lists(st.lists(st.integers(0, 5), max_size=7), min_size=1, max_size=4), window=dims(1, 3))
@example(sentences=[[0, 1], [2, 3]], window=3)         # nothing crosses from one sentence to the next
@example(sentences=[[4, 4, 4]], window=1)              # a word next to itself counts
def test_cooccurrence_matches_brute_force(kata, sentences, window):
    call = describe_call("cooccurrence", sentences, 6, window)
    got = kata.cooccurrence(sentences, 6, window)
    assert_dtype(got, np.float64, call=call)
    assert_equal(np.asarray(got), brute_cooccurrence(sentences, 6, window), name="counts", call=call)


@given(rows=dims(1, 5), cols=dims(1, 5), seed=seeds(), zero=st.booleans(), dtype=st.sampled_from([np.int64, np.float64]))
@example(rows=2, cols=3, seed=0, zero=False, dtype=np.int64)
@example(rows=2, cols=2, seed=0, zero=True, dtype=np.float64)    # no counts at all: PPMI is 0 everywhere, not 0/0
def test_ppmi_matches_closed_form(kata, rows, cols, seed, zero, dtype):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 5, (rows, cols)) * (rng.random((rows, cols)) < 0.7)   # zeros included
    counts = (counts * (not zero)).astype(dtype)    # integer counts too: PPMI is still float64
    call = describe_call("ppmi", counts)
    got = call_unmodified(kata.ppmi, counts, fn_name="ppmi")
    assert_dtype(got, np.float64, call=call)
    got = np.asarray(got)
    assert np.all(np.isfinite(got)), f"{call} has NaN or inf entries: set PPMI to 0 where the count is 0"
    # A few float64 operations per entry.
    assert_close(got, closed_form_ppmi(counts), rtol=1e-12, atol=1e-12, name="PPMI", call=call)


@given(rows=dims(2, 6), cols=dims(2, 6), dim=dims(1, 4), seed=seeds(), dtype=float_dtypes())
@example(rows=4, cols=4, dim=2, seed=0, dtype=np.float32)
def test_svd_embeddings_match_the_truncated_svd(kata, rows, cols, dim, seed, dtype):
    matrix = np.random.default_rng(seed).normal(size=(rows, cols)).astype(dtype)
    dim = min(dim, rows, cols)                      # dim == min(rows, cols) (full rank) is allowed too
    assume(cut_is_clear(matrix.astype(np.float64), dim))   # else the top-dim subspace is not unique
    call = describe_call("svd_embeddings", matrix, dim)
    got = kata.svd_embeddings(matrix, dim)
    assert_dtype(got, np.float64, call=call)
    got = np.asarray(got)
    want = reference_embeddings(matrix.astype(np.float64), dim)
    assert got.shape == want.shape, f"{call} returned shape {got.shape}, expected {want.shape}"
    # W Wᵀ = U_k S_k U_kᵀ does not depend on the signs the SVD picks; float64 SVDs agree to ~1e-13.
    assert_close(got @ got.T, want @ want.T, rtol=0, atol=1e-9, name="Gram matrix W Wᵀ of the embeddings", call=call)


@settings(max_examples=6)
@given(window=st.sampled_from([1, 2, 3]), dim=st.sampled_from([4, 8, 16]))
def test_learned_distances_group_words_one_hot_does_not(kata, window, dim):
    vocab, sentences = read_corpus()
    words = [w for g in GROUPS for w in g]
    ids = [vocab[w] for w in words]
    call = describe_call("compare_embeddings", "corpus.txt", len(vocab), words, window, dim)
    d_onehot, d_learned = (np.asarray(d) for d in kata.compare_embeddings(sentences, len(vocab), ids, window, dim))
    assert_close(d_onehot, 1.0 - np.eye(len(ids)), rtol=0, atol=1e-12, name="one-hot distances", call=call)
    emb = reference_embeddings(closed_form_ppmi(brute_cooccurrence(sentences, len(vocab), window)), dim)[ids]
    # Distances from a float64 SVD of a 51 x 51 matrix with well-separated singular values (gap > 0.08).
    assert_close(d_learned, np.clip(cdist(emb, emb, "cosine"), 0, 2) * (1 - np.eye(len(ids))), rtol=0, atol=1e-8,
                 name="learned distances", call=call)
    for g, group in enumerate(GROUPS):
        for a in range(3):
            i = 3 * g + a
            same = max(d_learned[i, 3 * g + b] for b in range(3) if b != a)
            other = min(d_learned[i, j] for j in range(len(ids)) if j // 3 != g)
            assert same < other, (f"{call}: {group[a]!r} is at distance {same:.3f} from its own group but {other:.3f} "
                                  "from another word; shared contexts should make its group the closest")


@settings(max_examples=4)   # each example renders a figure; only k varies, so a failure shrinks fast
@given(k=dims(2, 9), learned_top=st.sampled_from([1.5, 0.5]))
@example(k=3, learned_top=0.5)   # the learned distances all below 1: the shared vmax comes from the one-hot map
def test_plot_shows_two_heat_maps_on_one_scale(kata, k, learned_top):
    rng = np.random.default_rng(k)
    d_onehot = 1.0 - np.eye(k)
    d_learned = rng.uniform(0, learned_top, (k, k))
    labels = [f"w{i}" for i in range(k)]
    call = describe_call("plot_cosine_distances", d_onehot, d_learned, labels)
    fig = kata.plot_cosine_distances(d_onehot, d_learned, labels)
    try:
        with_images = [ax for ax in fig.axes if ax.images]
        assert len(with_images) == 2, f"{call} has {len(with_images)} axes with an image, expected 2 (one-hot, learned)"
        vmax = max(d_onehot.max(), d_learned.max())
        for ax, d, title in zip(with_images, (d_onehot, d_learned), ("one-hot", "learned"), strict=True):
            assert ax.get_title() == title, f"{call}: an axes is titled {ax.get_title()!r}, expected {title!r}"
            assert len(ax.images) == 1, f"{call}: the {title!r} axes has {len(ax.images)} images, expected 1"
            assert_close(np.asarray(ax.images[0].get_array()), d, rtol=0, atol=0, name=f"{title!r} image data",
                         call=call)
            assert_close(ax.images[0].get_clim(), (0.0, vmax), rtol=0, atol=1e-12,
                         name=f"{title!r} colour limits (vmin=0, vmax=largest entry of both)", call=call)
            for axis in ("x", "y"):
                ticks = [t.get_text() for t in getattr(ax, f"get_{axis}ticklabels")()]
                assert ticks == labels, f"{call}: the {title!r} {axis} tick labels are {ticks}, expected {labels}"
    finally:
        plt.close(fig)

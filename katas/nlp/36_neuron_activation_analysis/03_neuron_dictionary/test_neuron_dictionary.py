"""Tests for nlp-36-3, a neuron dictionary from clustered activation patterns.

References: sklearn.cluster.KMeans (Lloyd, one run from the same initial centres, tol = 0) for the
clustering; sklearn.metrics.cluster.contingency_matrix for purity; collections.Counter for the
dictionary entries. The trained effect, on held-out Shakespeare: clusters of the trained LM's
last-block MLP activations group positions by the character that comes NEXT far better than its
first block does, or than a randomly initialised copy does, while grouping by the current character
weakens: depth turns "what I read" into "what I will write".
"""
import warnings
from collections import Counter

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.cluster import KMeans
from sklearn.metrics.cluster import contingency_matrix

from grader import lm
from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

TEXT_START = 1_003_854   # the held-out split


def lloyd_input(seed: int, m: int, k: int, d: int):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(m, d))
    return x, x[rng.choice(m, k, replace=False)].copy()   # initial centres on distinct data points


@given(seed=seeds(), m=dims(5, 30), k=dims(1, 4), d=dims(1, 3), max_iter=st.sampled_from([1, 2, 3, 100]))
@example(seed=0, m=30, k=4, d=2, max_iter=1)        # stops before convergence: max_iter matters
@example(seed=0, m=30, k=4, d=2, max_iter=2)
@example(seed=0, m=30, k=4, d=2, max_iter=100)
@example(seed=3, m=5, k=1, d=1, max_iter=100)
def test_kmeans_matches_sklearn(kata, seed, m, k, d, max_iter):
    x, init = lloyd_input(seed, m, k, d)
    call = describe_call("kmeans", x, init, max_iter=max_iter)
    labels, centers, inertia = call_unmodified(kata.kmeans, x, init, max_iter=max_iter)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = KMeans(k, init=init, n_init=1, max_iter=max_iter, tol=0, algorithm="lloyd").fit(x)
    assert_shape(labels, (m,), name="labels", call=call)
    assert_shape(centers, (k, d), name="centres", call=call)
    assert_equal(np.asarray(labels), ref.labels_, name="labels (reference: sklearn KMeans, lloyd)", call=call)
    # means of <= 30 float64 points: rounding ~1e-15
    assert_close(centers, ref.cluster_centers_, rtol=0, atol=1e-10, name="centres (reference: sklearn KMeans)", call=call)
    assert_close(inertia, ref.inertia_, rtol=1e-10, atol=1e-10, name="inertia", call=call)


def test_default_max_iter_converges(kata):
    x, init = lloyd_input(0, 30, 4, 2)
    labels, centers, _ = kata.kmeans(x, init)
    for j in range(4):
        assert_close(centers[j], x[labels == j].mean(0), rtol=0, atol=1e-12, name=f"centre {j}",
                     call="kmeans(x, init) with the default max_iter: converged centres are their members' means")


@given(case=st.sampled_from(["empty", "tie", "integer init"]))
@example(case="empty")
@example(case="tie")
@example(case="integer init")
def test_empty_cluster_and_tie_rules(kata, case):
    if case in ("empty", "integer init"):      # the centre at 5 never wins a point: it keeps its place
        x, init = np.array([[0.0], [1.0]]), np.array([[0.0], [5.0]])
        if case == "integer init":              # integer centres must not truncate the mean 0.5
            init = init.astype(np.int64)
        want_labels, want_centers = np.array([0, 0]), np.array([[0.5], [5.0]])
    else:                    # 0 is equally far from -1 and 1: the lower index wins
        x, init = np.array([[0.0], [-3.0], [3.0]]), np.array([[-1.0], [1.0]])
        want_labels, want_centers = np.array([0, 0, 1]), np.array([[-1.5], [3.0]])
    call = describe_call("kmeans", x, init)
    labels, centers, _ = kata.kmeans(x, init)
    assert_equal(np.asarray(labels), want_labels, name=f"labels ({case} rule)", call=call)
    assert_close(centers, want_centers, rtol=0, atol=1e-12, name=f"centres ({case} rule)", call=call)


@given(case=st.sampled_from(["max_iter 0", "widths", "no centres", "1-D x"]))
@example(case="max_iter 0")
@example(case="no centres")
def test_kmeans_rejects_bad_input(kata, case):
    x, init, max_iter = np.zeros((4, 2)), np.ones((2, 2)), 10
    if case == "max_iter 0":
        max_iter = 0
    elif case == "widths":
        init = np.ones((2, 3))
    elif case == "no centres":
        init = np.ones((0, 2))
    else:
        x = np.zeros(4)
    with pytest.raises(ValueError):
        kata.kmeans(x, init, max_iter=max_iter)
        pytest.fail(f"kmeans with {case} returned instead of raising ValueError")


@st.composite
def labelled_chars(draw):
    m = draw(dims(1, 40))
    rng = np.random.default_rng(draw(seeds()))
    k = draw(dims(1, 5))
    labels = rng.integers(0, k, m)
    chars = list(rng.choice(list("ab c\n"), m))
    return labels, chars, k


@given(data=labelled_chars(), top=dims(1, 4))
@example(data=(np.array([0, 0, 1, 1]), ["b", "a", "c", "c"], 3), top=1)    # tie a/b: code point order; cluster 2 empty
def test_dictionary_lists_each_clusters_commonest_characters(kata, data, top):
    labels, chars, k = data
    call = describe_call("neuron_dictionary", labels, f"{len(chars)} chars", k, top=top)
    got = call_unmodified(kata.neuron_dictionary, labels, chars, k, top=top)
    assert len(got) == k, f"{call} returned {len(got)} entries, expected one per cluster ({k})"
    for j in range(k):
        counts = Counter(c for c, lab in zip(chars, labels, strict=True) if lab == j)
        want = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        assert [tuple(e) for e in got[j]] == want, (
            f"{call}: entry {j} is {got[j]}, expected {want} (most frequent first, ties by character)")


def test_dictionary_default_top_is_three(kata):
    labels, chars = np.zeros(6, dtype=int), list("abcdef")
    got = kata.neuron_dictionary(labels, chars, 1)
    assert [tuple(e) for e in got[0]] == [("a", 1), ("b", 1), ("c", 1)], (
        f"neuron_dictionary(6 distinct chars in one cluster, k=1) gave {got[0]}; the default top=3 keeps three")


@given(case=st.sampled_from(["lengths", "top 0"]))
@example(case="top 0")
def test_dictionary_rejects_bad_input(kata, case):
    labels, chars, top = np.zeros(3, dtype=int), list("abc"), 2
    if case == "lengths":
        chars = chars[:2]
    else:
        top = 0
    with pytest.raises(ValueError):
        kata.neuron_dictionary(labels, chars, 1, top=top)
        pytest.fail(f"neuron_dictionary with {case} returned instead of raising ValueError")


@given(data=labelled_chars())
@example(data=(np.array([0]), ["a"], 1))
def test_purity_matches_contingency_matrix(kata, data):
    labels, chars, _ = data
    call = describe_call("purity", labels, f"{len(chars)} chars")
    got = call_unmodified(kata.purity, labels, chars)
    table = contingency_matrix(chars, labels)        # rows: characters, columns: clusters
    assert_close(got, table.max(axis=0).sum() / len(labels), rtol=0, atol=1e-12,
                 name="purity (reference: sklearn contingency_matrix)", call=call)


@given(case=st.sampled_from(["empty", "lengths"]))
@example(case="empty")
def test_purity_rejects_bad_input(kata, case):
    labels, chars = (np.zeros(0, dtype=int), []) if case == "empty" else (np.zeros(3, dtype=int), list("ab"))
    with pytest.raises(ValueError):
        kata.purity(labels, chars)
        pytest.fail(f"purity with {case} input returned instead of raising ValueError")


def cluster_positions(kata, model, idx, layer):
    acts = kata.mlp_activations(model, idx, layer)
    acts = acts / np.linalg.norm(acts, axis=1, keepdims=True)
    init = acts[np.random.default_rng(0).choice(len(acts), 16, replace=False)]
    return kata.kmeans(acts, init)[0]


@settings(max_examples=1)
@given(offset=st.just(0))
def test_trained_lm_clusters_by_the_next_character(kata, offset):
    text = lm.corpus_text()[TEXT_START + offset:TEXT_START + offset + 64 * 32 + 1]
    idx = lm.encode(text[:-1]).view(32, 64)
    now, nxt = list(text[:-1]), list(text[1:])
    model = lm.load_model()
    torch.manual_seed(0)
    untrained = lm.CharGPT(model.cfg).eval()
    first, last = cluster_positions(kata, model, idx, 0), cluster_positions(kata, model, idx, 3)
    control = cluster_positions(kata, untrained, idx, 3)
    p_next = {name: kata.purity(lab, nxt) for name, lab in (("first", first), ("last", last), ("untrained", control))}
    p_now = {name: kata.purity(lab, now) for name, lab in (("first", first), ("last", last))}
    shown = f"purity by next character {p_next}, by current character {p_now} (16 clusters, 2048 positions)"
    assert p_next["last"] > p_next["first"] + 0.05 and p_next["last"] > p_next["untrained"] + 0.05, (
        f"{shown}: the trained last block should group positions by what comes next")
    assert p_now["last"] < p_now["first"] - 0.1, f"{shown}: the last block should group less by the current character"

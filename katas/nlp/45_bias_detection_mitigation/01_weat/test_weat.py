"""Tests for nlp-45-1, the Word Embedding Association Test.

References: Caliskan, Bryson, Narayanan (2017), written out here in float64 numpy (explicit cosines,
the sample standard deviation over X u Y), exact enumeration of every equal-size partition with
itertools for the p-value, and the stated Monte Carlo procedure for sampled partitions. The measured
effect: embeddings trained in the test (the given PPMI-SVD trainer) on a corpus where male names
co-occur with career words and female names with family words show a large, significant WEAT effect.
"""
from itertools import combinations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call


def cos(u, v):
    return float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))


def ref_s(w, A, B):
    return np.mean([cos(w, a) for a in A]) - np.mean([cos(w, b) for b in B])


def ref_effect(X, Y, A, B):
    sx, sy = [ref_s(x, A, B) for x in X], [ref_s(y, A, B) for y in Y]
    return (np.mean(sx) - np.mean(sy)) / np.std(sx + sy, ddof=1)


def ref_sums(X, Y, A, B):
    s = np.array([ref_s(w, A, B) for w in np.concatenate([X, Y])])
    return s, s[:len(X)].sum()


def vectors(seed, n, d, dtype=np.float64):
    rng = np.random.default_rng(seed)
    # rows of very different lengths: cosine must ignore them
    return (rng.standard_normal((n, d)) * rng.uniform(0.1, 10.0, (n, 1))).astype(dtype)


@given(n_w=st.integers(1, 5), n_a=st.integers(1, 4), n_b=st.integers(1, 4), d=st.integers(2, 6),
       dtype=float_dtypes(), seed=seeds())
@example(n_w=1, n_a=1, n_b=1, d=2, dtype=np.float64, seed=0)
@settings(max_examples=20)
def test_association_matches_definition(kata, n_w, n_a, n_b, d, dtype, seed):
    W, A, B = vectors(seed, n_w, d, dtype), vectors(seed + 1, n_a, d, dtype), vectors(seed + 2, n_b, d, dtype)
    call = describe_call("association", W, A, B)
    got = call_unmodified(kata.association, W, A, B)
    assert_dtype(got, np.float64, call=call)
    # float32 inputs are exact in float64; the reference sums a handful of cosines
    assert_close(got, [ref_s(w, A.astype(np.float64), B.astype(np.float64)) for w in W.astype(np.float64)],
                 rtol=1e-9, atol=1e-12, call=call, name="s(w, A, B) = mean cos(w, A) - mean cos(w, B)")


@given(n_x=st.integers(1, 5), n_y=st.integers(1, 5), d=st.integers(2, 6), seed=seeds())
@example(n_x=1, n_y=1, d=3, seed=0)       # two values: the sample std of two points
@example(n_x=4, n_y=2, d=3, seed=1)       # different sizes are allowed for the effect size
@settings(max_examples=20)
def test_effect_size_matches_definition(kata, n_x, n_y, d, seed):
    X, Y, A, B = (vectors(seed + i, n, d) for i, n in enumerate([n_x, n_y, 3, 2]))
    call = describe_call("weat_effect_size", X, Y, A, B)
    got = call_unmodified(kata.weat_effect_size, X, Y, A, B)
    assert_close(got, ref_effect(X, Y, A, B), rtol=1e-9, atol=1e-12, call=call,
                 name="effect size (mean_X s - mean_Y s) / std_{X u Y}(s), ddof=1")
    assert_close(kata.weat_effect_size(Y, X, A, B), -got, rtol=1e-9, atol=1e-12, call=call,
                 name="effect size with X and Y swapped (must flip sign)")


@given(n=st.integers(1, 6), d=st.integers(2, 5), seed=seeds())
@example(n=1, d=2, seed=0)
@example(n=6, d=4, seed=1)
@settings(max_examples=20)
def test_exact_p_value_enumerates_every_partition(kata, n, d, seed):
    X, Y, A, B = (vectors(seed + i, k, d) for i, k in enumerate([n, n, 3, 3]))
    call = describe_call("weat_p_value", X, Y, A, B)
    got = call_unmodified(kata.weat_p_value, X, Y, A, B)
    s, observed = ref_sums(X, Y, A, B)
    parts = list(combinations(range(2 * n), n))
    want = sum(s[list(p)].sum() > observed for p in parts) / len(parts)
    assert_close(got, want, rtol=0, atol=1e-12, call=call,
                 name=f"exact one-sided p-value over all {len(parts)} partitions (strictly greater)")


@given(n=st.integers(2, 6), k=st.integers(1, 60), seed=seeds())
@example(n=4, k=1, seed=0)
@settings(max_examples=15)
def test_monte_carlo_p_value_follows_the_seeded_procedure(kata, n, k, seed):
    X, Y, A, B = (vectors(seed + i, m, 3) for i, m in enumerate([n, n, 2, 2]))
    call = describe_call("weat_p_value", X, Y, A, B, n_permutations=k, seed=seed)
    got = kata.weat_p_value(X, Y, A, B, n_permutations=k, seed=seed)
    s, observed = ref_sums(X, Y, A, B)
    rng = np.random.default_rng(seed)
    want = np.mean([s[np.sort(rng.permutation(2 * n)[:n])].sum() > observed for _ in range(k)])
    assert_close(got, want, rtol=0, atol=1e-12, call=call,
                 name="Monte Carlo p-value (rng = np.random.default_rng(seed); perm = rng.permutation(2n))")


NAMES_M = ["john", "paul", "mike", "kevin", "steve", "greg", "jeff", "bill"]
NAMES_F = ["amy", "joan", "lisa", "sarah", "diana", "kate", "ann", "donna"]
CAREER = ["executive", "management", "professional", "corporation", "salary", "office", "business", "career"]
FAMILY = ["home", "parents", "children", "family", "cousins", "marriage", "wedding", "relatives"]
CONTEXT = {"career": ["works", "meeting", "earns", "hired"], "family": ["loves", "visits", "cares", "hugs"]}


def corpus(seed: int, bias: float, n: int = 2500) -> list[list[str]]:
    """Sentences 'name context context attribute': a name meets its group's attribute (and that
    attribute's context words) with probability `bias`, so names share contexts with their attributes."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        male = rng.random() < 0.5
        name = rng.choice(NAMES_M if male else NAMES_F)
        topic = "career" if male == (rng.random() < bias) else "family"
        attr = rng.choice(CAREER if topic == "career" else FAMILY)
        out.append([str(name), *map(str, rng.choice(CONTEXT[topic], 2)), str(attr)])
    return out


@given(seed=seeds())
@example(seed=0)
@settings(max_examples=3)
def test_planted_association_is_measured_on_trained_embeddings(kata, seed):
    emb = kata.train_embeddings(corpus(seed, bias=0.9), dim=12, window=3)
    X, Y, A, B = (np.stack([emb[w] for w in ws]) for ws in (NAMES_M, NAMES_F, CAREER, FAMILY))
    d = kata.weat_effect_size(X, Y, A, B)
    p = kata.weat_p_value(X, Y, A, B)
    assert_close(d, ref_effect(X, Y, A, B), rtol=1e-9, atol=1e-12, call="weat_effect_size(male, female, career, family)",
                 name="effect size on embeddings trained on the biased corpus")
    assert d > 1.0 and p < 0.01, (
        f"embeddings trained on a corpus where male names meet career words 90 % of the time: expected a large "
        f"effect (d > 1) with p < 0.01, measured d = {d:.3f}, p = {p:.4g}")
    control = kata.train_embeddings(corpus(seed, bias=0.5), dim=12, window=3)
    d0 = kata.weat_effect_size(*(np.stack([control[w] for w in ws]) for ws in (NAMES_M, NAMES_F, CAREER, FAMILY)))
    assert d0 < d - 1.0, (f"the control corpus (no association) gave effect size {d0:.3f}, the biased one {d:.3f}: "
                          "expected the biased corpus to measure at least 1 standard deviation more")


def test_rejects_empty_and_unequal_sets(kata):
    X, A = vectors(0, 3, 4), vectors(1, 2, 4)
    empty = np.zeros((0, 4))
    cases = [("association", lambda: kata.association(X, empty, A)),
             ("association", lambda: kata.association(X, A, empty)),
             ("weat_effect_size", lambda: kata.weat_effect_size(empty, X, A, A)),
             ("weat_effect_size", lambda: kata.weat_effect_size(X, empty, A, A)),
             ("weat_p_value", lambda: kata.weat_p_value(X, X[:2], A, A)),
             ("weat_p_value", lambda: kata.weat_p_value(empty, empty, A, A)),
             ("weat_p_value", lambda: kata.weat_p_value(X, X, A, A, n_permutations=0))]
    for name, run in cases:
        with pytest.raises(ValueError):
            run()
            pytest.fail(f"{name} with an empty or mismatched set (or n_permutations=0) returned instead of raising")

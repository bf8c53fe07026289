"""Tests for nlp-45-2, hard debiasing (Bolukbasi et al. 2016) and counterfactual data augmentation.

References: sklearn.decomposition.PCA for the bias direction; the defining properties of neutralize
(no component along g, the orthogonal part kept exactly) and equalize (unit length, shared
orthogonal part, opposite bias parts, equidistance to neutral words); the swap definition of CDA.
The measured effect: on embeddings trained (PPMI-SVD) on a corpus with a planted name-career
association, the WEAT effect size before and after each mitigation.
"""
import copy

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.decomposition import PCA

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call


def randn(seed, *shape, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


@given(n_pairs=st.integers(1, 6), d=st.integers(2, 6), scale=st.sampled_from([1.0, 0.01]), dtype=float_dtypes(),
       seed=seeds())
@example(n_pairs=1, d=3, scale=1.0, dtype=np.float64, seed=0)     # one pair: the direction is (u - v) / |u - v|
@example(n_pairs=3, d=4, scale=0.01, dtype=np.float32, seed=1)    # small vectors: g . sum(u - v) is in (0, 1)
@settings(max_examples=20)
def test_bias_direction_matches_sklearn_pca(kata, n_pairs, d, scale, dtype, seed):
    # a shared offset the centring must remove
    pairs = ((randn(seed, n_pairs, 2, d) + randn(seed + 1, 1, 1, d) * 3) * scale).astype(dtype)
    call = describe_call("bias_direction", pairs)
    got = call_unmodified(kata.bias_direction, pairs)
    pairs = pairs.astype(np.float64)
    centred = (pairs - pairs.mean(axis=1, keepdims=True)).reshape(-1, d)
    want = PCA(n_components=1).fit(centred).components_[0]
    want = want if want @ (pairs[:, 0] - pairs[:, 1]).sum(axis=0) > 0 else -want
    assert_dtype(got, np.float64, call=call)
    # both are SVDs of the same small float64 matrix (float32 inputs are exact in float64)
    assert_close(got, want, rtol=1e-7, atol=1e-9, call=call,
                 name="bias direction (sklearn PCA of the centred pairs, sign toward sum(u - v))")


@given(n=st.integers(1, 5), d=st.integers(2, 6), g_scale=st.sampled_from([1.0, 0.1, 7.0]), dtype=float_dtypes(),
       seed=seeds())
@example(n=1, d=2, g_scale=7.0, dtype=np.float64, seed=0)
@settings(max_examples=20)
def test_neutralize_removes_exactly_the_component_along_g(kata, n, d, g_scale, dtype, seed):
    W, g = randn(seed, n, d, dtype=dtype), randn(seed + 1, d, dtype=dtype) * dtype(g_scale)
    call = describe_call("neutralize", W, g)
    got = call_unmodified(kata.neutralize, W, g)
    assert_dtype(got, np.float64, call=call)
    g_hat = g.astype(np.float64) / np.linalg.norm(g.astype(np.float64))
    # computed in float64 (float32 inputs are exact in it): a residual ~1e-16, not float32's ~1e-7
    assert_close(got @ g_hat, np.zeros(n), rtol=0, atol=1e-10, call=call, name="component along g after neutralize")
    removed = W.astype(np.float64) - got
    # what was removed lies along g: the orthogonal part is kept exactly
    assert_close(removed - np.outer(removed @ g_hat, g_hat), np.zeros((n, d)), rtol=0, atol=1e-10, call=call,
                 name="change orthogonal to g (must be zero)")
    assert not np.shares_memory(got, W), f"{call} returned an array sharing memory with W"


def test_bias_direction_rejects_no_pairs(kata):
    with pytest.raises(ValueError):
        kata.bias_direction(np.zeros((0, 2, 3)))
        pytest.fail("bias_direction(float64[0, 2, 3]) returned instead of raising ValueError")


def test_neutralize_rejects_zero_direction(kata):
    with pytest.raises(ValueError):
        kata.neutralize(np.ones((2, 3)), np.zeros(3))
        pytest.fail("neutralize(W, zeros(3)) returned instead of raising ValueError")


def unit(x):
    return x / np.linalg.norm(x)


@given(d=st.integers(2, 6), seed=seeds(), g_scale=st.sampled_from([1.0, 3.0]), dtype=float_dtypes())
@example(d=2, seed=0, g_scale=3.0, dtype=np.float64)
@example(d=4, seed=1, g_scale=1.0, dtype=np.float32)
@settings(max_examples=20)
def test_equalize_makes_the_pair_symmetric(kata, d, seed, g_scale, dtype):
    u, v = unit(randn(seed, d)).astype(dtype), unit(randn(seed + 1, d)).astype(dtype)
    g = (randn(seed + 2, d) * g_scale).astype(dtype)
    call = describe_call("equalize", u, v, g)
    eu, ev = call_unmodified(kata.equalize, u, v, g)
    u, v, g = (x.astype(np.float64) for x in (u, v, g))   # the reference works in float64
    g_hat = unit(g)
    assert_close([np.linalg.norm(eu), np.linalg.norm(ev)], [1.0, 1.0], rtol=0, atol=1e-9, call=call, name="norms")
    orth = lambda x: x - (x @ g_hat) * g_hat  # noqa: E731
    assert_close(orth(eu), orth(ev), rtol=0, atol=1e-9, call=call, name="orthogonal parts (must be equal)")
    assert_close(orth(eu), orth((u + v) / 2), rtol=0, atol=1e-9, call=call,
                 name="orthogonal part (the neutralized mean of the pair)")
    assert_close(eu @ g_hat, -(ev @ g_hat), rtol=0, atol=1e-9, call=call, name="components along g (must be opposite)")
    assert (eu @ g_hat - ev @ g_hat) * (u @ g_hat - v @ g_hat) > 0, (
        f"{call}: the equalized pair swapped sides along g (u was on the {'+' if u @ g_hat > v @ g_hat else '-'} side)")
    neutral = orth(randn(seed + 3, d))
    assert_close(np.linalg.norm(eu - neutral), np.linalg.norm(ev - neutral), rtol=0, atol=1e-9, call=call,
                 name="distances to a neutral word (must be equal)")


def test_equalize_rejects_a_pair_with_no_bias_difference(kata):
    g = np.array([1.0, 0.0, 0.0])
    u, v = unit(np.array([0.5, 1.0, 0.0])), unit(np.array([0.5, 0.0, 1.0]))
    with pytest.raises(ValueError):
        kata.equalize(u, v, g)
        pytest.fail("equalize(u, v, g) with u.g == v.g returned instead of raising ValueError")


WORDS = st.sampled_from(["he", "she", "his", "her", "king", "queen", "the", "rules", "a", "land"])


@given(sentences=st.lists(st.lists(WORDS, max_size=6), max_size=5))
@example(sentences=[["he", "rules", "his", "land"], []])
@settings(max_examples=30)
def test_counterfactual_augment_swaps_both_ways(kata, sentences):
    pairs = [("he", "she"), ("his", "her"), ("king", "queen")]
    before = copy.deepcopy(sentences)
    call = describe_call("counterfactual_augment", sentences, pairs)
    got = kata.counterfactual_augment(sentences, pairs)
    assert sentences == before, f"{call} modified its input sentences"
    swap = {a: b for p in pairs for a, b in (p, p[::-1])}
    want = before + [[swap.get(w, w) for w in s] for s in before]
    assert_equal([" ".join(s) for s in got], [" ".join(s) for s in want], call=call,
                 name="original sentences, then their swapped copies")
    words = [w for s in got for w in s]
    for a, b in pairs:  # the augmented corpus is balanced: each word as often as its partner
        assert words.count(a) == words.count(b), f"{call}: {a!r} occurs {words.count(a)} times, {b!r} {words.count(b)}"


@pytest.mark.parametrize("pairs", [[("he", "she"), ("he", "him")], [("he", "she"), ("her", "she")], [("a", "a")]])
def test_counterfactual_augment_rejects_ambiguous_pairs(kata, pairs):
    with pytest.raises(ValueError):
        kata.counterfactual_augment([["he", "said"]], pairs)
        pytest.fail(f"counterfactual_augment(..., {pairs}) returned instead of raising ValueError")


NAMES_M = ["john", "paul", "mike", "kevin", "steve", "greg", "jeff", "bill"]
NAMES_F = ["amy", "joan", "lisa", "sarah", "diana", "kate", "ann", "donna"]
CAREER = ["executive", "management", "professional", "corporation", "salary", "office", "business", "career"]
FAMILY = ["home", "parents", "children", "family", "cousins", "marriage", "wedding", "relatives"]
CONTEXT = {"career": ["works", "meeting", "earns", "hired"], "family": ["loves", "visits", "cares", "hugs"]}


def corpus(seed: int, bias: float = 0.9, n: int = 2500) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        male = rng.random() < 0.5
        name = rng.choice(NAMES_M if male else NAMES_F)
        topic = "career" if male == (rng.random() < bias) else "family"
        out.append([str(name), *map(str, rng.choice(CONTEXT[topic], 2)),
                    str(rng.choice(CAREER if topic == "career" else FAMILY))])
    return out


def weat_d(X, Y, A, B):
    def s(W):
        Wn = W / np.linalg.norm(W, axis=1, keepdims=True)
        return (Wn @ (A / np.linalg.norm(A, axis=1, keepdims=True)).T).mean(1) - \
            (Wn @ (B / np.linalg.norm(B, axis=1, keepdims=True)).T).mean(1)
    sx, sy = s(X), s(Y)
    return (sx.mean() - sy.mean()) / np.concatenate([sx, sy]).std(ddof=1)


def sets(emb):
    return [np.stack([emb[w] for w in ws]) for ws in (NAMES_M, NAMES_F, CAREER, FAMILY)]


@given(seed=seeds())
@example(seed=0)
@settings(max_examples=2)
def test_mitigations_remove_a_trained_bias(kata, seed):
    sents = corpus(seed)
    emb = kata.train_embeddings(sents, dim=12, window=3)
    X, Y, A, B = sets(emb)
    before = weat_d(X, Y, A, B)
    g = kata.bias_direction(np.stack([np.stack([emb[m], emb[f]]) for m, f in zip(NAMES_M, NAMES_F, strict=True)]))
    hard = weat_d(X, Y, kata.neutralize(A, g), kata.neutralize(B, g))
    cda = weat_d(*sets(kata.train_embeddings(kata.counterfactual_augment(sents, list(zip(NAMES_M, NAMES_F, strict=True))),
                                              dim=12, window=3)))
    assert before > 1.5 and abs(hard) < 0.5 and abs(cda) < 0.5, (
        f"WEAT effect size (male vs female names, career vs family) on embeddings trained on a biased corpus: "
        f"{before:.3f} before; {hard:.3f} after neutralizing the attribute words along the name direction; "
        f"{cda:.3f} after retraining on the counterfactually augmented corpus. Expected > 1.5, then |d| < 0.5 for both.")

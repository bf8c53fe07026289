"""Tests for nlp-45-3, evaluating bias before and after mitigation.

References: Bolukbasi et al.'s DirectBias written out in float64; sklearn.neighbors.NearestNeighbors
(cosine) for neighbourhood retention; and a real before/after: PPMI-SVD embeddings trained in the
test on a corpus with a planted name-career association, hard-debiased by neutralizing the attribute
words along the direction of the name pairs.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.neighbors import NearestNeighbors

from grader.strategies import seeds
from grader.testing import assert_close, describe_call


def randn(seed, *shape):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape) * rng.uniform(0.2, 5.0, shape[:-1] + (1,)) if len(shape) > 1 else \
        rng.standard_normal(shape)


@given(n=st.integers(1, 6), d=st.integers(2, 5), c=st.sampled_from([0.5, 1.0, 2.0]), seed=seeds())
@example(n=1, d=2, c=1.0, seed=0)
@settings(max_examples=20)
def test_direct_bias_matches_definition(kata, n, d, c, seed):
    W, g = randn(seed, n, d), randn(seed + 1, d) * 3
    call = describe_call("direct_bias", W, g, c)
    got = kata.direct_bias(W, g, c)
    want = np.mean([abs(w @ g / (np.linalg.norm(w) * np.linalg.norm(g))) ** c for w in W])
    assert_close(got, want, rtol=1e-10, atol=1e-12, call=call, name="mean |cos(w, g)|^c")


def test_direct_bias_default_c_and_errors(kata):
    W, g = randn(0, 4, 3), randn(1, 3)
    assert_close(kata.direct_bias(W, g), kata.direct_bias(W, g, 1.0), rtol=0, atol=0, call="direct_bias(W, g)",
                 name="default c = 1")
    assert_close(kata.direct_bias(W, g, 0.0), 1.0, rtol=0, atol=1e-12, call="direct_bias(W, g, c=0.0)",
                 name="DirectBias_0 (every |cos|^0 is 1): c = 0 is allowed")
    for args in [(np.zeros((0, 3)), g), (W, np.zeros(3)), (W, g, -1.0)]:
        with pytest.raises(ValueError):
            kata.direct_bias(*args)
            pytest.fail("direct_bias with no words, a zero direction or c < 0 returned instead of raising")


@given(n=st.integers(3, 9), d=st.integers(2, 5), noise=st.sampled_from([0.0, 0.1, 1.0]), data=st.data(), seed=seeds())
@example(n=5, d=3, noise=0.0, data=None, seed=0)     # unchanged embeddings: retention 1
@settings(max_examples=20)
def test_retention_matches_sklearn_neighbours(kata, n, d, noise, data, seed):
    k = 2 if data is None else data.draw(st.integers(1, n - 1), label="k")
    before = randn(seed, n, d)
    after = before + noise * randn(seed + 1, n, d)
    call = describe_call("neighbourhood_retention", before, after, k)
    got = kata.neighbourhood_retention(before, after, k)

    def nbrs(E):
        idx = NearestNeighbors(n_neighbors=k + 1, metric="cosine").fit(E).kneighbors(E, return_distance=False)
        return [set(row.tolist()) - {i} for i, row in enumerate(idx)]

    want = np.mean([len(a & b) / k for a, b in zip(nbrs(before), nbrs(after), strict=True)])
    assert_close(got, want, rtol=1e-12, atol=1e-12, call=call,
                 name="mean fraction of the k cosine neighbours kept (sklearn NearestNeighbors)")


def test_retention_rejects(kata):
    E = randn(0, 4, 3)
    for args in [(E, E[:3], 1), (E, E, 0), (E, E, 4)]:
        with pytest.raises(ValueError):
            kata.neighbourhood_retention(*args)
            pytest.fail(f"neighbourhood_retention with shapes {args[0].shape}, {args[1].shape}, k={args[2]} returned")


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


@given(seed=seeds(), k=st.sampled_from([3, 5]))
@example(seed=0, k=5)
@settings(max_examples=2)
def test_report_on_hard_debiasing(kata, seed, k):
    before = kata.train_embeddings(corpus(seed), dim=12, window=3)
    diffs = np.stack([before[m] - before[f] for m, f in zip(NAMES_M, NAMES_F, strict=True)])
    g = np.linalg.svd(np.concatenate([diffs / 2, -diffs / 2]), full_matrices=False)[2][0]
    after = dict(before)
    for w in CAREER + FAMILY:   # hard debiasing: neutralize the attribute words
        after[w] = before[w] - (before[w] @ g) * g
    call = describe_call("bias_report", "before", "after", "names_m", "names_f", "career", "family", g, k=k)
    got = kata.bias_report(before, after, NAMES_M, NAMES_F, CAREER, FAMILY, g, k=k)
    vocab = sorted(before)
    S = lambda emb, ws: np.stack([emb[w] for w in ws])  # noqa: E731
    want = {
        "weat_before": kata.weat_effect_size(S(before, NAMES_M), S(before, NAMES_F), S(before, CAREER), S(before, FAMILY)),
        "weat_after": kata.weat_effect_size(S(after, NAMES_M), S(after, NAMES_F), S(after, CAREER), S(after, FAMILY)),
        "direct_bias_before": np.mean([abs(v @ g) / np.linalg.norm(v) for v in S(before, CAREER + FAMILY)]),
        "direct_bias_after": np.mean([abs(v @ g) / np.linalg.norm(v) for v in S(after, CAREER + FAMILY)]),
        "retention": None,
    }
    assert sorted(got) == sorted(want), f"{call} returned keys {sorted(got)}, expected {sorted(want)}"
    for key in ["weat_before", "weat_after", "direct_bias_before", "direct_bias_after"]:
        assert_close(got[key], want[key], rtol=1e-9, atol=1e-12, call=call, name=key)
    assert_close(got["retention"], kata.neighbourhood_retention(S(before, vocab), S(after, vocab), k),
                 rtol=0, atol=1e-12, call=call, name="retention over the shared sorted vocabulary")
    # measured: the bias is gone from both views, most of each word's neighbourhood survives
    assert got["weat_before"] > 1.5 and abs(got["weat_after"]) < 0.5, f"{call}: WEAT {got['weat_before']:.3f} -> {got['weat_after']:.3f}"
    assert got["direct_bias_before"] > 0.1 and got["direct_bias_after"] < 1e-9, (
        f"{call}: direct bias {got['direct_bias_before']:.3f} -> {got['direct_bias_after']:.3g}")
    assert got["retention"] > 0.5, f"{call}: only {got['retention']:.2f} of the neighbourhoods survived debiasing"

"""Tests for nlp-23-3, a semantic cache for repeated queries.

References: a replay written here from the stated rules (cosine similarity to every cached entry,
hit at >= threshold, most similar entry wins, ties to the older entry, least-recently-used eviction,
a hit refreshes recency); exact threshold boundaries pinned; hit and false-hit rates of a stream of
paraphrased queries recomputed by brute force, and their monotonicity in the threshold.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds


def unit(v):
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


def replay(stream, threshold, capacity):
    """(served answers, hits, misses, final keys oldest-first) for a stream of (embedding, answer)."""
    entries, served, hits, misses, nxt = [], [], 0, 0, 0    # entries: [key, vec, answer], LRU order
    for emb, ans in stream:
        e = unit(emb)
        best = None
        for pos, (key, vec, _answer) in enumerate(entries):
            sim = float(vec @ e)
            if best is None or sim > best[0] or (sim == best[0] and key < best[1]):
                best = (sim, key, pos)
        if best is not None and best[0] >= threshold:
            hits += 1
            entry = entries.pop(best[2])
            entries.append(entry)
            served.append(entry[2])
            continue
        misses += 1
        served.append(ans)
        if capacity:
            if len(entries) >= capacity:
                entries.pop(0)
            entries.append([nxt, e, ans])
            nxt += 1
    return served, hits, misses, [e[0] for e in entries]


@st.composite
def streams(draw):
    rng = np.random.default_rng(draw(seeds()))
    protos = rng.normal(size=(draw(st.integers(1, 4)), 3))
    out = []
    for i in range(draw(st.integers(1, 12))):
        p = protos[rng.integers(len(protos))]
        out.append((p + draw(st.sampled_from([0.0, 0.1, 0.5])) * rng.normal(size=3), f"a{i}"))
    return out


@given(stream=streams(), threshold=st.sampled_from([-1.0, 0.5, 0.9, 0.99, 1.0]), capacity=st.integers(0, 4))
@example(stream=[([1, 0], "x"), ([0, 1], "y"), ([1, 0], "z")], threshold=0.5, capacity=2)
@example(stream=[([1, 0], "x"), ([0, 1], "y"), ([1, 0], "z"), ([1, 1e-9], "w"), ([0, 1], "v")], threshold=0.9,
         capacity=2)     # near-duplicates of x hit it; y stays cached
@example(stream=[([1, 0], "x"), ([0, 1], "y"), ([1, 0], "z"), ([-1, 3], "p"), ([0, 1], "v")], threshold=0.99,
         capacity=2)     # after the hit on x, inserting p evicts y (least recently used), not x
@example(stream=[([1, 0], "x"), ([3, 4], "y")], threshold=0.6, capacity=2)   # cos = 0.6 exactly: a hit
@example(stream=[([1, 0], "x"), ([1, 0], "y"), ([1, 0], "z")], threshold=1.0, capacity=0)  # caching disabled
def test_cache_follows_the_rules(kata, stream, threshold, capacity):
    cache = kata.SemanticCache(threshold, capacity)
    want_served, hits, misses, keys = replay(stream, threshold, capacity)
    for i, (emb, ans) in enumerate(stream):
        got = cache.answer(np.asarray(emb, dtype=np.float64), lambda ans=ans: ans)
        assert got == want_served[i], (
            f"SemanticCache({threshold}, {capacity}): query {i} of {[(list(np.round(e, 2)), a) for e, a in stream]} "
            f"was served {got!r}, expected {want_served[i]!r}")
    assert (cache.hits, cache.misses) == (hits, misses), (
        f"SemanticCache({threshold}, {capacity}): hits/misses {cache.hits}/{cache.misses}, expected {hits}/{misses}")
    assert list(cache.entries) == keys, (f"SemanticCache({threshold}, {capacity}): entries {list(cache.entries)} "
                                         f"(oldest first), expected {keys}")


def test_lookup_does_not_count(kata):
    cache = kata.SemanticCache(0.9, 2)
    cache.insert(np.array([1.0, 0.0]), "x")
    assert cache.lookup(np.array([2.0, 0.0])) == (0, "x"), "lookup returns (key, answer) of the best entry at/above threshold"
    assert cache.lookup(np.array([0.0, 1.0])) is None, "lookup returns None below the threshold"
    assert (cache.hits, cache.misses) == (0, 0), "lookup alone does not change the hit/miss counters"


def test_equal_similarities_go_to_the_smaller_key(kata):
    cache = kata.SemanticCache(0.5, 3)
    cache.insert(np.array([1.0, 0.0]), "first")
    cache.insert(np.array([2.0, 0.0]), "second")     # the same direction: an exact tie
    for _ in range(2):    # before and after key 0 becomes the most recently used entry
        got = cache.lookup(np.array([3.0, 0.0]))
        assert got == (0, "first"), (
            f"two entries have cosine similarity 1 with the query; lookup returned {got}, expected (0, 'first'): "
            "ties go to the smaller key, whatever the recency order")


@given(threshold=st.sampled_from([-1.5, 1.01]), capacity=st.integers(-2, 2))
def test_bad_arguments_raise(kata, threshold, capacity):
    with pytest.raises(ValueError):
        kata.SemanticCache(threshold, 2)
    if capacity < 0:
        with pytest.raises(ValueError):
            kata.SemanticCache(0.5, capacity)


@settings(max_examples=5)
@given(seed=seeds(), capacity=st.integers(1, 20))
def test_evaluate_hit_and_false_hit_rates(kata, seed, capacity):
    rng = np.random.default_rng(seed)
    protos = rng.normal(size=(6, 8))
    intents = rng.integers(0, 6, 60)
    emb = protos[intents] + 0.4 * rng.normal(size=(60, 8))
    thresholds = [0.3, 0.6, 0.8, 0.95]
    hit, false = kata.evaluate(emb, list(intents), thresholds, capacity)
    for j, t in enumerate(thresholds):
        served, hits, _, _ = replay([(e, int(i)) for e, i in zip(emb, intents, strict=True)], t, capacity)
        want_false = np.mean([s != int(i) for s, i in zip(served, intents, strict=True)])
        assert abs(hit[j] - hits / 60) < 1e-12 and abs(false[j] - want_false) < 1e-12, (
            f"evaluate at threshold {t}, capacity {capacity}: hit rate {hit[j]}, false-hit rate {false[j]}; expected "
            f"{hits / 60}, {want_false} (a false hit serves another intent's answer)")
    assert np.all(np.diff(hit) <= 1e-12) or capacity < 6, f"hit rates {hit} should fall as the threshold rises"

"""Tests for nlp-43-1, MinHash LSH.

References: datasketch (MinHash with scheme="legacy" for signatures and Jaccard estimates, bitwise;
MinHashLSH with params=(bands, rows) for candidate sets; lsh._false_positive_probability, the integral
of the S-curve, against scipy.integrate.quad of yours), brute force over all pairs for the banding
rule, and the exact Jaccard of the sets with the binomial error bound of the estimate. The pipeline
runs on passages of the workbook's real corpus (tiny Shakespeare) with edited copies.
"""
import math

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from datasketch.lsh import _false_positive_probability
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from grader.discovery import paths
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

TOKENS = st.sets(st.text(alphabet="abcde ", min_size=1, max_size=4), max_size=12)


def ds_minhash(tokens, num_perm, seed) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=seed, scheme="legacy")
    for t in tokens:
        m.update(t.encode("utf-8"))
    return m


@given(tokens=TOKENS, num_perm=st.integers(1, 32), seed=st.integers(0, 2 ** 16))
@example(tokens=set(), num_perm=4, seed=1)           # empty set: MAX_HASH everywhere
@example(tokens={"a"}, num_perm=1, seed=0)
@settings(max_examples=25)
def test_signature_matches_datasketch(kata, tokens, num_perm, seed):
    a, b = kata.permutations(num_perm, seed)
    call = describe_call("minhash_signature", sorted(tokens), a, b)
    got = call_unmodified(kata.minhash_signature, tokens, a, b)
    want = ds_minhash(tokens, num_perm, seed).hashvalues
    assert getattr(got, "dtype", None) == np.uint64, f"{call} returned {getattr(got, 'dtype', type(got))}, expected uint64"
    assert_equal(got, want, call=call, name="signature (datasketch.MinHash(scheme='legacy'))")


def overlapping_sets(seed: int, size_a: int, size_b: int, shared: int) -> tuple[set[str], set[str]]:
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in rng.permutation(10 * (size_a + size_b) + 10)]
    common = words[:shared]
    return set(common + words[shared:size_a]), set(common + words[size_a:size_a + size_b - shared])


@given(size_a=st.integers(1, 40), size_b=st.integers(1, 40), frac=st.floats(0, 1), num_perm=st.sampled_from([64, 128, 256]),
       seed=seeds())
@example(size_a=10, size_b=10, frac=1.0, num_perm=64, seed=0)    # identical sets: estimate exactly 1
@example(size_a=10, size_b=12, frac=0.0, num_perm=128, seed=1)   # disjoint
@settings(max_examples=15)
def test_estimate_matches_datasketch_and_exact_jaccard(kata, size_a, size_b, frac, num_perm, seed):
    A, B = overlapping_sets(seed, size_a, size_b, round(frac * min(size_a, size_b)))
    ma, mb = ds_minhash(A, num_perm, seed), ds_minhash(B, num_perm, seed)
    call = describe_call("estimate_jaccard", ma.hashvalues, mb.hashvalues)
    got = call_unmodified(kata.estimate_jaccard, ma.hashvalues, mb.hashvalues)
    assert_close(got, ma.jaccard(mb), rtol=0, atol=1e-12, call=call, name="estimate (datasketch MinHash.jaccard)")
    J = len(A & B) / len(A | B)
    # the estimate is a Binomial(num_perm, J) / num_perm: 6 standard deviations, plus one position
    bound = 6 * math.sqrt(J * (1 - J) / num_perm) + 1 / num_perm
    assert abs(got - J) <= bound, f"{call} = {got}, exact Jaccard {J:.4f}: off by more than the binomial bound {bound:.4f}"


@given(n=st.integers(1, 6), m=st.integers(1, 6))
@example(n=3, m=4)
def test_estimate_rejects_different_lengths(kata, n, m):
    if n == m:
        m += 1
    with pytest.raises(ValueError):
        kata.estimate_jaccard(np.zeros(n, np.uint64), np.zeros(m, np.uint64))
        pytest.fail(f"estimate_jaccard(uint64[{n}], uint64[{m}]) returned instead of raising ValueError")


def test_empty_corpus_has_no_pairs(kata):
    got = kata.near_duplicates([], k=5, num_perm=8, bands=4, rows=2, threshold=0.5)
    assert_equal(sorted(got), [], call="near_duplicates([], k=5, num_perm=8, bands=4, rows=2, threshold=0.5)")


def corpus_of_variants(seed: int, n_docs: int) -> list[set[str]]:
    """Sets that are edits of a few base sets: many pairs share some bands, few share all."""
    rng = np.random.default_rng(seed)
    bases = [{f"b{j}-{i}" for i in range(12)} for j in range(2)]
    docs = []
    for _ in range(n_docs):
        s = set(bases[rng.integers(2)])
        for t in rng.choice(sorted(s), rng.integers(0, 6), replace=False):
            s.discard(str(t))
        docs.append(s | {f"x{rng.integers(100)}" for _ in range(rng.integers(0, 4))})
    return docs


@given(n_docs=st.integers(1, 8), bands=st.integers(1, 8), rows=st.integers(1, 4), extra=st.integers(0, 3),
       seed=seeds())
@example(n_docs=6, bands=4, rows=2, extra=0, seed=0)
@example(n_docs=5, bands=3, rows=3, extra=2, seed=1)   # unused columns past bands * rows
@example(n_docs=4, bands=1, rows=8, extra=0, seed=2)
@settings(max_examples=20)
def test_candidates_match_banding_and_datasketch(kata, n_docs, bands, rows, extra, seed):
    num_perm = bands * rows + extra
    docs = [ds_minhash(d, num_perm, 1) for d in corpus_of_variants(seed, n_docs)]
    sigs = np.stack([m.hashvalues for m in docs])
    call = describe_call("lsh_candidate_pairs", sigs, bands, rows)
    got = call_unmodified(kata.lsh_candidate_pairs, sigs, bands, rows)
    brute = {(i, j) for i in range(n_docs) for j in range(i + 1, n_docs)
             if any(np.array_equal(sigs[i, k * rows:(k + 1) * rows], sigs[j, k * rows:(k + 1) * rows])
                    for k in range(bands))}
    assert_equal(sorted(got), sorted(brute), call=call, name="candidate pairs (some band identical)")
    if bands >= 2:  # datasketch's LSH needs at least two bands
        lsh = MinHashLSH(num_perm=num_perm, params=(bands, rows))
        for i, m in enumerate(docs):
            lsh.insert(i, m)
        ds = {(min(i, j), max(i, j)) for i, m in enumerate(docs) for j in lsh.query(m) if j != i}
        assert_equal(sorted(got), sorted(ds), call=call, name="candidate pairs (datasketch.MinHashLSH)")


@given(bands=st.integers(-1, 5), rows=st.integers(-1, 5), num_perm=st.integers(1, 12))
@example(bands=0, rows=3, num_perm=6)
@example(bands=2, rows=0, num_perm=6)
@example(bands=3, rows=3, num_perm=8)    # one column short
def test_candidates_reject_bad_banding(kata, bands, rows, num_perm):
    if bands >= 1 and rows >= 1 and bands * rows <= num_perm:
        num_perm = bands * rows - 1
    sigs = np.zeros((3, num_perm), np.uint64)
    with pytest.raises(ValueError):
        kata.lsh_candidate_pairs(sigs, bands, rows)
        pytest.fail(f"lsh_candidate_pairs(uint64{list(sigs.shape)}, {bands}, {rows}) returned instead of raising")


@given(bands=st.integers(1, 20), rows=st.integers(1, 8), t=st.sampled_from([0.1, 0.3, 0.5, 0.8, 1.0]))
@example(bands=20, rows=5, t=0.5)
@settings(max_examples=20)
def test_s_curve_integrates_to_datasketch_false_positive_probability(kata, bands, rows, t):
    call = describe_call("candidate_probability", "s", bands, rows)
    integral = quad(lambda s: kata.candidate_probability(s, bands, rows), 0.0, t)[0]
    # both are quadratures of a smooth polynomial: 1e-6 absolute
    assert_close(integral, _false_positive_probability(t, bands, rows), rtol=0, atol=1e-6, call=call,
                 name=f"integral of the S-curve over [0, {t}] (datasketch lsh._false_positive_probability)")
    assert_close([kata.candidate_probability(s, bands, rows) for s in (0.0, 1.0)], [0.0, 1.0], rtol=0, atol=1e-12,
                 call=call, name="P(candidate) at s = 0 and s = 1")


def corpus_text() -> str:
    for base in (paths.root() / "data", paths.PACKAGE.parent / "data"):
        if (base / "tinyshakespeare.txt").exists():
            return (base / "tinyshakespeare.txt").read_text(encoding="utf-8")
    raise FileNotFoundError("data/tinyshakespeare.txt")


def edited(text: str, rng: np.random.Generator, n_edits: int) -> str:
    chars = list(text)
    for i in rng.choice(len(chars), n_edits, replace=False):
        chars[i] = "#"
    return "".join(chars)


@given(n_base=st.integers(2, 5), k=st.sampled_from([3, 5]), pick=st.integers(0, 10 ** 6), seed=seeds(),
       bands=st.sampled_from([8, 16]), rows=st.sampled_from([2, 4]), mh_seed=st.integers(0, 5))
@example(n_base=3, k=5, pick=0, seed=0, bands=16, rows=4, mh_seed=1)
@settings(max_examples=6)
def test_finds_edited_copies_in_real_text(kata, n_base, k, pick, seed, bands, rows, mh_seed):
    rng = np.random.default_rng(seed)
    text = corpus_text()
    starts = rng.choice(len(text) - 400, n_base, replace=False)
    base = [text[s:s + 400] for s in starts]
    texts = base + [edited(t, rng, 2) for t in base]           # doc i and doc i + n_base: ~95 % Jaccard
    num_perm = bands * rows
    mh = [ds_minhash(kata.shingles(t, k), num_perm, mh_seed) for t in texts]
    lsh = MinHashLSH(num_perm=num_perm, params=(bands, rows))
    for i, m in enumerate(mh):
        lsh.insert(i, m)
    cands = {(min(i, j), max(i, j)) for i, m in enumerate(mh) for j in lsh.query(m) if j != i}
    estimates = sorted({mh[i].jaccard(mh[j]) for i, j in cands})
    threshold = estimates[pick % len(estimates)]            # exactly on an estimate: ">=" keeps that pair
    kw = dict(k=k, num_perm=num_perm, bands=bands, rows=rows, threshold=threshold, seed=mh_seed)
    call = describe_call("near_duplicates", f"{len(texts)} Shakespeare passages", **kw)
    got = kata.near_duplicates(texts, **kw)
    want = {(i, j) for i, j in cands if mh[i].jaccard(mh[j]) >= threshold}
    assert_equal(sorted(got), sorted(want), call=call, name="near-duplicate pairs (datasketch LSH + estimate >= threshold)")
    all_cands = kata.near_duplicates(texts, **{**kw, "threshold": 0.0})
    assert_equal(sorted(all_cands), sorted(cands), call=call.replace(f"threshold={threshold}", "threshold=0.0"),
                 name="pairs at threshold 0 (every LSH candidate, datasketch.MinHashLSH)")
    planted = {(i, i + n_base) for i in range(n_base)}
    found = kata.near_duplicates(texts, **{**kw, "threshold": 0.5})
    assert planted <= found, f"{call} with threshold 0.5 missed edited copies {sorted(planted - found)} (found {sorted(found)})"

"""Tests for nlp-16-1, toy data generation, noise, deduplication and leak-free eval splits.

References: brute force over all pairs (exact Jaccard of shingle sets, connected components) for
near-duplicate removal, brute-force MinHash with Python integers and brute-force banding for LSH,
a dict for exact duplicates, unicodedata for normalization, scikit-learn's
train_test_split(stratify=...) for the per-class proportions, and properties that pin the rest down
(partition, floor/ceil class counts, no near duplicate across splits, typos are adjacent swaps).
"""
import math
import re
import string
import unicodedata

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from sklearn.model_selection import train_test_split

from grader.strategies import seeds
from grader.testing import assert_equal, assert_seeded, describe_call

FRACTIONS = st.sampled_from([(0.8, 0.1, 0.1), (0.5, 0.5), (0.7, 0.2, 0.1), (1.0,), (0.6, 0.4), (0.34, 0.33, 0.33),
                             (0.0, 1.0)])
P = (1 << 31) - 1


# ---------------------------------------------------------------------------------------------
# references
# ---------------------------------------------------------------------------------------------

def ref_normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c if c.isalnum() or c.isspace() else " " for c in text)
    return " ".join(text.split())


def ref_shingles(text: str, k: int) -> set[str]:
    t = ref_normalize(text)
    if len(t) < k:
        return {t} if t else set()
    return {t[i:i + k] for i in range(len(t) - k + 1)}


def ref_jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def brute_clusters(texts: list[str], threshold: float, k: int = 5) -> list[int]:
    """Smallest index of every connected component of the graph 'exact Jaccard >= threshold'."""
    sets = [ref_shingles(t, k) for t in texts]
    comp = list(range(len(texts)))
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if ref_jaccard(sets[i], sets[j]) >= threshold:
                a, b = comp[i], comp[j]
                comp = [min(a, b) if c in (a, b) else c for c in comp]
    return sorted(set(comp))


def assert_kept(got, want: list[int], texts: list[str], threshold: float, call: str) -> None:
    got = [int(i) for i in got]
    if got == want:
        return
    lines = [f"{call} kept {len(got)} texts, expected {len(want)} (the smallest index of each cluster)"]
    sets = [ref_shingles(t, 5) for t in texts]
    for i in sorted(set(got) - set(want))[:3]:
        partner = max((j for j in range(len(texts)) if j != i), key=lambda j: ref_jaccard(sets[i], sets[j]))
        lines.append(f"  kept {i}: {texts[i]!r}, but it is in the cluster of a smaller index (e.g. via {partner}: "
                     f"{texts[partner]!r}, Jaccard {ref_jaccard(sets[i], sets[partner]):.2f} vs threshold {threshold})")
    for i in sorted(set(want) - set(got))[:3]:
        lines.append(f"  dropped {i}: {texts[i]!r}, the smallest index of its cluster")
    if got != sorted(got):
        lines.append("  the indices are not in increasing order")
    raise AssertionError("\n".join(lines))


def swap_adjacent(word: str, i: int) -> str:
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def random_letters(rng: np.random.Generator, length: int) -> str:
    return "".join(rng.choice(list(string.ascii_lowercase), size=length))


def distinct_letter_words(rng: np.random.Generator, n: int, lo: int = 1, hi: int = 8) -> list[str]:
    return ["".join(rng.permutation(list(string.ascii_lowercase))[:int(rng.integers(lo, hi + 1))]) for _ in range(n)]


def planted_corpus(kata, seed: int, n: int) -> tuple[list[str], list[int]]:
    """Toy sentences plus exact (case, spacing, punctuation) and near (one typo) copies of some of them."""
    texts, labels = kata.generate_toy_data(n, seed)
    rng = np.random.default_rng(seed + 1)
    for i in rng.choice(len(texts), size=min(len(texts), n // 3 + 1), replace=False):
        t = texts[int(i)]
        variants = [t.upper(), "  " + t.replace(" ", "   ") + " ", t + "!!", t.replace("was", "was,")]
        words = t.split(" ")
        w = int(rng.integers(len(words)))
        if len(words[w]) >= 2:
            words[w] = swap_adjacent(words[w], int(rng.integers(len(words[w]) - 1)))
        variants.append(" ".join(words))
        texts.append(variants[int(rng.integers(len(variants)))])
        labels.append(labels[int(i)])
    order = rng.permutation(len(texts))
    return [texts[i] for i in order], [labels[i] for i in order]


def all_fills(kata) -> set[str]:
    return {tpl.format(subject=s, intensifier=x, word=w) for tpl in kata.TEMPLATES for s in kata.SUBJECTS
            for x in kata.INTENSIFIERS for w in kata.POSITIVE + kata.NEGATIVE}


# ---------------------------------------------------------------------------------------------
# generate and corrupt
# ---------------------------------------------------------------------------------------------

@given(n=st.integers(0, 60), seed=seeds())
@example(n=1, seed=0)
@example(n=0, seed=0)
def test_generate_toy_data_is_templated_labelled_and_seeded(kata, n, seed):
    call = describe_call("generate_toy_data", n, seed)
    texts, labels = kata.generate_toy_data(n, seed)
    assert len(texts) == len(labels) == n, f"{call} returned {len(texts)} texts and {len(labels)} labels, expected {n}"
    again = kata.generate_toy_data(n, seed)
    assert (list(again[0]), list(again[1])) == (list(texts), list(labels)), \
        f"{call} gave a different result the second time: draw everything from np.random.default_rng(seed)"
    fills = all_fills(kata)
    pos, neg = set(kata.POSITIVE), set(kata.NEGATIVE)
    for text, label in zip(texts, labels, strict=True):
        assert text in fills, f"{call} produced {text!r}, which is not a TEMPLATES entry filled with the given words"
        words = set(re.findall(r"[a-z]+", text))
        sentiment = words & (pos | neg)
        assert len(sentiment) == 1 and label in (0, 1), f"{call}: {text!r} (label {label}) has sentiment words {sentiment}"
        assert (sentiment <= pos) == (label == 1), (
            f"{call}: {text!r} has label {label} but its word {sentiment} is from the "
            f"{'POSITIVE' if sentiment <= pos else 'NEGATIVE'} list (label 1 = positive)")


@given(seed=seeds())
@example(seed=0)
def test_the_seed_decides_every_random_choice(kata, seed):
    """Same seed, same result; another seed, another result: for the data, the typos and the split."""
    def as_bytes(texts: list[str]) -> np.ndarray:   # compared as arrays: the texts' UTF-8 bytes
        return np.frombuffer("\n".join(texts).encode(), dtype=np.uint8)

    assert_seeded(lambda s: as_bytes(list(kata.generate_toy_data(30, s)[0])), seed, name="generate_toy_data texts")
    words = " ".join(["abcdef"] * 40)
    assert_seeded(lambda s: as_bytes(list(kata.add_noise([words], 0.5, s))), seed, name="add_noise output")
    labels = [i % 3 for i in range(45)]
    assert_seeded(lambda s: [list(p) for p in kata.stratified_split(labels, (0.5, 0.25, 0.25), s)], seed,
                  name="stratified_split parts")


@given(seed=seeds())
def test_generate_toy_data_covers_labels_and_templates(kata, seed):
    texts, labels = kata.generate_toy_data(400, seed)
    frac = float(np.mean(labels))
    # Binomial(400, 1/2): sd 0.025, so 0.15 is 6 sd.
    assert abs(frac - 0.5) < 0.15, f"generate_toy_data(400, {seed}) has {frac:.2f} positives; labels should be 50/50"
    starts = {tpl.split("{")[0] for tpl in kata.TEMPLATES if not tpl.startswith("{")}
    used = {s for s in starts if any(t.startswith(s) for t in texts)}
    assert used == starts, f"generate_toy_data(400, {seed}) never used the templates starting {starts - used}"


@given(seed=seeds(), n=st.integers(1, 20), rate=st.sampled_from([0.0, 0.3, 1.0]))
@example(seed=0, n=3, rate=1.0)
def test_add_noise_swaps_adjacent_characters_within_words(kata, seed, n, rate):
    rng = np.random.default_rng(seed)
    texts = [" ".join(distinct_letter_words(rng, int(rng.integers(1, 6)))) for _ in range(n)]
    call = describe_call("add_noise", texts, rate, seed)
    got = kata.add_noise(texts, rate, seed)
    assert len(got) == n, f"{call} returned {len(got)} texts, expected {n}"
    assert list(kata.add_noise(texts, rate, seed)) == list(got), f"{call} is not deterministic given the seed"
    for before, after in zip(texts, got, strict=True):
        bw, aw = before.split(" "), after.split(" ")
        assert len(bw) == len(aw), f"{call}: {before!r} became {after!r}: the words must stay the same in number"
        for b, a in zip(bw, aw, strict=True):
            allowed = {b} | {swap_adjacent(b, i) for i in range(len(b) - 1)}
            assert a in allowed, f"{call}: word {b!r} became {a!r}, which is not one adjacent swap of it"
            if rate == 0.0:
                assert a == b, f"{call}: with rate 0 the word {b!r} became {a!r}"
            if rate == 1.0 and len(b) >= 2:
                assert a != b, f"{call}: with rate 1 every word of 2+ letters must get a typo; {b!r} did not"


@settings(max_examples=10)
@given(seed=seeds(), rate=st.sampled_from([0.1, 0.5, 0.8]))
def test_add_noise_hits_the_rate_and_every_position(kata, seed, rate):
    rng = np.random.default_rng(seed)
    words = ["".join(rng.permutation(list(string.ascii_lowercase))[:5]) for _ in range(1500)]
    texts = [" ".join(words[i:i + 5]) for i in range(0, 1500, 5)]
    got = [w for t in kata.add_noise(texts, rate, seed) for w in t.split(" ")]
    changed = [i for i, (a, b) in enumerate(zip(words, got, strict=True)) if a != b]
    frac = len(changed) / len(words)
    sd = (rate * (1 - rate) / len(words)) ** 0.5
    assert abs(frac - rate) < 6 * sd, (f"add_noise(rate={rate}) changed {frac:.3f} of 1500 five-letter words; expected "
                                       f"{rate} ± {6 * sd:.3f} (each word independently with probability rate)")
    positions = {next(p for p in range(4) if words[i][p] != got[i][p]) for i in changed}
    assert positions == {0, 1, 2, 3}, (f"add_noise swapped only at positions {sorted(positions)} of five-letter words; "
                                       "the swap position should be uniform over 0..len(word)-2")


@given(rate=st.sampled_from([-0.1, 1.5]))
def test_add_noise_rejects_bad_rates(kata, rate):
    with pytest.raises(ValueError):
        kata.add_noise(["a b"], rate, 0)
        pytest.fail(f"add_noise(rate={rate}) did not raise ValueError")


# ---------------------------------------------------------------------------------------------
# dedupe
# ---------------------------------------------------------------------------------------------

@given(text=st.text(max_size=40))
@example(text="  Hello,\tWORLD!!  ﬁne ")
@example(text="Straße STRASSE")
@example(text="")
def test_normalize_matches_the_definition(kata, text):
    got = kata.normalize(text)
    want = ref_normalize(text)
    hint = ""
    if got != want and got == " ".join("".join(c if c.isalnum() or c.isspace() else " "
                                               for c in unicodedata.normalize("NFKC", text).lower()).split()):
        hint = " (lower() instead of casefold(): 'ß'.casefold() is 'ss')"
    assert got == want, f"normalize({text!r}) returned {got!r}, expected {want!r}{hint}"


@given(seed=seeds(), n=st.integers(0, 40))
@example(seed=0, n=12)
def test_exact_dedupe_keeps_first_occurrences(kata, seed, n):
    texts, _ = planted_corpus(kata, seed, n)
    seen, want = set(), []
    for i, t in enumerate(texts):
        if ref_normalize(t) not in seen:
            seen.add(ref_normalize(t))
            want.append(i)
    got = kata.exact_dedupe(texts)
    assert_equal(np.asarray(got, dtype=np.int64), np.asarray(want, dtype=np.int64),
                 name="kept indices (first occurrence of each normalized text)",
                 call=describe_call("exact_dedupe", f"<{len(texts)} texts>"))


@given(text=st.text(alphabet=st.sampled_from("abcAB .,!ß"), max_size=20), k=st.integers(1, 6))
@example(text="abc", k=5)
@example(text="", k=3)
@example(text="Hello, hello", k=3)
def test_shingles_are_character_k_grams_of_the_normalized_text(kata, text, k):
    got = kata.shingles(text, k)
    want = ref_shingles(text, k)
    assert set(got) == want, f"shingles({text!r}, {k}) returned {sorted(got)}, expected {sorted(want)}"


@given(seed=seeds(), size=st.integers(0, 12), num_perm=st.sampled_from([1, 16, 64]))
@example(seed=0, size=0, num_perm=16)
def test_minhash_signature_matches_brute_force(kata, seed, size, num_perm):
    rng = np.random.default_rng(seed)
    sset = {random_letters(rng, 5) for _ in range(size)}
    a, b = kata.hash_params(num_perm, seed)
    want = [min(((int(a[i]) * kata.shingle_hash(s) + int(b[i])) % P for s in sset), default=P) for i in range(num_perm)]
    call = describe_call("minhash_signature", f"<{len(sset)} shingles>", num_perm, seed)
    got = kata.minhash_signature(sset, num_perm, seed)
    assert getattr(got, "dtype", None) == np.uint64, f"{call} returned dtype {getattr(got, 'dtype', type(got))}, expected uint64"
    assert_equal(got, np.asarray(want, dtype=np.uint64), name="signature (min over shingles of (a·h + b) mod p)", call=call)


@settings(max_examples=10)
@given(seed=seeds(), shared=st.integers(0, 40), only_a=st.integers(0, 40), only_b=st.integers(1, 40))
@example(seed=0, shared=30, only_a=5, only_b=5)
def test_minhash_agreement_estimates_jaccard(kata, seed, shared, only_a, only_b):
    rng = np.random.default_rng(seed)
    pool = list({random_letters(rng, 6) for _ in range(shared + only_a + only_b + 20)})[:shared + only_a + only_b]
    assume(len(pool) == shared + only_a + only_b)
    a_set, b_set = set(pool[:shared + only_a]), set(pool[:shared]) | set(pool[shared + only_a:])
    est = float(np.mean(kata.minhash_signature(a_set, 256, seed) == kata.minhash_signature(b_set, 256, seed)))
    true = ref_jaccard(a_set, b_set)
    # 256 independent-ish agreements: sd <= 0.5 / 16 = 0.031; 0.2 is more than 6 sd.
    assert abs(est - true) < 0.2, f"MinHash agreement {est:.3f} with 256 permutations, but the Jaccard is {true:.3f}"


@given(seed=seeds(), n=st.integers(0, 12), num_perm=st.sampled_from([4, 8, 12]), bands=st.sampled_from([1, 2, 4]),
       alphabet=st.integers(2, 4))
@example(seed=0, n=5, num_perm=8, bands=4, alphabet=2)
def test_lsh_candidate_pairs_match_brute_force_banding(kata, seed, n, num_perm, bands, alphabet):
    sigs = np.random.default_rng(seed).integers(0, alphabet, size=(n, num_perm)).astype(np.uint64)
    r = num_perm // bands
    want = {(i, j) for i in range(n) for j in range(i + 1, n)
            if any(np.array_equal(sigs[i, s * r:(s + 1) * r], sigs[j, s * r:(s + 1) * r]) for s in range(bands))}
    got = kata.lsh_candidate_pairs(sigs, bands)
    call = describe_call("lsh_candidate_pairs", sigs, bands)
    assert set(got) == want, (f"{call}: missing {sorted(want - set(got))[:5]}, unexpected {sorted(set(got) - want)[:5]} "
                              f"(pairs (i, j) with i < j that agree on all {r} entries of at least one band)")


def test_lsh_rejects_bands_that_do_not_divide(kata):
    for bands in (4, 0):    # 0 bands divide nothing either
        with pytest.raises(ValueError):
            kata.lsh_candidate_pairs(np.zeros((3, 10), dtype=np.uint64), bands)
            pytest.fail(f"lsh_candidate_pairs with 10 entries and {bands} bands did not raise ValueError")


@settings(max_examples=15)
@given(seed=seeds(), n=st.integers(1, 30), threshold=st.sampled_from([0.5, 0.7, 0.9]))
@example(seed=0, n=20, threshold=0.5)
def test_near_dedupe_keeps_one_per_cluster_like_brute_force(kata, seed, n, threshold):
    """With one row per band (r = 1) LSH misses a pair with Jaccard >= 0.5 with probability <= 0.5**64."""
    texts, _ = planted_corpus(kata, seed, n)
    call = describe_call("near_dedupe", f"<{len(texts)} texts>", threshold=threshold, num_perm=64, bands=64)
    got = kata.near_dedupe(texts, threshold=threshold, num_perm=64, bands=64, seed=seed)
    assert_kept(got, brute_clusters(texts, threshold), texts, threshold, call)


@settings(max_examples=15)
@given(seed=seeds(), n_docs=st.integers(1, 12), copies=st.integers(0, 8))
@example(seed=0, n_docs=6, copies=5)
def test_near_dedupe_with_banding_finds_typo_copies(kata, seed, n_docs, copies):
    """Random 40-letter documents (pairwise Jaccard ~0) and one-typo copies (Jaccard >= 0.7)."""
    rng = np.random.default_rng(seed)
    docs = [random_letters(rng, 40) for _ in range(n_docs)]
    for _ in range(copies):
        src = docs[int(rng.integers(n_docs))]
        docs.append(swap_adjacent(src, int(rng.integers(39))))
    order = rng.permutation(len(docs))
    docs = [docs[i] for i in order]
    call = describe_call("near_dedupe", f"<{len(docs)} docs>", threshold=0.5, num_perm=128, bands=64)
    got = kata.near_dedupe(docs, threshold=0.5, num_perm=128, bands=64, seed=seed)
    assert_kept(got, brute_clusters(docs, 0.5), docs, 0.5, call)


@given(seed=seeds(), shift=st.sampled_from([0, 1, 2]))
@example(seed=0, shift=0)
def test_near_dedupe_follows_chains_of_near_duplicates(kata, seed, shift):
    """A ~ B ~ C but A !~ C (Jaccard 0.63, 0.63, 0.37): one cluster, so only A survives."""
    s = random_letters(np.random.default_rng(seed), 42)
    chain = [s[0:30], s[6:36], s[12:42]]
    sets = [ref_shingles(t, 5) for t in chain]
    assume(len(set().union(*sets)) == 38)                      # all 5-grams of s distinct
    texts = [random_letters(np.random.default_rng(seed + 1), 30) for _ in range(shift)] + chain
    call = describe_call("near_dedupe", texts, threshold=0.5, num_perm=64, bands=64)
    got = kata.near_dedupe(texts, threshold=0.5, num_perm=64, bands=64, seed=seed)
    assert_kept(got, brute_clusters(texts, 0.5), texts, 0.5, call)

def ref_near_dedupe(kata, texts: list[str], threshold: float, k: int, num_perm: int, bands: int, seed: int) -> list[int]:
    """The documented pipeline by brute force: k-shingles, MinHash with Python integers on the given
    hash_params(num_perm, seed), candidate pairs that agree on a whole band, exact Jaccard >= threshold,
    connected components, smallest index of each."""
    sets = [ref_shingles(t, k) for t in texts]
    a, b = kata.hash_params(num_perm, seed)
    sigs = [[min(((int(a[i]) * kata.shingle_hash(x) + int(b[i])) % P for x in sh), default=P) for i in range(num_perm)]
            for sh in sets]
    r = num_perm // bands
    comp = list(range(len(texts)))
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if any(sigs[i][q * r:(q + 1) * r] == sigs[j][q * r:(q + 1) * r] for q in range(bands)) and \
                    ref_jaccard(sets[i], sets[j]) >= threshold:
                x, y = comp[i], comp[j]
                comp = [min(x, y) if c in (x, y) else c for c in comp]
    return sorted(set(comp))


@settings(max_examples=5)  # the explicit examples pin each parameter
@given(seed=seeds(), n=st.integers(1, 20), k=st.integers(2, 6), lsh=st.sampled_from([(2, 1), (4, 2), (6, 3), (8, 4)]))
@example(seed=1, n=12, k=3, lsh=(6, 3))
@example(seed=2, n=12, k=4, lsh=(4, 2))
def test_near_dedupe_uses_k_num_perm_bands_and_seed(kata, seed, n, k, lsh):
    """Few permutations and bands: LSH misses some near duplicates, and which ones depends on every parameter."""
    num_perm, bands = lsh
    texts, _ = planted_corpus(kata, seed, n)
    call = describe_call("near_dedupe", f"<{len(texts)} texts>", threshold=0.5, k=k, num_perm=num_perm, bands=bands,
                         seed=seed)
    got = kata.near_dedupe(texts, threshold=0.5, k=k, num_perm=num_perm, bands=bands, seed=seed)
    assert_kept(got, ref_near_dedupe(kata, texts, 0.5, k, num_perm, bands, seed), texts, 0.5,
                call + " (brute-force MinHash + banding with these parameters)")


# ---------------------------------------------------------------------------------------------
# splits
# ---------------------------------------------------------------------------------------------

def check_partition_and_strata(parts, labels, fractions, call: str, universe=None) -> None:
    universe = list(range(len(labels))) if universe is None else universe
    assert len(parts) == len(fractions), f"{call} returned {len(parts)} splits, expected {len(fractions)}"
    flat = [i for p in parts for i in p]
    assert len(flat) == len(set(flat)), f"{call}: an index appears in two splits (or twice in one)"
    assert sorted(flat) == sorted(universe), (f"{call}: the splits do not cover the items exactly; missing "
                                              f"{sorted(set(universe) - set(flat))[:5]}, extra {sorted(set(flat) - set(universe))[:5]}")
    lab = {i: labels[k] for k, i in enumerate(universe)}
    for c in sorted(set(lab.values())):
        n_c = sum(1 for v in lab.values() if v == c)
        for s, (part, f) in enumerate(zip(parts, fractions, strict=True)):
            got = sum(1 for i in part if lab[i] == c)
            assert abs(got - n_c * f) < 1 - 1e-9 or got == round(n_c * f), (
                f"{call}: split {s} holds {got} of the {n_c} items of class {c}; a stratified split gives it "
                f"floor or ceil of {n_c} × {f} = {n_c * f:.2f}")
        # the ceils go to the largest remainders n_c * f - floor(n_c * f) (any order among equal ones)
        counts = [sum(1 for i in part if lab[i] == c) for part in parts]
        rem = [n_c * f - math.floor(n_c * f) for f in fractions]
        up = [s for s, f in enumerate(fractions) if counts[s] > math.floor(n_c * f)]
        down = [s for s in range(len(fractions)) if s not in up]
        assert all(rem[u] >= rem[d] - 1e-9 for u in up for d in down), (
            f"{call}: class {c} ({n_c} items) got counts {counts} over the splits; the ceils must go to the largest "
            f"remainders {[round(r, 3) for r in rem]}")


@given(seed=seeds(), n=st.integers(1, 80), n_classes=st.integers(1, 4), fractions=FRACTIONS)
@example(seed=0, n=80, n_classes=3, fractions=(0.8, 0.1, 0.1))
@example(seed=1, n=7, n_classes=1, fractions=(0.8, 0.1, 0.1))
@example(seed=2, n=4, n_classes=1, fractions=(0.8, 0.1, 0.1))   # remainders .2, .4, .4: the ceil is not split 0's
@example(seed=3, n=9, n_classes=2, fractions=(0.5, 0.0, 0.5))   # an empty split is allowed
def test_stratified_split_partitions_every_class_by_the_fractions(kata, seed, n, n_classes, fractions):
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(n_classes))              # imbalanced classes
    labels = [int(c) for c in rng.choice(n_classes, size=n, p=weights)]
    call = describe_call("stratified_split", f"<{n} labels>", fractions, seed)
    parts = kata.stratified_split(labels, fractions, seed)
    check_partition_and_strata(parts, labels, fractions, call)
    assert [list(p) for p in kata.stratified_split(labels, fractions, seed)] == [list(p) for p in parts], \
        f"{call} is not deterministic given the seed"


@given(seed=seeds(), n=st.integers(10, 80), n_classes=st.integers(2, 3), test_size=st.sampled_from([0.2, 0.25, 0.5]))
@example(seed=0, n=40, n_classes=2, test_size=0.25)
def test_stratified_split_matches_sklearn_class_counts(kata, seed, n, n_classes, test_size):
    rng = np.random.default_rng(seed)
    labels = [int(c) for c in rng.choice(n_classes, size=n, p=rng.dirichlet(np.ones(n_classes) * 3))]
    counts = np.bincount(labels, minlength=n_classes)
    assume(counts.min() >= 2 and n * test_size >= n_classes and n * (1 - test_size) >= n_classes)
    _, sk_test = train_test_split(np.arange(n), test_size=test_size, stratify=labels, random_state=seed % 2**32)
    _, test = kata.stratified_split(labels, (1 - test_size, test_size), seed)
    sk = np.bincount(np.asarray(labels)[sk_test], minlength=n_classes)
    got = np.bincount(np.asarray(labels, dtype=np.int64)[np.asarray(test, dtype=np.int64)], minlength=n_classes)
    # sklearn sizes the test split as ceil(test_size * n) first, then spreads it over the classes: its
    # per-class counts can be one above floor/ceil of n_c * test_size, never more.
    assert np.all(np.abs(got - sk) <= 1), (
        f"stratified_split(test fraction {test_size}) put per-class counts {got.tolist()} in the test split; "
        f"sklearn's train_test_split(stratify=labels) puts {sk.tolist()} (classes of sizes {counts.tolist()})")


@given(fractions=st.sampled_from([(0.5, 0.6), (0.9,), (1.2, -0.2), (0.5, 0.4)]))
def test_stratified_split_rejects_bad_fractions(kata, fractions):
    with pytest.raises(ValueError):
        kata.stratified_split([0, 1, 0, 1], fractions, 0)
        pytest.fail(f"stratified_split(fractions={fractions}) did not raise ValueError")


@settings(max_examples=4)  # the explicit example pins each parameter
@given(seed=seeds(), n=st.integers(5, 30), fractions=FRACTIONS, lsh=st.sampled_from([(4, 2), (6, 3), (8, 4)]))
@example(seed=1, n=12, fractions=(0.5, 0.25, 0.25), lsh=(6, 3))
def test_make_eval_splits_is_near_dedupe_then_stratified_split(kata, seed, n, fractions, lsh):
    """The documented composition, with the parameters passed through (few permutations: LSH misses show)."""
    num_perm, bands = lsh
    texts, labels = planted_corpus(kata, seed, n)
    call = describe_call("make_eval_splits", f"<{len(texts)} texts>", "labels", fractions, seed, threshold=0.5,
                         num_perm=num_perm, bands=bands)
    got = kata.make_eval_splits(texts, labels, fractions, seed, threshold=0.5, num_perm=num_perm, bands=bands)
    kept = ref_near_dedupe(kata, texts, 0.5, 5, num_perm, bands, seed)
    want = [[kept[j] for j in part] for part in kata.stratified_split([labels[i] for i in kept], fractions, seed)]
    assert [list(map(int, p)) for p in got] == want, (
        f"{call} returned splits {[list(p) for p in got]}, expected {want}: near_dedupe(texts, threshold, k=5, "
        f"num_perm, bands, seed), then stratified_split(kept labels, fractions, seed) mapped back to text indices")


@settings(max_examples=15)
@given(seed=seeds(), n=st.integers(5, 40), fractions=FRACTIONS, threshold=st.sampled_from([0.5, 0.7, 0.9]))
@example(seed=0, n=30, fractions=(0.8, 0.1, 0.1), threshold=0.5)
def test_make_eval_splits_has_no_leakage_between_splits(kata, seed, n, fractions, threshold):
    texts, labels = planted_corpus(kata, seed, n)
    call = describe_call("make_eval_splits", f"<{len(texts)} texts>", "labels", fractions, seed, threshold=threshold,
                         num_perm=64, bands=64)
    parts = kata.make_eval_splits(texts, labels, fractions, seed, threshold=threshold, num_perm=64, bands=64)
    kept = brute_clusters(texts, threshold)
    check_partition_and_strata(parts, [labels[i] for i in kept], fractions, call, universe=kept)
    sets = {i: ref_shingles(texts[i], 5) for p in parts for i in p}
    for s, part in enumerate(parts):
        for t, other in enumerate(parts):
            if t <= s:
                continue
            for i in part:
                for j in other:
                    jac = ref_jaccard(sets[i], sets[j])
                    assert jac < threshold, (f"{call}: split {s} has {texts[i]!r} and split {t} has {texts[j]!r}, "
                                             f"Jaccard {jac:.2f} >= {threshold}: a near duplicate leaks across splits")

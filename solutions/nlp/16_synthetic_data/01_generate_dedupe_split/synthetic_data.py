"""Reference solution for nlp-16-1."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

SUBJECTS = ["the movie", "this film", "the plot", "the acting", "the soundtrack", "the ending", "the director",
            "the cast"]
INTENSIFIERS = ["", "really ", "truly ", "quite ", "very "]
POSITIVE = ["great", "wonderful", "brilliant", "delightful", "superb", "charming"]
NEGATIVE = ["awful", "boring", "dreadful", "clumsy", "tedious", "bland"]
TEMPLATES = ["{subject} was {intensifier}{word}", "i thought {subject} was {intensifier}{word}",
             "{subject} felt {intensifier}{word} to me", "honestly, {subject} is {intensifier}{word}"]
MERSENNE_PRIME = (1 << 31) - 1


def shingle_hash(shingle: str) -> int:
    """Given, complete: a stable 31-bit hash of a string (Python's hash() changes between runs)."""
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "little") % MERSENNE_PRIME


def hash_params(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Given, complete: the (a, b) of num_perm hash functions h_i(x) = (a_i * x + b_i) mod MERSENNE_PRIME."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, MERSENNE_PRIME, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, MERSENNE_PRIME, size=num_perm, dtype=np.uint64)
    return a, b


def jaccard(a: set, b: set) -> float:
    """Given, complete: |a ∩ b| / |a ∪ b|, and 1.0 for two empty sets."""
    return len(a & b) / len(a | b) if a or b else 1.0


# --------------------------------------------------------------------------------------------
# Generate and corrupt
# --------------------------------------------------------------------------------------------


def generate_toy_data(n: int, seed: int) -> tuple[list[str], list[int]]:
    """n templated movie-review sentences with sentiment labels (1 = positive, 0 = negative).

    For each example draw, from np.random.default_rng(seed): the label (0 or 1, equally likely), a
    template, a subject, an intensifier and a word from POSITIVE (label 1) or NEGATIVE (label 0), all
    uniformly, and fill the template. The text contains exactly one sentiment word.

    Returns:
        (texts, labels), two lists of length n
    """
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(2))
        template = TEMPLATES[int(rng.integers(len(TEMPLATES)))]
        subject = SUBJECTS[int(rng.integers(len(SUBJECTS)))]
        intensifier = INTENSIFIERS[int(rng.integers(len(INTENSIFIERS)))]
        lexicon = POSITIVE if label == 1 else NEGATIVE
        word = lexicon[int(rng.integers(len(lexicon)))]
        texts.append(template.format(subject=subject, intensifier=intensifier, word=word))
        labels.append(label)
    return texts, labels


def add_noise(texts: Sequence[str], rate: float, seed: int) -> list[str]:
    """Typos: each word (the text split on " ") independently, with probability `rate`, gets two
    adjacent characters swapped at a uniformly chosen position. Words shorter than 2 characters are
    left alone. Words are joined back with " ". Deterministic given seed.

    Returns:
        a list of len(texts) strings

    Raises:
        ValueError: unless 0 <= rate <= 1.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], got {rate}")
    rng = np.random.default_rng(seed)
    out = []
    for text in texts:
        words = text.split(" ")
        for w, word in enumerate(words):
            if len(word) >= 2 and rng.random() < rate:
                i = int(rng.integers(len(word) - 1))
                words[w] = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        out.append(" ".join(words))
    return out


# --------------------------------------------------------------------------------------------
# Dedupe
# --------------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Canonical form for duplicate detection: Unicode NFKC, casefold, every character that is
    neither alphanumeric (str.isalnum) nor whitespace replaced by a space, runs of whitespace
    collapsed to one space, stripped.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c if c.isalnum() or c.isspace() else " " for c in text)
    return re.sub(r"\s+", " ", text).strip()


def exact_dedupe(texts: Sequence[str]) -> list[int]:
    """Indices of the first occurrence of every distinct normalize(text), in increasing order."""
    seen: set[str] = set()
    keep = []
    for i, text in enumerate(texts):
        key = normalize(text)
        if key not in seen:
            seen.add(key)
            keep.append(i)
    return keep


def shingles(text: str, k: int = 5) -> set[str]:
    """The set of character k-grams of normalize(text); a normalized text shorter than k is its own
    single shingle, and the empty text has none.
    """
    t = normalize(text)
    if len(t) < k:
        return {t} if t else set()
    return {t[i:i + k] for i in range(len(t) - k + 1)}


def minhash_signature(shingle_set: set[str], num_perm: int = 128, seed: int = 0) -> np.ndarray:
    """MinHash: sig[i] = min over shingles s of (a_i * shingle_hash(s) + b_i) mod MERSENNE_PRIME,
    with (a, b) = hash_params(num_perm, seed). An empty set gives MERSENNE_PRIME everywhere.

    P(sig_A[i] == sig_B[i]) ≈ jaccard(A, B), so the fraction of equal entries estimates it.

    Shapes:
        returns: (num_perm,) uint64
    """
    a, b = hash_params(num_perm, seed)
    if not shingle_set:
        return np.full(num_perm, MERSENNE_PRIME, dtype=np.uint64)
    hashes = np.array(sorted(shingle_hash(s) for s in shingle_set), dtype=np.uint64)
    values = (a[:, None] * hashes[None, :] + b[:, None]) % np.uint64(MERSENNE_PRIME)
    return values.min(axis=1)


def lsh_candidate_pairs(signatures: np.ndarray, bands: int) -> set[tuple[int, int]]:
    """Locality-sensitive hashing by banding: cut each signature into `bands` bands of
    r = num_perm // bands consecutive entries; (i, j) with i < j is a candidate pair when some band
    of row i equals the same band of row j entirely.

    Shapes:
        signatures: (n, num_perm)

    Raises:
        ValueError: if bands does not divide num_perm.
    """
    n, num_perm = signatures.shape
    if bands < 1 or num_perm % bands:
        raise ValueError(f"bands={bands} must divide num_perm={num_perm}")
    r = num_perm // bands
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets: dict[bytes, list[int]] = {}
        for i in range(n):
            buckets.setdefault(signatures[i, band * r:(band + 1) * r].tobytes(), []).append(i)
        for members in buckets.values():
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    pairs.add((members[x], members[y]))
    return pairs


def near_dedupe(texts: Sequence[str], threshold: float = 0.5, k: int = 5, num_perm: int = 128, bands: int = 32,
                seed: int = 0) -> list[int]:
    """Near-duplicate removal: shingle, MinHash, LSH candidate pairs, then keep only the candidates
    whose exact jaccard of shingle sets is >= threshold. Texts joined by such pairs (transitively:
    connected components) form a cluster; keep the smallest index of every cluster.

    Returns:
        the kept indices, increasing
    """
    sets = [shingles(t, k) for t in texts]
    if not sets:
        return []
    sigs = np.stack([minhash_signature(s, num_perm, seed) for s in sets])
    parent = list(range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in lsh_candidate_pairs(sigs, bands):
        if jaccard(sets[i], sets[j]) >= threshold:
            ri, rj = find(i), find(j)
            parent[max(ri, rj)] = min(ri, rj)
    return [i for i in range(len(texts)) if find(i) == i]


# --------------------------------------------------------------------------------------------
# Splits
# --------------------------------------------------------------------------------------------


def stratified_split(labels: Sequence[int], fractions: Sequence[float] = (0.8, 0.1, 0.1),
                     seed: int = 0) -> list[list[int]]:
    """Split indices 0..len(labels)-1 into len(fractions) disjoint parts covering them all, so that
    every class is spread like the fractions: for class c with n_c items, split s gets floor or
    ceil of n_c * fractions[s] of them (largest remainders get the ceil). Which items go where is
    random (np.random.default_rng(seed)) and deterministic given seed.

    Returns:
        one increasing list of indices per fraction

    Raises:
        ValueError: if a fraction is negative or they do not sum to 1 (within 1e-9).
    """
    fr = np.asarray(fractions, dtype=np.float64)
    if np.any(fr < 0) or abs(fr.sum() - 1.0) > 1e-9:
        raise ValueError(f"fractions must be non-negative and sum to 1, got {list(fractions)}")
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    parts: list[list[int]] = [[] for _ in fr]
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        rng.shuffle(idx)
        exact = len(idx) * fr
        counts = np.floor(exact).astype(int)
        leftover = len(idx) - counts.sum()
        order = np.argsort(-(exact - counts), kind="stable")
        counts[order[:leftover]] += 1
        start = 0
        for s, cnt in enumerate(counts):
            parts[s].extend(int(i) for i in idx[start:start + cnt])
            start += cnt
    return [sorted(p) for p in parts]


def make_eval_splits(texts: Sequence[str], labels: Sequence[int], fractions: Sequence[float] = (0.8, 0.1, 0.1),
                     seed: int = 0, threshold: float = 0.5, num_perm: int = 128, bands: int = 32) -> list[list[int]]:
    """Dedupe, then split: near_dedupe(texts, threshold, num_perm=num_perm, bands=bands, seed=seed)
    (k = 5), then stratified_split of the kept texts' labels with `fractions` and `seed`, mapped back
    to indices of `texts`. No text in one split is a near duplicate of a text in another.

    Returns:
        one increasing list of original indices per fraction
    """
    kept = near_dedupe(texts, threshold=threshold, num_perm=num_perm, bands=bands, seed=seed)
    parts = stratified_split([labels[i] for i in kept], fractions, seed)
    return [[kept[j] for j in part] for part in parts]

"""nlp-16-1: generate toy data, add noise, dedupe, create eval splits. Edit this file; `grader check nlp-16-1` tests it."""
from __future__ import annotations

import hashlib
import re  # noqa: F401  (re.sub, for normalize)
import unicodedata  # noqa: F401  (unicodedata.normalize, for normalize)
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
    raise NotImplementedError("generate_toy_data: draw label, template, subject, intensifier and word from default_rng(seed)")


def add_noise(texts: Sequence[str], rate: float, seed: int) -> list[str]:
    """Typos: each word (the text split on " ") independently, with probability `rate`, gets two
    adjacent characters swapped at a uniformly chosen position. Words shorter than 2 characters are
    left alone. Words are joined back with " ". Deterministic given seed.

    Returns:
        a list of len(texts) strings

    Raises:
        ValueError: unless 0 <= rate <= 1.
    """
    raise NotImplementedError("add_noise: per word, with probability rate, swap two adjacent characters")


# --------------------------------------------------------------------------------------------
# Dedupe
# --------------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Canonical form for duplicate detection: Unicode NFKC, casefold, every character that is
    neither alphanumeric (str.isalnum) nor whitespace replaced by a space, runs of whitespace
    collapsed to one space, stripped.
    """
    raise NotImplementedError("normalize: NFKC, casefold, punctuation to spaces, collapse whitespace")


def exact_dedupe(texts: Sequence[str]) -> list[int]:
    """Indices of the first occurrence of every distinct normalize(text), in increasing order."""
    raise NotImplementedError("exact_dedupe: first occurrence of each normalized text")


def shingles(text: str, k: int = 5) -> set[str]:
    """The set of character k-grams of normalize(text); a normalized text shorter than k is its own
    single shingle, and the empty text has none.
    """
    raise NotImplementedError("shingles: character k-grams of the normalized text")


def minhash_signature(shingle_set: set[str], num_perm: int = 128, seed: int = 0) -> np.ndarray:
    """MinHash: sig[i] = min over shingles s of (a_i * shingle_hash(s) + b_i) mod MERSENNE_PRIME,
    with (a, b) = hash_params(num_perm, seed). An empty set gives MERSENNE_PRIME everywhere.

    P(sig_A[i] == sig_B[i]) ≈ jaccard(A, B), so the fraction of equal entries estimates it.

    Shapes:
        returns: (num_perm,) uint64
    """
    raise NotImplementedError("minhash_signature: min over shingles of (a * h + b) mod p, per hash function")


def lsh_candidate_pairs(signatures: np.ndarray, bands: int) -> set[tuple[int, int]]:
    """Locality-sensitive hashing by banding: cut each signature into `bands` bands of
    r = num_perm // bands consecutive entries; (i, j) with i < j is a candidate pair when some band
    of row i equals the same band of row j entirely.

    Shapes:
        signatures: (n, num_perm)

    Raises:
        ValueError: if bands does not divide num_perm.
    """
    raise NotImplementedError("lsh_candidate_pairs: pairs that agree on a whole band")


def near_dedupe(texts: Sequence[str], threshold: float = 0.5, k: int = 5, num_perm: int = 128, bands: int = 32,
                seed: int = 0) -> list[int]:
    """Near-duplicate removal: shingle, MinHash, LSH candidate pairs, then keep only the candidates
    whose exact jaccard of shingle sets is >= threshold. Texts joined by such pairs (transitively:
    connected components) form a cluster; keep the smallest index of every cluster.

    Returns:
        the kept indices, increasing
    """
    raise NotImplementedError("near_dedupe: LSH candidates, exact Jaccard check, connected components")


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
    raise NotImplementedError("stratified_split: per class: shuffle, floor/ceil counts by largest remainder")


def make_eval_splits(texts: Sequence[str], labels: Sequence[int], fractions: Sequence[float] = (0.8, 0.1, 0.1),
                     seed: int = 0, threshold: float = 0.5, num_perm: int = 128, bands: int = 32) -> list[list[int]]:
    """Dedupe, then split: near_dedupe(texts, threshold, num_perm=num_perm, bands=bands, seed=seed)
    (k = 5), then stratified_split of the kept texts' labels with `fractions` and `seed`, mapped back
    to indices of `texts`. No text in one split is a near duplicate of a text in another.

    Returns:
        one increasing list of original indices per fraction
    """
    raise NotImplementedError("make_eval_splits: near_dedupe, then stratified_split, mapped back")

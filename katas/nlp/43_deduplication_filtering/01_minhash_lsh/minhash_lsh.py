"""nlp-43-1: MinHash LSH for near-duplicate detection. Edit this file; `grader check nlp-43-1` tests it."""
from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable

import numpy as np

P = np.uint64((1 << 61) - 1)       # the Mersenne prime 2^61 - 1
MAX_HASH = np.uint64((1 << 32) - 1)  # hash values are kept to 32 bits


def shingles(text: str, k: int = 5) -> set[str]:
    """Given: the set of character k-grams of `text`, lower-cased with runs of whitespace collapsed."""
    text = " ".join(text.lower().split())
    return {text[i:i + k] for i in range(max(len(text) - k + 1, 1))} if text else set()


def sha1_hash32(token: str) -> int:
    """Given: a 32-bit hash of a token (the first 4 bytes of its SHA-1, little-endian), as datasketch."""
    return struct.unpack("<I", hashlib.sha1(token.encode("utf-8")).digest()[:4])[0]


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Given: the (a, b) parameters of num_perm random hash functions h(x) = ((a*x + b) mod P) & MAX_HASH.

    Drawn exactly as datasketch's legacy scheme: np.random.RandomState(seed), then for each function
    a ~ randint(1, P) and b ~ randint(0, P), both uint64.
    """
    gen = np.random.RandomState(seed)
    ab = np.array([(gen.randint(1, P, dtype=np.uint64), gen.randint(0, P, dtype=np.uint64))
                   for _ in range(num_perm)], dtype=np.uint64)
    return ab[:, 0].copy(), ab[:, 1].copy()


def minhash_signature(tokens: Iterable[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The MinHash signature of a set of tokens.

    Entry i is the minimum over tokens t of ((a[i] * sha1_hash32(t) + b[i]) % P) & MAX_HASH, computed
    in numpy uint64 arithmetic (the product wraps modulo 2^64, exactly as datasketch's legacy scheme).
    An empty token set gives MAX_HASH everywhere. `a` and `b` are not modified.

    Shapes:
        a, b: (num_perm,) uint64; returns: (num_perm,) uint64
    """
    raise NotImplementedError("minhash_signature: hash every token with every permutation, keep the minimum")


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """The fraction of positions where two signatures agree: an unbiased estimate of Jaccard(A, B).

    Shapes:
        sig_a, sig_b: (num_perm,) uint64

    Raises:
        ValueError: if the signatures have different lengths.
    """
    raise NotImplementedError("estimate_jaccard")


def lsh_candidate_pairs(signatures: np.ndarray, bands: int, rows: int) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, whose signatures agree on every row of at least one band.

    Band k is the column range [k*rows, (k+1)*rows); columns past bands*rows are not used. Use one
    hash table per band (bucket key: the band's values).

    Shapes:
        signatures: (n_docs, num_perm) uint64

    Raises:
        ValueError: if bands < 1, rows < 1 or bands * rows > num_perm.
    """
    raise NotImplementedError("lsh_candidate_pairs: bucket each band, pair up documents sharing a bucket")


def candidate_probability(s: float, bands: int, rows: int) -> float:
    """The S-curve: probability that two documents with Jaccard similarity s become a candidate pair.

    1 - (1 - s**rows)**bands.
    """
    raise NotImplementedError("candidate_probability")


def near_duplicates(texts: list[str], *, k: int, num_perm: int, bands: int, rows: int, threshold: float,
                    seed: int = 1) -> set[tuple[int, int]]:
    """Near-duplicate pairs of a corpus: LSH candidates whose estimated Jaccard is >= threshold.

    Shingle each text with shingles(text, k), sign it with the permutations(num_perm, seed), take the
    lsh_candidate_pairs(bands, rows) and keep the pairs with estimate_jaccard >= threshold.
    """
    raise NotImplementedError("near_duplicates: shingles -> signatures -> candidates -> verified pairs")

"""Reference solution for nlp-43-1."""
from __future__ import annotations

import hashlib
import struct
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

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
    sig = np.full(len(a), MAX_HASH, dtype=np.uint64)
    for t in tokens:
        hv = np.uint64(sha1_hash32(t))
        sig = np.minimum(sig, ((a * hv + b) % P) & MAX_HASH)
    return sig


def estimate_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    if len(sig_a) != len(sig_b):
        raise ValueError(f"signatures of different lengths: {len(sig_a)} and {len(sig_b)}")
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


def lsh_candidate_pairs(signatures: np.ndarray, bands: int, rows: int) -> set[tuple[int, int]]:
    if bands < 1 or rows < 1 or bands * rows > signatures.shape[1]:
        raise ValueError(f"need bands, rows >= 1 and bands * rows <= {signatures.shape[1]}, got {bands=}, {rows=}")
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for i, sig in enumerate(signatures):
            buckets[sig[band * rows:(band + 1) * rows].tobytes()].append(i)
        for members in buckets.values():
            pairs.update(combinations(members, 2))
    return pairs


def candidate_probability(s: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - s ** rows) ** bands


def near_duplicates(texts: list[str], *, k: int, num_perm: int, bands: int, rows: int, threshold: float,
                    seed: int = 1) -> set[tuple[int, int]]:
    a, b = permutations(num_perm, seed)
    sigs = np.array([minhash_signature(shingles(t, k), a, b) for t in texts], dtype=np.uint64).reshape(len(texts), num_perm)
    return {(i, j) for i, j in lsh_candidate_pairs(sigs, bands, rows)
            if estimate_jaccard(sigs[i], sigs[j]) >= threshold}

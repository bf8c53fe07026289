"""Plausible wrong MinHash / LSH implementations that the tests must reject."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from minhash_lsh import (
        MAX_HASH,
        P,
        estimate_jaccard,
        lsh_candidate_pairs,
        minhash_signature,
        permutations,
        sha1_hash32,
        shingles,
    )


@pitfall(replaces="minhash_signature", why="starts the running minimum at 0 instead of MAX_HASH: every signature is all zeros")
def zero_init(tokens: Iterable[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    sig = np.zeros(len(a), dtype=np.uint64)
    for t in tokens:
        sig = np.minimum(sig, ((a * np.uint64(sha1_hash32(t)) + b) % P) & MAX_HASH)
    return sig


@pitfall(replaces="minhash_signature", why="forgets the & MAX_HASH mask: 61-bit values, not datasketch's 32-bit ones")
def no_mask(tokens: Iterable[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    sig = np.full(len(a), MAX_HASH, dtype=np.uint64)
    for t in tokens:
        sig = np.minimum(sig, (a * np.uint64(sha1_hash32(t)) + b) % P)
    return sig


@pitfall(replaces="minhash_signature", why="exact Python-integer arithmetic: (a*x + b) mod P without the uint64 wrap datasketch has")
def python_ints(tokens: Iterable[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    sig = [int(MAX_HASH)] * len(a)
    for t in tokens:
        hv = sha1_hash32(t)
        sig = [min(s, ((int(ai) * hv + int(bi)) % int(P)) & int(MAX_HASH)) for s, ai, bi in zip(sig, a, b, strict=True)]
    return np.array(sig, dtype=np.uint64)


@pitfall(replaces="estimate_jaccard", why="Jaccard of the sets of signature values instead of the fraction of agreeing positions")
def set_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    if len(sig_a) != len(sig_b):
        raise ValueError("lengths")
    sa, sb = set(sig_a.tolist()), set(sig_b.tolist())
    return len(sa & sb) / max(len(sa | sb), 1)


@pitfall(replaces="lsh_candidate_pairs", why="strided bands (band k = columns k, k+bands, ...): not datasketch's contiguous ranges")
def strided_bands(signatures: np.ndarray, bands: int, rows: int) -> set[tuple[int, int]]:
    if bands < 1 or rows < 1 or bands * rows > signatures.shape[1]:
        raise ValueError("bands/rows")
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for i, sig in enumerate(signatures):
            buckets[sig[band:bands * rows:bands].tobytes()].append(i)
        for members in buckets.values():
            pairs.update(combinations(members, 2))
    return pairs


@pitfall(replaces="lsh_candidate_pairs", why="requires every band to agree (AND) instead of any band (OR)")
def all_bands(signatures: np.ndarray, bands: int, rows: int) -> set[tuple[int, int]]:
    if bands < 1 or rows < 1 or bands * rows > signatures.shape[1]:
        raise ValueError("bands/rows")
    n = len(signatures)
    return {(i, j) for i in range(n) for j in range(i + 1, n)
            if np.array_equal(signatures[i, :bands * rows], signatures[j, :bands * rows])}


@pitfall(replaces="candidate_probability", why="bands and rows swapped: 1 - (1 - s^bands)^rows")
def swapped_curve(s: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - s ** bands) ** rows


@pitfall(replaces="near_duplicates", why="keeps pairs strictly above the threshold: a pair exactly at it is dropped")
def strict_threshold(texts: list[str], *, k: int, num_perm: int, bands: int, rows: int, threshold: float,
                     seed: int = 1) -> set[tuple[int, int]]:
    a, b = permutations(num_perm, seed)
    sigs = np.stack([minhash_signature(shingles(t, k), a, b) for t in texts])
    return {(i, j) for i, j in lsh_candidate_pairs(sigs, bands, rows)
            if estimate_jaccard(sigs[i], sigs[j]) > threshold}

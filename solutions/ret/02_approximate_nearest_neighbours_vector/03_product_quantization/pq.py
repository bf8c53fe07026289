"""Reference solution for ret-02-3."""
from __future__ import annotations

import numpy as np


def _blocks(x: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    M, _, dsub = codebooks.shape
    if x.shape[-1] != M * dsub:
        raise ValueError(f"vectors have d={x.shape[-1]}, the codebooks expect M * dsub = {M * dsub}")
    return x.reshape(*x.shape[:-1], M, dsub)


def pq_encode(x: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    blocks = _blocks(x, codebooks)                                            # (n, M, dsub)
    d2 = ((blocks[:, :, None, :] - codebooks[None]) ** 2).sum(axis=-1)        # (n, M, ksub)
    return np.argmin(d2, axis=-1)


def pq_decode(codes: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    M, _, dsub = codebooks.shape
    parts = codebooks[np.arange(M), codes]                                    # (n, M, dsub)
    return parts.reshape(len(codes), M * dsub)


def adc_table(q: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    blocks = _blocks(q, codebooks).astype(np.float64)                        # (M, dsub)
    return ((blocks[:, None, :] - codebooks) ** 2).sum(axis=-1)


def adc_search(queries: np.ndarray, codes: np.ndarray, codebooks: np.ndarray,
               k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    M = codebooks.shape[0]
    n = len(codes)
    dists = np.full((len(queries), k), np.inf)
    ids = np.full((len(queries), k), -1)
    for i, q in enumerate(queries):
        table = adc_table(q, codebooks)
        d = table[np.arange(M), codes].sum(axis=1)                             # (n,)
        best = np.argsort(d, kind="stable")[:k]
        dists[i, : min(k, n)] = d[best]
        ids[i, : min(k, n)] = best
    return dists, ids


def code_size_bytes(M: int, ksub: int) -> int:
    nbits = ksub.bit_length() - 1
    if M < 1 or ksub < 2 or ksub != 2**nbits:
        raise ValueError(f"need M >= 1 and ksub a power of two >= 2, got {M=}, {ksub=}")
    return (M * nbits + 7) // 8

"""Plausible wrong product-quantization code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pq import _blocks, pq_decode, pq_encode


@pitfall(replaces="pq_encode", why="interleaved blocks x[:, m::M] instead of contiguous ones")
def interleaved_blocks(x: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    M, _, dsub = codebooks.shape
    if x.shape[1] != M * dsub:
        raise ValueError("bad d")
    blocks = np.stack([x[:, m::M] for m in range(M)], axis=1).astype(np.float64)
    return np.argmin(((blocks[:, :, None, :] - codebooks[None]) ** 2).sum(-1), axis=-1)


@pitfall(replaces="pq_encode", why="nearest centroid by largest inner product, not smallest distance")
def by_inner_product(x: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    blocks = _blocks(x, codebooks).astype(np.float64)
    return np.argmax(np.einsum("nmd,mkd->nmk", blocks, codebooks), axis=-1)


@pitfall(replaces="pq_decode", why="indexes codebooks[codes] without the sub-quantizer axis: every block from codebook 0..")
def wrong_gather(codes: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    return codebooks[0][codes].reshape(len(codes), -1)


@pitfall(replaces="adc_table", why="Euclidean (square-rooted) distances in the table: the sum is no longer a squared distance")
def sqrt_table(q: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    blocks = _blocks(q, codebooks).astype(np.float64)
    return np.sqrt(((blocks[:, None, :] - codebooks) ** 2).sum(axis=-1))


@pitfall(replaces="adc_search", why="symmetric distance: quantizes the query too (SDC), not asymmetric")
def symmetric(queries: np.ndarray, codes: np.ndarray, codebooks: np.ndarray,
              k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 1:
        raise ValueError("bad k")
    rec = pq_decode(codes, codebooks).astype(np.float64)
    qrec = pq_decode(pq_encode(queries, codebooks), codebooks).astype(np.float64)
    d = ((qrec[:, None, :] - rec[None]) ** 2).sum(-1)
    n = len(codes)
    dists, ids = np.full((len(queries), k), np.inf), np.full((len(queries), k), -1)
    order = np.argsort(d, axis=1, kind="stable")[:, :k]
    dists[:, : min(k, n)] = np.take_along_axis(d, order, axis=1)
    ids[:, : min(k, n)] = order
    return dists, ids


@pitfall(replaces="adc_search", why="np.argsort default (unstable) on reversed ties: equal distances in decreasing id")
def ties_reversed(queries: np.ndarray, codes: np.ndarray, codebooks: np.ndarray,
                  k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 1:
        raise ValueError("bad k")
    M, n = codebooks.shape[0], len(codes)
    rec = np.stack([(lambda t: t[np.arange(M), codes].sum(axis=1))(
        ((_blocks(q, codebooks).astype(np.float64)[:, None, :] - codebooks) ** 2).sum(-1)) for q in queries])
    dists, ids = np.full((len(queries), k), np.inf), np.full((len(queries), k), -1)
    order = (n - 1 - np.argsort(rec[:, ::-1], axis=1, kind="stable"))[:, :k]
    dists[:, : min(k, n)] = np.take_along_axis(rec, order, axis=1)
    ids[:, : min(k, n)] = order
    return dists, ids


@pitfall(replaces="code_size_bytes", why="rounds the bit count down to whole bytes")
def floor_bytes(M: int, ksub: int) -> int:
    if M < 1 or ksub < 2 or ksub & (ksub - 1):
        raise ValueError("bad")
    return M * (ksub.bit_length() - 1) // 8


@pitfall(replaces="code_size_bytes", why="one byte per sub-quantizer, whatever ksub is (no packing)")
def byte_per_index(M: int, ksub: int) -> int:
    if M < 1 or ksub < 2 or ksub & (ksub - 1):
        raise ValueError("bad")
    return M

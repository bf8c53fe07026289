"""ret-02-3: product quantization with asymmetric distance computation (ADC).
Edit this file; `grader check ret-02-3` tests it.

codebooks has shape (M, ksub, dsub): M sub-quantizers, each with ksub centroids of dsub dimensions;
a d-dimensional vector (d = M * dsub) is cut into M contiguous blocks, block m = x[m*dsub:(m+1)*dsub].
Distances are squared Euclidean.
"""
from __future__ import annotations

import numpy as np


def pq_encode(x: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    """codes[i, m] = the index of the centroid of sub-quantizer m nearest to block m of x[i].

    Shapes:
        x: (n, d); codebooks: (M, ksub, dsub); returns: (n, M) int64

    Raises:
        ValueError: if d != M * dsub.
    """
    raise NotImplementedError("pq_encode: nearest centroid per block")


def pq_decode(codes: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    """The reconstruction: block m of row i is codebooks[m, codes[i, m]].

    Shapes:
        codes: (n, M) ints; codebooks: (M, ksub, dsub); returns: (n, M * dsub), codebooks' dtype
    """
    raise NotImplementedError("pq_decode: look the centroids up and concatenate the blocks")


def adc_table(q: np.ndarray, codebooks: np.ndarray) -> np.ndarray:
    """table[m, j] = squared distance from block m of the (unquantized) query q to centroid j of
    sub-quantizer m, in float64.

    Shapes:
        q: (d,); codebooks: (M, ksub, dsub); returns: (M, ksub) float64

    Raises:
        ValueError: if d != M * dsub.
    """
    raise NotImplementedError("adc_table: one small distance table per block")


def adc_search(queries: np.ndarray, codes: np.ndarray, codebooks: np.ndarray,
               k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k database codes nearest to each query by ADC: dist(q, i) = sum_m table[m, codes[i, m]].

    Smallest first, equal distances in increasing id; when k exceeds the number of codes n the
    missing places get distance +inf and id -1.

    Shapes:
        queries: (m, d); codes: (n, M); returns: (distances (m, k) float64, ids (m, k) int64)

    Raises:
        ValueError: if k < 1 or d != M * dsub.
    """
    raise NotImplementedError("adc_search: tables, gather-and-sum, top-k")


def code_size_bytes(M: int, ksub: int) -> int:
    """Bytes to store one code: M indices of log2(ksub) bits each, packed, rounded up to whole bytes.

    Raises:
        ValueError: if ksub is not a power of two >= 2, or M < 1.
    """
    raise NotImplementedError("code_size_bytes: bits per code, rounded up to bytes")

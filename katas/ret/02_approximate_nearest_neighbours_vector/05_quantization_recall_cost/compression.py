"""ret-02-5: normalization, whitening, int8 and binary quantization: the recall cost.
Edit this file; `grader check ret-02-5` tests it. `exact_knn` and `recall` are given.
"""
from __future__ import annotations

import numpy as np


def exact_knn(queries: np.ndarray, database: np.ndarray, k: int) -> np.ndarray:
    """Ids of the k nearest database rows of every query by squared L2 (float64, ties by id)."""
    d = ((queries.astype(np.float64)[:, None, :] - database.astype(np.float64)[None]) ** 2).sum(-1)
    return np.argsort(d, axis=1, kind="stable")[:, :k]


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean over queries of |found ∩ truth| / k."""
    return float(np.mean([len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)])
                 / truth.shape[1])


def fit_whitening(x: np.ndarray, eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    """A whitening transform fitted on x: z = (v - mean) @ W has identity sample covariance on x.

    mean = the column means; W = U / sqrt(lambda + eps) from the eigendecomposition U diag(lambda) U^T
    of the sample covariance of x (ddof = 1). x is left unchanged.

    Shapes:
        x: (n, d), n >= 2; returns: (mean (d,) float64, W (d, d) float64)
    """
    raise NotImplementedError("fit_whitening: covariance, eigendecomposition, rescale")


def sq8_train(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-dimension range of x for 8-bit scalar quantization: (vmin, vdiff = vmax - vmin).

    Shapes:
        x: (n, d); returns: two (d,) arrays in x's dtype
    """
    raise NotImplementedError("sq8_train: per-dimension min and range")


def sq8_encode(x: np.ndarray, vmin: np.ndarray, vdiff: np.ndarray) -> np.ndarray:
    """FAISS's QT_8bit codes: floor(clip((x - vmin) / vdiff, 0, 1) * 255) as uint8.

    A dimension with vdiff = 0 encodes as 0.

    Shapes:
        x: (n, d); returns: (n, d) uint8
    """
    raise NotImplementedError("sq8_encode: rescale to [0, 1], clip, 255 levels")


def sq8_decode(codes: np.ndarray, vmin: np.ndarray, vdiff: np.ndarray) -> np.ndarray:
    """The centre of each code's cell: vmin + (code + 0.5) / 255 * vdiff, as float32.

    Shapes:
        codes: (n, d) uint8; returns: (n, d) float32
    """
    raise NotImplementedError("sq8_decode: the centre of each quantization cell")


def binarize(x: np.ndarray) -> np.ndarray:
    """One bit per dimension, 1 where x > 0, packed 8 per byte as np.packbits does (first dimension
    in the highest bit, the last byte zero-padded).

    Shapes:
        x: (n, d); returns: (n, ceil(d / 8)) uint8
    """
    raise NotImplementedError("binarize: sign bits, packed")


def hamming_search(q_codes: np.ndarray, db_codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k database codes nearest to each query code in Hamming distance (differing bits),
    smallest first, ties by increasing id; missing places (k > n) get distance -1 and id -1.

    Shapes:
        q_codes: (m, B) uint8; db_codes: (n, B) uint8; returns: (distances (m, k) int, ids (m, k) int)

    Raises:
        ValueError: if k < 1.
    """
    raise NotImplementedError("hamming_search: XOR, popcount, stable top-k")


def recall_costs(database: np.ndarray, queries: np.ndarray, k: int) -> dict[str, float]:
    """recall@k of four compressed or transformed searches against exact_knn(queries, database, k):

        "normalized": exact L2 search after scaling every query and database row to unit length
                      (zero rows stay zero), i.e. cosine search;
        "whitened":   exact L2 search after (v - mean) @ W with fit_whitening(database);
        "sq8":        exact L2 from the float queries to the decoded sq8 database (ranges from sq8_train(database));
        "binary":     hamming_search of binarize(queries) against binarize(database).

    Use the given exact_knn (ties by id) for the searches and the given recall.

    Shapes:
        database: (n, d); queries: (m, d); returns: a dict of four floats in [0, 1]
    """
    raise NotImplementedError("recall_costs: transform, search, compare with the exact neighbours")

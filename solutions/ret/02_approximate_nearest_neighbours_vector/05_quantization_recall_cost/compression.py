"""Reference solution for ret-02-5."""
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
    x = x.astype(np.float64)
    mean = x.mean(axis=0)
    cov = np.cov(x, rowvar=False, ddof=1).reshape(x.shape[1], x.shape[1])
    vals, vecs = np.linalg.eigh(cov)
    return mean, vecs / np.sqrt(vals + eps)


def sq8_train(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    vmin = x.min(axis=0)
    return vmin, x.max(axis=0) - vmin


def sq8_encode(x: np.ndarray, vmin: np.ndarray, vdiff: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(vdiff > 0, np.clip((x - vmin) / vdiff, 0, 1), 0)
    return np.floor(t * 255).astype(np.uint8)


def sq8_decode(codes: np.ndarray, vmin: np.ndarray, vdiff: np.ndarray) -> np.ndarray:
    return (vmin + (codes + 0.5) / 255 * vdiff).astype(np.float32)


def binarize(x: np.ndarray) -> np.ndarray:
    return np.packbits(x > 0, axis=1)


def hamming_search(q_codes: np.ndarray, db_codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    bits = np.unpackbits(q_codes[:, None, :] ^ db_codes[None, :, :], axis=-1)
    d = bits.sum(axis=-1)
    n = db_codes.shape[0]
    order = np.argsort(d, axis=1, kind="stable")[:, :k]
    dists = np.full((len(q_codes), k), -1)
    ids = np.full((len(q_codes), k), -1)
    dists[:, : min(k, n)] = np.take_along_axis(d, order, axis=1)
    ids[:, : min(k, n)] = order
    return dists, ids


def recall_costs(database: np.ndarray, queries: np.ndarray, k: int) -> dict[str, float]:
    truth = exact_knn(queries, database, k)

    def unit(v: np.ndarray) -> np.ndarray:
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-30)   # zero rows stay zero

    mean, w = fit_whitening(database)
    vmin, vdiff = sq8_train(database)
    return {
        "normalized": recall(exact_knn(unit(queries), unit(database), k), truth),
        "whitened": recall(exact_knn((queries - mean) @ w, (database - mean) @ w, k), truth),
        "sq8": recall(exact_knn(queries, sq8_decode(sq8_encode(database, vmin, vdiff), vmin, vdiff), k), truth),
        "binary": recall(hamming_search(binarize(queries), binarize(database), k)[1], truth),
    }

"""Plausible wrong compression code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from compression import (
        binarize,
        exact_knn,
        fit_whitening,
        hamming_search,
        recall,
        sq8_decode,
        sq8_encode,
        sq8_train,
    )


@pitfall(replaces="fit_whitening", why="biased covariance (ddof = 0): whitened covariance is n / (n - 1), not 1")
def biased_covariance(x: np.ndarray, eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    x = x.astype(np.float64)
    mean = x.mean(axis=0)
    vals, vecs = np.linalg.eigh(np.cov(x - mean, rowvar=False, ddof=0).reshape(x.shape[1], x.shape[1]))
    return mean, vecs / np.sqrt(vals + eps)


@pitfall(replaces="fit_whitening", why="multiplies by sqrt(lambda) instead of dividing (colouring, not whitening)")
def colouring(x: np.ndarray, eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    x = x.astype(np.float64)
    mean = x.mean(axis=0)
    vals, vecs = np.linalg.eigh(np.cov(x - mean, rowvar=False, ddof=1).reshape(x.shape[1], x.shape[1]))
    return mean, vecs * np.sqrt(vals + eps)


@pitfall(replaces="fit_whitening", why="returns a zero mean: the data are rotated and scaled but not centred")
def not_centred(x: np.ndarray, eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    x = x.astype(np.float64)
    vals, vecs = np.linalg.eigh(np.cov(x, rowvar=False, ddof=1).reshape(x.shape[1], x.shape[1]))
    return np.zeros(x.shape[1]), vecs / np.sqrt(vals + eps)


@pitfall(replaces="sq8_encode", why="rounds to the nearest of 256 levels instead of FAISS's floor")
def rounded_codes(x: np.ndarray, vmin: np.ndarray, vdiff: np.ndarray) -> np.ndarray:
    safe = np.where(vdiff > 0, vdiff, 1)
    t = np.where(vdiff > 0, np.clip((x - vmin) / safe, 0, 1), 0)
    return np.round(t * 255).astype(np.uint8)


@pitfall(replaces="sq8_encode", why="no clipping: out-of-range values wrap around in uint8")
def no_clip(x: np.ndarray, vmin: np.ndarray, vdiff: np.ndarray) -> np.ndarray:
    safe = np.where(vdiff > 0, vdiff, 1)
    t = np.where(vdiff > 0, (x - vmin) / safe, 0)
    return np.floor(t * 255).astype(np.int64).astype(np.uint8)


@pitfall(replaces="sq8_decode", why="decodes to the lower edge of each cell, not its centre (no + 0.5)")
def cell_edge(codes: np.ndarray, vmin: np.ndarray, vdiff: np.ndarray) -> np.ndarray:
    return (vmin + codes.astype(np.float64) / 255 * vdiff).astype(np.float32)


@pitfall(replaces="binarize", why="x >= 0 sets the bit: exact zeros count as positive")
def zero_is_positive(x: np.ndarray) -> np.ndarray:
    return np.packbits(x >= 0, axis=1)


@pitfall(replaces="binarize", why="packs the first dimension into the lowest bit (bitorder little)")
def little_endian_bits(x: np.ndarray) -> np.ndarray:
    return np.packbits(x > 0, axis=1, bitorder="little")


@pitfall(replaces="hamming_search", why="counts differing bytes, not differing bits")
def byte_distance(q_codes: np.ndarray, db_codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 1:
        raise ValueError("bad k")
    d = (q_codes[:, None, :] != db_codes[None, :, :]).sum(axis=-1)
    n = db_codes.shape[0]
    order = np.argsort(d, axis=1, kind="stable")[:, :k]
    dists, ids = np.full((len(q_codes), k), -1), np.full((len(q_codes), k), -1)
    dists[:, : min(k, n)] = np.take_along_axis(d, order, axis=1)
    ids[:, : min(k, n)] = order
    return dists, ids


@pitfall(replaces="recall_costs", why="whitens the database but forgets to subtract the mean from the queries")
def queries_not_centred(database: np.ndarray, queries: np.ndarray, k: int) -> dict[str, float]:
    truth = exact_knn(queries, database, k)
    unit = lambda v: v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-300)   # noqa: E731
    mean, w = fit_whitening(database)
    vmin, vdiff = sq8_train(database)
    return {
        "normalized": recall(exact_knn(unit(queries), unit(database), k), truth),
        "whitened": recall(exact_knn(queries @ w, (database - mean) @ w, k), truth),
        "sq8": recall(exact_knn(queries, sq8_decode(sq8_encode(database, vmin, vdiff), vmin, vdiff), k), truth),
        "binary": recall(hamming_search(binarize(queries), binarize(database), k)[1], truth),
    }

"""Plausible wrong exact-search implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from exact_search import normalize_rows


def _scores(queries: np.ndarray, database: np.ndarray, metric: str) -> np.ndarray:
    if metric == "ip":
        return queries @ database.T
    if metric == "cosine":
        return normalize_rows(queries) @ normalize_rows(database).T
    if metric == "l2":
        return ((queries[:, None, :] - database[None, :, :]) ** 2).sum(axis=-1)
    raise ValueError("unknown metric")


def _pad(scores: np.ndarray, order: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    m = scores.shape[0]
    top = np.take_along_axis(scores, order, axis=1)
    pad = k - order.shape[1]
    fill = np.inf if metric == "l2" else -np.inf
    return (np.concatenate([top, np.full((m, pad), fill, dtype=scores.dtype)], axis=1),
            np.concatenate([order.astype(np.int64), np.full((m, pad), -1, dtype=np.int64)], axis=1))


@pitfall(replaces="normalize_rows", why="divides by the norm without guarding zero rows: NaN")
def nan_for_zero_rows(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return x / np.linalg.norm(x, axis=1, keepdims=True).astype(x.dtype)


@pitfall(replaces="normalize_rows", why="normalizes in place, overwriting the caller's vectors")
def in_place(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x /= np.where(norms == 0, 1, norms).astype(x.dtype)
    return x


@pitfall(replaces="normalize_rows", why="normalizes the columns (axis 0) instead of the rows")
def column_norm(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=0, keepdims=True)
    return x / np.where(norms == 0, 1, norms).astype(x.dtype)


@pitfall(replaces="search", why="reverses an ascending argsort: equal scores come out highest id first")
def reversed_ties(queries: np.ndarray, database: np.ndarray, k: int,
                  metric: str = "ip") -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or queries.shape[1] != database.shape[1]:
        raise ValueError("bad")
    scores = _scores(queries, database, metric)
    order = np.argsort(scores, axis=1, kind="stable")
    order = order if metric == "l2" else order[:, ::-1]
    return _pad(scores, order[:, :k], k, metric)


@pitfall(replaces="search", why="cosine normalizes the database but not the queries")
def unnormalized_queries(queries: np.ndarray, database: np.ndarray, k: int,
                         metric: str = "ip") -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or queries.shape[1] != database.shape[1]:
        raise ValueError("bad")
    scores = (queries @ normalize_rows(database).T if metric == "cosine" else _scores(queries, database, metric))
    order = np.argsort(scores if metric == "l2" else -scores, axis=1, kind="stable")[:, :k]
    return _pad(scores, order, k, metric)


@pitfall(replaces="search", why="l2 returns the Euclidean distance, FAISS returns it squared")
def sqrt_l2(queries: np.ndarray, database: np.ndarray, k: int,
            metric: str = "ip") -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or queries.shape[1] != database.shape[1]:
        raise ValueError("bad")
    scores = _scores(queries, database, metric)
    if metric == "l2":
        scores = np.sqrt(scores)
    order = np.argsort(scores if metric == "l2" else -scores, axis=1, kind="stable")[:, :k]
    return _pad(scores, order, k, metric)


@pitfall(replaces="search", why="argpartition without sorting the k survivors: the best is not first")
def unsorted_topk(queries: np.ndarray, database: np.ndarray, k: int,
                  metric: str = "ip") -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or queries.shape[1] != database.shape[1]:
        raise ValueError("bad")
    scores = _scores(queries, database, metric)
    key = scores if metric == "l2" else -scores
    kk = min(k, key.shape[1])
    order = np.argpartition(key, kk - 1, axis=1)[:, :kk] if 0 < kk < key.shape[1] else np.argsort(key, axis=1)[:, :kk]
    order = order[:, ::-1].copy() if kk > 1 else order
    return _pad(scores, order, k, metric)


@pitfall(replaces="search", why="returns only min(k, n) columns when k exceeds the database size")
def no_padding(queries: np.ndarray, database: np.ndarray, k: int,
               metric: str = "ip") -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or queries.shape[1] != database.shape[1]:
        raise ValueError("bad")
    scores = _scores(queries, database, metric)
    order = np.argsort(scores if metric == "l2" else -scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, order, axis=1), order.astype(np.int64)


@pitfall(replaces="search", why="computes scores in float64 and returns them upcast for float32 inputs")
def upcast(queries: np.ndarray, database: np.ndarray, k: int,
           metric: str = "ip") -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or queries.shape[1] != database.shape[1]:
        raise ValueError("bad")
    scores = _scores(queries.astype(np.float64), database.astype(np.float64), metric)
    order = np.argsort(scores if metric == "l2" else -scores, axis=1, kind="stable")[:, :k]
    return _pad(scores, order, k, metric)

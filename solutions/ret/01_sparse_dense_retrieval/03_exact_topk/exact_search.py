"""Reference solution for ret-01-3."""
from __future__ import annotations

import numpy as np


def normalize_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def search(queries: np.ndarray, database: np.ndarray, k: int,
           metric: str = "ip") -> tuple[np.ndarray, np.ndarray]:
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    if queries.shape[1] != database.shape[1]:
        raise ValueError(f"dimension mismatch: queries {queries.shape}, database {database.shape}")
    if metric == "ip":
        scores = queries @ database.T
    elif metric == "cosine":
        scores = normalize_rows(queries) @ normalize_rows(database).T
    elif metric == "l2":
        scores = ((queries[:, None, :] - database[None, :, :]) ** 2).sum(axis=-1)
    else:
        raise ValueError(f"unknown metric {metric!r}")
    m, n = scores.shape
    key = scores if metric == "l2" else -scores
    order = np.argsort(key, axis=1, kind="stable")[:, :k]
    top = np.take_along_axis(scores, order, axis=1)
    pad = k - order.shape[1]
    fill = np.inf if metric == "l2" else -np.inf
    out_scores = np.concatenate([top, np.full((m, pad), fill, dtype=scores.dtype)], axis=1)
    out_ids = np.concatenate([order, np.full((m, pad), -1)], axis=1)
    return out_scores, out_ids

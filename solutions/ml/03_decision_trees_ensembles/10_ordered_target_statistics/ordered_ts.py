"""Reference solution for ml-03-10."""
from __future__ import annotations

import numpy as np


def ordered_target_statistics(categories: np.ndarray, y: np.ndarray, permutation: np.ndarray, prior: float,
                              a: float = 1.0) -> np.ndarray:
    categories = np.asarray(categories)
    y = np.asarray(y, dtype=np.float64)
    sums: dict = {}
    counts: dict = {}
    out = np.empty(len(y))
    for i in np.asarray(permutation):
        c = categories[i].item() if hasattr(categories[i], "item") else categories[i]
        s, k = sums.get(c, 0.0), counts.get(c, 0)
        out[i] = (s + a * prior) / (k + a)
        sums[c] = s + y[i]
        counts[c] = k + 1
    return out


def target_statistics(train_categories: np.ndarray, train_y: np.ndarray, categories: np.ndarray, prior: float,
                      a: float = 1.0) -> np.ndarray:
    train_categories = np.asarray(train_categories)
    train_y = np.asarray(train_y, dtype=np.float64)
    sums: dict = {}
    counts: dict = {}
    for c, v in zip(train_categories.tolist(), train_y.tolist(), strict=True):
        sums[c] = sums.get(c, 0.0) + v
        counts[c] = counts.get(c, 0) + 1
    return np.array([(sums.get(c, 0.0) + a * prior) / (counts.get(c, 0) + a) for c in np.asarray(categories).tolist()],
                    dtype=np.float64)

"""ml-03-10: CatBoost-style ordered target statistics. Edit this file; `grader check ml-03-10` tests it."""
from __future__ import annotations

import numpy as np


def ordered_target_statistics(categories: np.ndarray, y: np.ndarray, permutation: np.ndarray, prior: float,
                              a: float = 1.0) -> np.ndarray:
    """Encode a categorical feature on the training set without target leakage.

    Rows are visited in the order permutation[0], permutation[1], ...; the encoding of row i is

        (sum of y_j over the rows j visited before i with categories[j] == categories[i] + a * prior)
        / (number of those rows + a)

    so it never depends on y_i itself or on any row visited after i. Do not modify the inputs.

    Shapes:
        categories: (n,) hashable labels (ints or strings); y: (n,) float
        permutation: (n,) int, a permutation of 0..n-1 (permutation[t] = the row visited at step t)
        returns: (n,) float64 in row order (entry i belongs to row i, not to step i)
    """
    raise NotImplementedError("ordered_target_statistics: running per-category sums in permutation order")


def target_statistics(train_categories: np.ndarray, train_y: np.ndarray, categories: np.ndarray, prior: float,
                      a: float = 1.0) -> np.ndarray:
    """Test-time encoding: (sum of train_y over all training rows of the category + a * prior)
    / (their count + a); the prior for a category never seen in training.

    Shapes:
        train_categories, train_y: (n,); categories: (m,)
        returns: (m,) float64
    """
    raise NotImplementedError("target_statistics: per-category sums over the whole training set")

"""ml-11-1: K-fold and stratified K-fold splits. Edit this file; `grader check ml-11-1` tests it."""
from __future__ import annotations

import numpy as np


def kfold_splits(n_samples: int, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """KFold(n_splits, shuffle=False): consecutive test folds; the first n_samples % n_splits folds
    have one sample more than the others.

    Returns one (train_indices, test_indices) pair per fold, both sorted int arrays.

    Raises:
        ValueError: unless 2 <= n_splits <= n_samples.
    """
    raise NotImplementedError("kfold_splits")


def stratified_kfold_splits(y: np.ndarray, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """StratifiedKFold(n_splits, shuffle=False), index for index (the algorithm is in the README):

    1. number the classes in order of FIRST APPEARANCE in y (0 = the class of y[0], ...);
    2. sort these codes; test fold i receives the codes at positions i, i + n_splits, i + 2 n_splits,
       ... of the sorted list: that fixes how many samples of each class go to each fold;
    3. within each class, the samples (in their order in y) fill fold 0's quota, then fold 1's, ...

    Returns one (train_indices, test_indices) pair per fold, both sorted int arrays.

    Raises:
        ValueError: if every class has fewer than n_splits members (or n_splits < 2).
    """
    raise NotImplementedError("stratified_kfold_splits")

"""nlp-45-1: WEAT. Edit this file; `grader check nlp-45-1` tests it."""
from __future__ import annotations

import numpy as np


def train_embeddings(sentences: list[list[str]], dim: int = 16, window: int = 2) -> dict[str, np.ndarray]:
    """Given: count-based word embeddings (PPMI matrix, truncated SVD), trained on `sentences`.

    Co-occurrences are counted within `window` words on either side; PPMI(w, c) =
    max(log p(w, c) / (p(w) p(c)), 0); the embedding of w is row w of U[:, :dim] * sqrt(S[:dim]).
    """
    vocab = sorted({w for s in sentences for w in s})
    index = {w: i for i, w in enumerate(vocab)}
    counts = np.zeros((len(vocab), len(vocab)))
    for s in sentences:
        for i, w in enumerate(s):
            for j in range(max(0, i - window), min(len(s), i + window + 1)):
                if j != i:
                    counts[index[w], index[s[j]]] += 1
    total = counts.sum()
    pw = counts.sum(1, keepdims=True) / total
    pc = counts.sum(0, keepdims=True) / total
    with np.errstate(divide="ignore"):
        pmi = np.log(counts / total / (pw * pc))
    ppmi = np.maximum(np.nan_to_num(pmi, neginf=0.0), 0.0)
    u, s, _ = np.linalg.svd(ppmi)
    vectors = u[:, :dim] * np.sqrt(s[:dim])
    return {w: vectors[i] for w, i in index.items()}


def association(W: np.ndarray, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """s(w, A, B) = mean_{a in A} cos(w, a) - mean_{b in B} cos(w, b), for every row w of W.

    Shapes:
        W: (n_w, d); A: (n_a, d); B: (n_b, d); returns: (n_w,) float64

    Raises:
        ValueError: if A or B has no rows.
    """
    raise NotImplementedError("association: cosine similarities to A minus to B, averaged")


def weat_effect_size(X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray) -> float:
    """Caliskan et al.'s effect size d = (mean_{x in X} s(x) - mean_{y in Y} s(y)) / std_{w in X u Y} s(w).

    The standard deviation is the SAMPLE one (ddof=1) over the pooled |X| + |Y| values.

    Shapes:
        X: (n_x, d); Y: (n_y, d); A: (n_a, d); B: (n_b, d)

    Raises:
        ValueError: if X or Y has no rows.
    """
    raise NotImplementedError("weat_effect_size")


def weat_p_value(X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray,
                 n_permutations: int | None = None, seed: int = 0) -> float:
    """One-sided permutation p-value of the WEAT statistic S(X, Y) = sum_X s(x) - sum_Y s(y).

    p = fraction of equal-size partitions (X_i, Y_i) of X u Y with S(X_i, Y_i) > S(X, Y) (strictly;
    the observed partition is one of them). Since sum over X u Y is fixed, compare sum_{X_i} s with
    sum_X s. Rows of X u Y are indexed X first, then Y.
    - n_permutations None: exact, over all C(2n, n) partitions (X_i = every n-subset of the indices).
    - n_permutations = k: Monte Carlo. rng = np.random.default_rng(seed); k times
      perm = rng.permutation(2n) and X_i = rows np.sort(perm[:n]); p = (count of >) / k.

    Raises:
        ValueError: if X and Y differ in size or are empty, or n_permutations < 1.
    """
    raise NotImplementedError("weat_p_value: enumerate or sample partitions, count larger statistics")

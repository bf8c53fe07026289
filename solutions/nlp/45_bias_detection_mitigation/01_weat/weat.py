"""Reference solution for nlp-45-1."""
from __future__ import annotations

from itertools import combinations

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
    if len(A) == 0 or len(B) == 0:
        raise ValueError("attribute sets A and B must be non-empty")

    def unit(M: np.ndarray) -> np.ndarray:
        M = np.asarray(M, dtype=np.float64)
        return M / np.linalg.norm(M, axis=1, keepdims=True)

    w = unit(W)
    return (w @ unit(A).T).mean(axis=1) - (w @ unit(B).T).mean(axis=1)


def weat_effect_size(X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray) -> float:
    if len(X) == 0 or len(Y) == 0:
        raise ValueError("target sets X and Y must be non-empty")
    sx, sy = association(X, A, B), association(Y, A, B)
    return float((sx.mean() - sy.mean()) / np.concatenate([sx, sy]).std(ddof=1))


def weat_p_value(X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray,
                 n_permutations: int | None = None, seed: int = 0) -> float:
    if len(X) != len(Y) or len(X) == 0:
        raise ValueError(f"X and Y must be non-empty and of equal size, got {len(X)} and {len(Y)}")
    if n_permutations is not None and n_permutations < 1:
        raise ValueError(f"n_permutations must be at least 1, got {n_permutations}")
    n = len(X)
    s = association(np.concatenate([X, Y]), A, B)
    observed = s[:n].sum()
    if n_permutations is None:
        parts = np.array(list(combinations(range(2 * n), n)))
    else:
        rng = np.random.default_rng(seed)
        parts = np.array([np.sort(rng.permutation(2 * n)[:n]) for _ in range(n_permutations)])
    return float(np.mean(s[parts].sum(axis=1) > observed))

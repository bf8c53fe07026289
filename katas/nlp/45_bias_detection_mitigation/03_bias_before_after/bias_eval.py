"""nlp-45-3: evaluate bias before and after mitigation. Edit this file; `grader check nlp-45-3` tests it."""
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


def weat_effect_size(X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray) -> float:
    """Given: the WEAT effect size of Caliskan et al. (2017), sample std over X u Y (see nlp-45-1)."""
    def s(W: np.ndarray) -> np.ndarray:
        unit = lambda M: M / np.linalg.norm(M, axis=1, keepdims=True)  # noqa: E731
        return (unit(W) @ unit(A).T).mean(1) - (unit(W) @ unit(B).T).mean(1)
    sx, sy = s(X), s(Y)
    return float((sx.mean() - sy.mean()) / np.concatenate([sx, sy]).std(ddof=1))


def direct_bias(W: np.ndarray, g: np.ndarray, c: float = 1.0) -> float:
    """Bolukbasi et al.'s DirectBias_c: the mean over the rows w of W (words that should be neutral) of
    |cos(w, g)| ** c. 0 when every word is orthogonal to the bias direction.

    Shapes:
        W: (n, d); g: (d,)

    Raises:
        ValueError: if W has no rows, g is zero, or c < 0.
    """
    raise NotImplementedError("direct_bias")


def neighbourhood_retention(before: np.ndarray, after: np.ndarray, k: int) -> float:
    """How much of the embedding's meaning survives: for every word (row), the fraction of its k
    nearest neighbours by cosine similarity (itself excluded) in `before` that are still among its
    k nearest neighbours in `after`, averaged over words. 1.0 = every neighbourhood kept.
    Rows of the two matrices are the same words. Ties in similarity are broken by the lower row index.

    Shapes:
        before, after: (n, d) with the same n

    Raises:
        ValueError: if the row counts differ, or k is not in [1, n - 1].
    """
    raise NotImplementedError("neighbourhood_retention")


def bias_report(before: dict[str, np.ndarray], after: dict[str, np.ndarray], X: list[str], Y: list[str],
                A: list[str], B: list[str], g: np.ndarray, k: int = 5) -> dict[str, float]:
    """Before/after numbers of a mitigation, over the vocabulary both dicts share (sorted):

        weat_before, weat_after:   weat_effect_size on the word lists X, Y, A, B
        direct_bias_before, direct_bias_after:   direct_bias of the attribute words A + B along g (c = 1)
        retention:   neighbourhood_retention(before, after, k) over the shared vocabulary (sorted words)
    """
    raise NotImplementedError("bias_report")

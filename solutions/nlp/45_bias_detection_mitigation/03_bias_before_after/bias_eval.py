"""Reference solution for nlp-45-3."""
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


def _unit(M: np.ndarray) -> np.ndarray:
    M = np.asarray(M, dtype=np.float64)
    return M / np.linalg.norm(M, axis=-1, keepdims=True)


def direct_bias(W: np.ndarray, g: np.ndarray, c: float = 1.0) -> float:
    g = np.asarray(g, dtype=np.float64)
    if len(W) == 0 or not np.any(g) or c < 0:
        raise ValueError("need rows in W, a nonzero g and c >= 0")
    return float(np.mean(np.abs(_unit(W) @ _unit(g)) ** c))


def _neighbours(E: np.ndarray, k: int) -> list[set[int]]:
    sims = _unit(E) @ _unit(E).T
    np.fill_diagonal(sims, -np.inf)
    order = np.argsort(-sims, axis=1, kind="stable")
    return [set(row[:k].tolist()) for row in order]


def neighbourhood_retention(before: np.ndarray, after: np.ndarray, k: int) -> float:
    n = len(before)
    if len(after) != n or not 1 <= k <= n - 1:
        raise ValueError(f"need equal row counts and 1 <= k <= n - 1, got {len(before)}, {len(after)}, {k=}")
    nb, na = _neighbours(before, k), _neighbours(after, k)
    return float(np.mean([len(a & b) / k for a, b in zip(nb, na, strict=True)]))


def bias_report(before: dict[str, np.ndarray], after: dict[str, np.ndarray], X: list[str], Y: list[str],
                A: list[str], B: list[str], g: np.ndarray, k: int = 5) -> dict[str, float]:
    def sets(emb: dict[str, np.ndarray]) -> list[np.ndarray]:
        return [np.stack([emb[w] for w in ws]) for ws in (X, Y, A, B)]

    vocab = sorted(set(before) & set(after))
    return {
        "weat_before": weat_effect_size(*sets(before)),
        "weat_after": weat_effect_size(*sets(after)),
        "direct_bias_before": direct_bias(np.stack([before[w] for w in A + B]), g),
        "direct_bias_after": direct_bias(np.stack([after[w] for w in A + B]), g),
        "retention": neighbourhood_retention(np.stack([before[w] for w in vocab]), np.stack([after[w] for w in vocab]), k),
    }

"""Reference solution for nlp-45-2."""
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


def bias_direction(pairs: np.ndarray) -> np.ndarray:
    pairs = np.asarray(pairs, dtype=np.float64)
    if len(pairs) == 0:
        raise ValueError("need at least one definitional pair")
    centred = pairs - pairs.mean(axis=1, keepdims=True)
    _, _, vt = np.linalg.svd(centred.reshape(-1, pairs.shape[-1]), full_matrices=False)
    g = vt[0] / np.linalg.norm(vt[0])
    if g @ (pairs[:, 0] - pairs[:, 1]).sum(axis=0) < 0:
        g = -g
    return g


def neutralize(W: np.ndarray, g: np.ndarray) -> np.ndarray:
    g = np.asarray(g, dtype=np.float64)
    norm = np.linalg.norm(g)
    if norm == 0:
        raise ValueError("the bias direction g is zero")
    g_hat = g / norm
    W = np.asarray(W, dtype=np.float64)
    return W - np.outer(W @ g_hat, g_hat)


def equalize(u: np.ndarray, v: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g = np.asarray(g, dtype=np.float64)
    g_hat = g / np.linalg.norm(g)
    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    if u @ g_hat == v @ g_hat:
        raise ValueError("u and v have the same component along g")
    m = (u + v) / 2
    m_b = (m @ g_hat) * g_hat
    nu = m - m_b
    scale = np.sqrt(max(1.0 - nu @ nu, 0.0))
    out = []
    for w in (u, v):
        d = (w @ g_hat) * g_hat - m_b
        out.append(nu + scale * d / np.linalg.norm(d))
    return out[0], out[1]


def counterfactual_augment(sentences: list[list[str]], pairs: list[tuple[str, str]]) -> list[list[str]]:
    swap: dict[str, str] = {}
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            if x in swap:
                raise ValueError(f"{x!r} occurs in more than one pair")
            swap[x] = y
    return [list(s) for s in sentences] + [[swap.get(w, w) for w in s] for s in sentences]

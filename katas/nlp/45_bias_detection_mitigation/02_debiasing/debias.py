"""nlp-45-2: debiasing by projection and counterfactual augmentation. Edit this file; `grader check nlp-45-2` tests it."""
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
    """Bolukbasi et al.'s bias direction: the first principal component of the centred definitional pairs.

    For each pair (u, v), centre both on their mean m = (u + v) / 2; stack the 2 * n_pairs vectors
    u - m, v - m and take their top principal direction (the first right-singular vector). Returned
    with unit norm, its sign chosen so that its dot product with sum(u - v) is positive.

    Shapes:
        pairs: (n_pairs, 2, d); returns: (d,) float64

    Raises:
        ValueError: if there are no pairs.
    """
    raise NotImplementedError("bias_direction: centre each pair, top singular vector, fix the sign")


def neutralize(W: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Hard debiasing's neutralize step: remove from every row of W its component along g.

    w - (w . g_hat) g_hat with g_hat = g / |g| (g need not be unit). The component orthogonal to g is
    kept exactly. Returns a new float64 array; W and g are not modified.

    Shapes:
        W: (n, d); g: (d,); returns: (n, d) float64

    Raises:
        ValueError: if g is the zero vector.
    """
    raise NotImplementedError("neutralize: subtract the projection onto g")


def equalize(u: np.ndarray, v: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hard debiasing's equalize step for a pair of UNIT vectors (Bolukbasi et al. 2016, eq. in sec. 5).

    m = (u + v) / 2, nu = m - (m . g_hat) g_hat; each w in (u, v) becomes
    nu + sqrt(1 - |nu|^2) * (w_B - m_B) / |w_B - m_B|, where x_B = (x . g_hat) g_hat.
    Afterwards both are unit vectors, share the orthogonal part nu and have opposite components
    along g, so every neutralized word is equally far from both.

    Shapes:
        u, v, g: (d,); returns: two (d,) float64 arrays

    Raises:
        ValueError: if u and v have the same component along g (nothing to equalize).
    """
    raise NotImplementedError("equalize: shared orthogonal part, opposite unit-completing bias parts")


def counterfactual_augment(sentences: list[list[str]], pairs: list[tuple[str, str]]) -> list[list[str]]:
    """Counterfactual data augmentation (Lu et al. 2018): the corpus plus a copy with every word of
    each pair swapped for its partner (in both directions), other words unchanged.

    Returns the original sentences (in order) followed by their swapped copies (in order); the input
    lists are not modified.

    Raises:
        ValueError: if a word occurs in more than one pair (the swap would be ambiguous).
    """
    raise NotImplementedError("counterfactual_augment: swap each pair's words, append the copies")

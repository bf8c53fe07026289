"""Plausible wrong implementations for one-hot vs learned embeddings that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from onehot_vs_learned import cooccurrence


@pitfall(replaces="cosine_distances", why="1 - dot product without normalising the rows")
def unnormalised(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if np.any(np.linalg.norm(x, axis=1) == 0):
        raise ValueError("zero row")
    d = 1.0 - x @ x.T
    np.fill_diagonal(d, 0.0)
    return d


@pitfall(replaces="cosine_distances", why="returns the cosine similarity instead of the distance")
def similarity_not_distance(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1)
    if np.any(norms == 0):
        raise ValueError("zero row")
    unit = x / norms[:, None]
    return unit @ unit.T


@pitfall(replaces="cosine_distances", why="divides by zero norms quietly: NaN rows instead of a ValueError")
def no_zero_check(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        unit = x / np.linalg.norm(x, axis=1)[:, None]
        d = np.clip(1.0 - unit @ unit.T, 0.0, 2.0)
    np.fill_diagonal(d, 0.0)
    return d


@pitfall(replaces="cooccurrence", why="counts only the right-hand neighbours: the matrix is not symmetric")
def one_sided(sentences: Sequence[Sequence[int]], vocab_size: int, window: int) -> np.ndarray:
    counts = np.zeros((vocab_size, vocab_size))
    for sentence in sentences:
        ids = np.asarray(sentence, dtype=np.int64)
        for offset in range(1, window + 1):
            np.add.at(counts, (ids[:-offset], ids[offset:]), 1.0)
    return counts


@pitfall(replaces="cooccurrence", why="joins all sentences into one, so windows cross sentence boundaries")
def crosses_sentences(sentences: Sequence[Sequence[int]], vocab_size: int, window: int) -> np.ndarray:
    return _solution_cooccurrence([[i for s in sentences for i in s]], vocab_size, window)


@pitfall(replaces="ppmi", why="keeps the negative PMI values (PMI, not PPMI)")
def negative_pmi_kept(counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64)
    expected = counts.sum(axis=1, keepdims=True) * counts.sum(axis=0, keepdims=True)
    out = np.zeros_like(counts)
    seen = counts > 0
    out[seen] = np.log(counts[seen] * counts.sum() / expected[seen])
    return out


@pitfall(replaces="ppmi", why="uses the row sums for both words (right only for symmetric counts)")
def row_sums_twice(counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64)
    rows = counts.sum(axis=1)
    out = np.zeros_like(counts)
    for a, b in zip(*np.nonzero(counts), strict=True):
        if b < len(rows):
            out[a, b] = max(0.0, np.log(counts[a, b] * counts.sum() / (rows[a] * rows[b])))
    return out


@pitfall(replaces="svd_embeddings", why="U_k S_k instead of U_k sqrt(S_k)")
def full_singular_values(matrix: np.ndarray, dim: int) -> np.ndarray:
    u, s, _ = np.linalg.svd(np.asarray(matrix, dtype=np.float64), full_matrices=False)
    return u[:, :dim] * s[:dim]


@pitfall(replaces="svd_embeddings", why="takes the right singular vectors Vt[:dim].T instead of U[:, :dim]")
def right_vectors(matrix: np.ndarray, dim: int) -> np.ndarray:
    _, s, vt = np.linalg.svd(np.asarray(matrix, dtype=np.float64), full_matrices=False)
    return vt[:dim].T * np.sqrt(s[:dim])


@pitfall(replaces="plot_cosine_distances", why="lets each heat map pick its own colour scale")
def separate_colour_scales(d_onehot: np.ndarray, d_learned: np.ndarray, labels: Sequence[str]) -> Figure:
    fig, axes = plt.subplots(1, 2)
    for ax, d, title in zip(axes, (d_onehot, d_learned), ("one-hot", "learned"), strict=True):
        ax.imshow(d)
        ax.set_title(title)
        ax.set_xticks(range(len(labels)), labels)
        ax.set_yticks(range(len(labels)), labels)
    return fig


_solution_cooccurrence = cooccurrence


@pitfall(replaces="cosine_distances", why="normalises the caller's rows in place (x /= norms) before the product")
def normalises_in_place(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1)
    if np.any(norms == 0):
        raise ValueError("a row is all zeros")
    x /= norms[:, None]
    d = np.clip(1.0 - x @ x.T, 0.0, 2.0)
    d = (d + d.T) / 2
    np.fill_diagonal(d, 0.0)
    return d.astype(np.float64)


@pitfall(replaces="one_hot", why="np.eye(vocab_size, dtype=int)[ids]: integer rows, not float64")
def integer_one_hot(ids: Sequence[int], vocab_size: int) -> np.ndarray:
    return np.eye(vocab_size, dtype=int)[np.asarray(ids, dtype=np.int64)]


@pitfall(replaces="cooccurrence", why="counts into an integer array: int64 counts, not float64")
def integer_counts(sentences: Sequence[Sequence[int]], vocab_size: int, window: int) -> np.ndarray:
    counts = np.zeros((vocab_size, vocab_size), dtype=np.int64)
    for sentence in sentences:
        for i, a in enumerate(sentence):
            for j, b in enumerate(sentence):
                if 0 < abs(i - j) <= window:
                    counts[a, b] += 1
    return counts

"""nlp-01-8: one-hot vs learned embeddings, compared through their cosine distances. Edit this file;
`grader check nlp-01-8` tests it."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt  # noqa: F401  (for plot_cosine_distances)
import numpy as np
from matplotlib.figure import Figure


def one_hot(ids: Sequence[int], vocab_size: int) -> np.ndarray:
    """Row i is the one-hot vector of ids[i]: 1.0 in column ids[i], 0.0 elsewhere.

    Shapes:
        returns: (len(ids), vocab_size) float64
    """
    raise NotImplementedError("one_hot: one row per id")


def cosine_distances(x: np.ndarray) -> np.ndarray:
    """d[i, j] = 1 - x_i . x_j / (|x_i| |x_j|) for every pair of rows, with d[i, i] = 0 exactly and
    every value clipped to [0, 2] (rounding can leave 1 - cos slightly outside).

    Shapes:
        x: (n, d); returns: (n, n) float64, symmetric

    Raises:
        ValueError: if a row of x is all zeros (its direction, hence its cosine, is undefined).
    """
    raise NotImplementedError("cosine_distances: normalise the rows, one matrix product, 1 - cos")


def cooccurrence(sentences: Sequence[Sequence[int]], vocab_size: int, window: int) -> np.ndarray:
    """Symmetric co-occurrence counts: C[a, b] is the number of (position i, position j) pairs of the
    same sentence with 0 < |i - j| <= window, word a at i and word b at j. Windows never cross
    from one sentence into the next.

    Shapes:
        returns: (vocab_size, vocab_size) float64
    """
    raise NotImplementedError("cooccurrence: count neighbours within the window, sentence by sentence")


def ppmi(counts: np.ndarray) -> np.ndarray:
    """Positive pointwise mutual information of a (not necessarily symmetric) count matrix.

    With N = counts.sum(), row sums r_a and column sums c_b:
        PMI[a, b] = log(counts[a, b] * N / (r_a * c_b)),   PPMI = max(PMI, 0)
    and PPMI[a, b] = 0 wherever counts[a, b] == 0 (no NaN, no -inf anywhere).

    Shapes:
        counts: (R, C) non-negative; returns: (R, C) float64
    """
    raise NotImplementedError("ppmi: log of observed over expected co-occurrence, clipped at 0")


def svd_embeddings(matrix: np.ndarray, dim: int) -> np.ndarray:
    """Rank-`dim` embeddings from a truncated SVD: with matrix = U S Vt (np.linalg.svd, singular
    values in decreasing order), return U[:, :dim] * sqrt(S[:dim]) (one row per matrix row).

    Shapes:
        matrix: (R, C); returns: (R, dim) float64
    """
    raise NotImplementedError("svd_embeddings: U_k sqrt(S_k)")


def compare_embeddings(sentences: Sequence[Sequence[int]], vocab_size: int, word_ids: Sequence[int], window: int,
                       dim: int) -> tuple[np.ndarray, np.ndarray]:
    """The cosine distances between the words `word_ids`, one-hot vs learned.

    one-hot: cosine_distances(one_hot(word_ids, vocab_size));
    learned: cosine_distances of the rows word_ids of
             svd_embeddings(ppmi(cooccurrence(sentences, vocab_size, window)), dim).

    Shapes:
        returns: d_onehot (k, k), d_learned (k, k) with k = len(word_ids)
    """
    raise NotImplementedError("compare_embeddings: the two distance matrices")


def plot_cosine_distances(d_onehot: np.ndarray, d_learned: np.ndarray, labels: Sequence[str]) -> Figure:
    """Two heat maps side by side: d_onehot on the left titled "one-hot", d_learned on the right
    titled "learned".

    Each of the two axes holds exactly one image (ax.imshow of the matrix itself), both images
    share one colour scale (vmin=0, vmax=the largest entry of the two matrices), and both axes
    show `labels` as their x and y tick labels, one tick per row. A colorbar is welcome (it adds
    an axes without an image).
    """
    raise NotImplementedError("plot_cosine_distances: two imshow heat maps on one colour scale")

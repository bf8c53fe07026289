"""Reference solution for nlp-01-8."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def one_hot(ids: Sequence[int], vocab_size: int) -> np.ndarray:
    out = np.zeros((len(ids), vocab_size))
    out[np.arange(len(ids)), np.asarray(ids, dtype=np.int64)] = 1.0
    return out


def cosine_distances(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1)
    if np.any(norms == 0):
        raise ValueError("a row is all zeros: its cosine distance is undefined")
    unit = x / norms[:, None]
    d = np.clip(1.0 - unit @ unit.T, 0.0, 2.0)
    d = (d + d.T) / 2
    np.fill_diagonal(d, 0.0)
    return d


def cooccurrence(sentences: Sequence[Sequence[int]], vocab_size: int, window: int) -> np.ndarray:
    counts = np.zeros((vocab_size, vocab_size))
    for sentence in sentences:
        ids = np.asarray(sentence, dtype=np.int64)
        for offset in range(1, window + 1):
            np.add.at(counts, (ids[:-offset], ids[offset:]), 1.0)
            np.add.at(counts, (ids[offset:], ids[:-offset]), 1.0)
    return counts


def ppmi(counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    expected = counts.sum(axis=1, keepdims=True) * counts.sum(axis=0, keepdims=True)
    out = np.zeros_like(counts)
    seen = counts > 0
    out[seen] = np.log(counts[seen] * total / expected[seen])
    return np.maximum(out, 0.0)


def svd_embeddings(matrix: np.ndarray, dim: int) -> np.ndarray:
    u, s, _ = np.linalg.svd(np.asarray(matrix, dtype=np.float64), full_matrices=False)
    return u[:, :dim] * np.sqrt(s[:dim])


def compare_embeddings(sentences: Sequence[Sequence[int]], vocab_size: int, word_ids: Sequence[int], window: int,
                       dim: int) -> tuple[np.ndarray, np.ndarray]:
    learned = svd_embeddings(ppmi(cooccurrence(sentences, vocab_size, window)), dim)
    rows = np.asarray(word_ids, dtype=np.int64)
    return cosine_distances(one_hot(word_ids, vocab_size)), cosine_distances(learned[rows])


def plot_cosine_distances(d_onehot: np.ndarray, d_learned: np.ndarray, labels: Sequence[str]) -> Figure:
    vmax = float(max(np.max(d_onehot), np.max(d_learned)))
    fig, axes = plt.subplots(1, 2, figsize=(11, 5), constrained_layout=True)
    for ax, d, title in zip(axes, (d_onehot, d_learned), ("one-hot", "learned"), strict=True):
        image = ax.imshow(d, vmin=0.0, vmax=vmax, cmap="viridis")
        ax.set_title(title)
        ax.set_xticks(range(len(labels)), labels, rotation=90)
        ax.set_yticks(range(len(labels)), labels)
    fig.colorbar(image, ax=list(axes), label="cosine distance")
    return fig

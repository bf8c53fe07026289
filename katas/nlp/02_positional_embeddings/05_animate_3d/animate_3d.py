"""nlp-02-5: animating a toy sequence being position-encoded in 3-D. Edit this file;
`grader check nlp-02-5` tests it."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for animate_positions)
import numpy as np
from matplotlib.animation import FuncAnimation


def sinusoidal_table(seq_len: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """The sine/cosine position table of Vaswani et al., (seq_len, d_model) float64. Given, complete."""
    if seq_len <= 0 or d_model <= 0 or d_model % 2:
        raise ValueError(f"need positive seq_len and even d_model, got {seq_len=}, {d_model=}")
    angles = np.arange(seq_len)[:, None] / base ** (np.arange(0, d_model, 2) / d_model)
    table = np.empty((seq_len, d_model))
    table[:, 0::2], table[:, 1::2] = np.sin(angles), np.cos(angles)
    return table


def pca_3d(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Project the rows of x on their top three principal components, via the SVD.

    Centre the rows on their mean, take the SVD `x - mean = U S Vt`, keep the first three rows of
    Vt as the components, and flip the sign of each component so that its entry of largest absolute
    value is positive (the convention of scikit-learn's PCA). coords = (x - mean) @ components.T.

    Shapes:
        x: (n, d), n >= 3, d >= 3
        returns: coords (n, 3), components (3, d) with orthonormal rows, mean (d,); all float64

    Raises:
        ValueError: if x is not 2-D or has fewer than 3 rows or 3 columns.
    """
    raise NotImplementedError("pca_3d: centre, SVD, top three right singular vectors, fix their signs")


def encode_3d(token_ids: np.ndarray, embedding: np.ndarray, pe: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The token vectors of a sequence before and after adding positions, in one shared 3-D PCA frame.

    tokens = embedding[token_ids]; encoded = tokens + pe[:T]. Fit ONE pca_3d on the 2T rows
    vstack([tokens, encoded]), so that both live in the same coordinates, and split the coords.

    Shapes:
        token_ids: (T,) integers, T >= 2
        embedding: (V, d) token embedding table
        pe: (>= T, d) position table
        returns: before (T, 3), after (T, 3), float64
    """
    raise NotImplementedError("encode_3d: embed, add positions, one PCA on both, split")


def animate_positions(before: np.ndarray, after: np.ndarray, labels: Sequence[str] | None = None,
                      interval: int = 600) -> FuncAnimation:
    """Animate the sequence being position-encoded, one position per frame, on 3-D axes.

    The figure has exactly one 3-D axes (projection="3d") labelled "PC1", "PC2", "PC3", with limits
    fixed up front to contain every point of `before` and `after`. It shows the `before` points and
    a line labelled "trajectory" (ax.plot(..., label="trajectory")). Frame t (t = 0, ..., T-1) sets
    the trajectory's data to after[:t+1] (Line3D.set_data_3d) and the title to "position {t}".
    Anything else you draw (shifts before -> after, token labels, a legend) is up to you.

    Shapes:
        before, after: (T, 3)
        labels: T strings, or None
        interval: milliseconds between frames, passed to FuncAnimation
        returns: a FuncAnimation with exactly T frames
    """
    raise NotImplementedError("animate_positions: a FuncAnimation adding one position per frame")

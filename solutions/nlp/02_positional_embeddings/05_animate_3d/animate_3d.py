"""Reference solution for nlp-02-5."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
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
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 3 or x.shape[1] < 3:
        raise ValueError(f"need an (n, d) array with n >= 3 and d >= 3, got shape {x.shape}")
    mean = x.mean(axis=0)
    centred = x - mean
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:3]
    biggest = np.argmax(np.abs(components), axis=1)
    components = components * np.sign(components[np.arange(3), biggest])[:, None]
    return centred @ components.T, components, mean


def encode_3d(token_ids: np.ndarray, embedding: np.ndarray, pe: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    token_ids = np.asarray(token_ids)
    tokens = np.asarray(embedding, dtype=np.float64)[token_ids]
    encoded = tokens + np.asarray(pe, dtype=np.float64)[: len(token_ids)]
    coords, _, _ = pca_3d(np.vstack([tokens, encoded]))
    return coords[: len(token_ids)], coords[len(token_ids):]


def animate_positions(before: np.ndarray, after: np.ndarray, labels: Sequence[str] | None = None,
                      interval: int = 600) -> FuncAnimation:
    before, after = np.asarray(before, dtype=np.float64), np.asarray(after, dtype=np.float64)
    seq_len = len(after)
    fig = plt.figure(figsize=(4, 4))
    ax = fig.add_subplot(projection="3d")
    ax.set_xlabel("PC1")
    ax.set_ylabel("PC2")
    ax.set_zlabel("PC3")
    everything = np.vstack([before, after])
    low, high = everything.min(axis=0), everything.max(axis=0)
    pad = 0.05 * np.maximum(high - low, 1e-9)
    ax.set_xlim(low[0] - pad[0], high[0] + pad[0])
    ax.set_ylim(low[1] - pad[1], high[1] + pad[1])
    ax.set_zlim(low[2] - pad[2], high[2] + pad[2])
    ax.scatter(*before.T, color="0.6", label="tokens (no position)")
    (shifts,) = ax.plot([], [], [], color="tab:orange", linewidth=0.8, label="shift")
    (trajectory,) = ax.plot([], [], [], color="tab:blue", marker="o", label="trajectory")
    texts = [ax.text(*after[t], label, visible=False) for t, label in enumerate(labels or [])]

    def update(t: int) -> list:
        trajectory.set_data_3d(after[: t + 1, 0], after[: t + 1, 1], after[: t + 1, 2])
        gaps = np.full((t + 1, 1, 3), np.nan)
        segments = np.concatenate([before[: t + 1, None], after[: t + 1, None], gaps], axis=1).reshape(-1, 3)
        shifts.set_data_3d(segments[:, 0], segments[:, 1], segments[:, 2])
        for s, text in enumerate(texts):
            text.set_visible(s <= t)
        ax.set_title(f"position {t}")
        return [trajectory, shifts, *texts]

    return FuncAnimation(fig, update, frames=seq_len, interval=interval, blit=False)

"""Reference solution for nlp-36-3."""
from __future__ import annotations

from collections import Counter

import numpy as np
import torch
import torch.nn.functional as F

from grader import lm


def mlp_activations(model: lm.CharGPT, idx: torch.Tensor, layer: int) -> np.ndarray:
    """Post-GELU MLP activations of block `layer` at every position, flattened to (B*T, d_ff) float64."""
    out = []
    handle = model.blocks[layer].fc.register_forward_hook(lambda m, a, o: out.append(F.gelu(o)))
    with torch.no_grad():
        model(idx)
    handle.remove()
    return out[0].reshape(-1, out[0].shape[-1]).double().numpy()


def _assign(x: np.ndarray, centers: np.ndarray) -> np.ndarray:
    d = (x ** 2).sum(1)[:, None] - 2 * x @ centers.T + (centers ** 2).sum(1)[None, :]   # squared distances
    return d.argmin(axis=1)                                                             # ties: lowest index


def kmeans(x: np.ndarray, init: np.ndarray, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, float]:
    if x.ndim != 2 or init.ndim != 2 or init.shape[1] != x.shape[1] or len(init) == 0:
        raise ValueError(f"need x (M, D) and init (k, D) with k >= 1, got {x.shape}, {init.shape}")
    if max_iter < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter}")
    centers = init.astype(np.float64)          # a float copy: the caller's init is left alone
    labels = None
    for _ in range(max_iter):
        new_labels = _assign(x, centers)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        counts = np.bincount(labels, minlength=len(centers))
        sums = np.zeros_like(centers)
        np.add.at(sums, labels, x)
        filled = counts > 0                     # an empty cluster keeps its centre
        centers[filled] = sums[filled] / counts[filled, None]
    labels = _assign(x, centers)
    inertia = float(((x - centers[labels]) ** 2).sum())
    return labels, centers, inertia


def neuron_dictionary(labels: np.ndarray, chars: list[str], k: int, top: int = 3) -> list[list[tuple[str, int]]]:
    if len(labels) != len(chars):
        raise ValueError("labels and chars differ in length")
    if top < 1:
        raise ValueError(f"top must be >= 1, got {top}")
    entries = []
    for j in range(k):
        counts = Counter(c for c, lab in zip(chars, labels, strict=True) if lab == j)
        entries.append(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
    return entries


def purity(labels: np.ndarray, chars: list[str]) -> float:
    if len(labels) != len(chars) or len(labels) == 0:
        raise ValueError("labels and chars must be non-empty and of one length")
    total = 0
    for j in np.unique(labels):
        total += max(Counter(c for c, lab in zip(chars, labels, strict=True) if lab == j).values())
    return total / len(labels)

"""Reference solution for nlp-36-1."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from scipy.stats import rankdata

from grader import lm


def speaker_line_labels(text: str) -> np.ndarray:
    """True for every character of a speaker-name line ("KING RICHARD III:"): a line of capitals
    and spaces ending in a colon. Newlines themselves are False. Shape (len(text),), bool."""
    labels = np.zeros(len(text), dtype=bool)
    start = 0
    for line in text.split("\n"):
        name = line[:-1]
        if line.endswith(":") and name.strip() and name.replace(" ", "").isupper():
            labels[start:start + len(line)] = True
        start += len(line) + 1
    return labels


def mlp_activations(model: lm.CharGPT, idx: torch.Tensor, layer: int) -> torch.Tensor:
    if not 0 <= layer < len(model.blocks):
        raise ValueError(f"layer {layer} outside the model's blocks")
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        for block in model.blocks[:layer]:
            x = block(x, positions)
        block = model.blocks[layer]
        x = x + block.attn(block.ln1(x), positions)
        return F.gelu(block.fc(block.ln2(x)))


def neuron_auroc(acts: np.ndarray, labels: np.ndarray) -> np.ndarray:
    labels = np.asarray(labels, dtype=bool)
    if acts.ndim != 2 or labels.shape != (acts.shape[0],):
        raise ValueError(f"need acts (M, N) and labels (M,), got {acts.shape} and {labels.shape}")
    n_pos = int(labels.sum())
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("labels must contain both classes")
    ranks = rankdata(acts, axis=0)                      # average ranks: a tie counts one half
    return (ranks[labels].sum(axis=0) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def concept_neurons(acts: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    scores = neuron_auroc(acts, labels)
    if not 0 <= k <= len(scores):
        raise ValueError(f"k must be in 0..{len(scores)}, got {k}")
    return np.argsort(-np.round(scores, 12), kind="stable")[:k]     # equal to 12 decimals: a tie

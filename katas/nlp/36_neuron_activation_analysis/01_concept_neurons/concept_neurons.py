"""nlp-36-1: neurons that fire for a concept. Edit this file; `grader check nlp-36-1` tests it."""
from __future__ import annotations

import numpy as np
import torch

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
    """The MLP neurons' activations of block `layer`: GELU(fc(ln2(x))) for the residual stream x after
    that block's attention, as model(idx) computes it (positions arange(T)). No gradients.

    Shapes:
        idx: (B, T) int64
        returns: (B, T, d_ff) float32

    Raises:
        ValueError: if layer is not in 0..L-1.
    """
    raise NotImplementedError("mlp_activations: run the blocks up to `layer`, stop inside its MLP")


def neuron_auroc(acts: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """For each neuron (column), the area under the ROC curve of its activation as a detector of labels.

    AUROC = P(activation on a random concept position > on a random other position), a tie counting
    one half (the Mann-Whitney U statistic / (n_pos * n_neg)). 1: fires only for the concept,
    0.5: blind to it, 0: fires only off the concept.

    Shapes:
        acts: (M, N) activations of N neurons at M positions
        labels: (M,) bool
        returns: (N,) float64

    Raises:
        ValueError: if acts is not 2-D, labels is not (M,), or labels holds only one class.
    """
    raise NotImplementedError("neuron_auroc: rank the activations, sum the ranks of the concept positions")


def concept_neurons(acts: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """The k neurons with the highest AUROC for the concept, highest first; ties by lower index.

    Two AUROCs that agree to 12 decimal places are a tie (the rank formula and the ROC-curve area
    can differ in the last bit for the same value).

    Shapes:
        acts: (M, N), labels: (M,) bool
        returns: (k,) int

    Raises:
        ValueError: if k is not in 0..N (and anything neuron_auroc raises).
    """
    raise NotImplementedError("concept_neurons: sort the neurons by AUROC")

"""nlp-36-3: a neuron dictionary from clustered activations. Edit this file; `grader check nlp-36-3` tests it."""
from __future__ import annotations

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


def kmeans(x: np.ndarray, init: np.ndarray, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, float]:
    """Lloyd's k-means from the given initial centres.

    Each round assigns every point to its nearest centre (squared Euclidean distance; a tie goes to
    the lowest centre index), stops if no assignment changed since the previous round, and
    otherwise moves each centre to the mean of its points (a centre with no points stays where it
    is). At most max_iter rounds. The labels returned are the assignment to the returned centres;
    inertia is the sum of squared distances of the points to their centres. Inputs are not modified.

    Shapes:
        x: (M, D) float64, init: (k, D)
        returns: (labels (M,) int, centres (k, D) float64, inertia float)

    Raises:
        ValueError: if x or init is not 2-D, the widths differ, k = 0, or max_iter < 1.
    """
    raise NotImplementedError("kmeans: assign, check for change, update; repeat")


def neuron_dictionary(labels: np.ndarray, chars: list[str], k: int, top: int = 3) -> list[list[tuple[str, int]]]:
    """For each cluster 0..k-1, its `top` most frequent characters as (character, count) pairs.

    chars[i] is the character that describes position i (the current or the next character).
    Most frequent first, ties by character (code point order); a cluster with no positions gets [].

    Shapes:
        labels: (M,) int in 0..k-1, chars: M one-character strings
        returns: k lists of at most `top` (str, int) pairs

    Raises:
        ValueError: if labels and chars differ in length, or top < 1.
    """
    raise NotImplementedError("neuron_dictionary: count the characters of each cluster")


def purity(labels: np.ndarray, chars: list[str]) -> float:
    """The fraction of positions whose character is their cluster's most frequent character.

    Shapes:
        labels: (M,) int, chars: M strings
        returns: float in (0, 1]

    Raises:
        ValueError: if the inputs are empty or differ in length.
    """
    raise NotImplementedError("purity: sum each cluster's top count, divide by M")

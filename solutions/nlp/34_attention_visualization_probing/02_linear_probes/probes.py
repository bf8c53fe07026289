"""nlp-34-2: linear probes on the residual stream. Edit this file; `grader check nlp-34-2` tests it."""
from __future__ import annotations

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from grader import lm

SPACE, VOWEL, OTHER = 0, 1, 2


def char_class(c: str) -> int:
    """0 for a space or newline, 1 for a vowel (aeiou, either case), 2 for anything else."""
    if c in " \n":
        return SPACE
    return VOWEL if c.lower() in "aeiou" else OTHER


def hidden_states(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    """The residual stream of `model` on `idx`: after the embedding and after every block.

    State 0 is `model.embed(idx)`; state l (1..L) is the output of block l-1, exactly as
    `model(idx)` computes it (positions arange(T)), before the final LayerNorm. No gradients.

    Shapes:
        idx: (B, T) int64
        returns: (L + 1, B, T, d_model) float32
    """
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        states = [x]
        for block in model.blocks:
            x = block(x, positions)
            states.append(x)
    return torch.stack(states)


def previous_char_labels(idx: torch.Tensor) -> torch.Tensor:
    """The probing target: the class (`char_class`) of the PREVIOUS character at every position.

    labels[b, t] = char_class(character of idx[b, t-1]) for t >= 1, and -1 at t = 0 (no previous
    character in the window).

    Shapes:
        idx: (B, T) int64
        returns: (B, T) int64
    """
    chars = lm.vocab()
    classes = torch.tensor([char_class(c) for c in chars])
    labels = torch.full_like(idx, -1)
    labels[:, 1:] = classes[idx[:, :-1]]
    return labels


def probe_predict_proba(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, C: float = 1.0) -> np.ndarray:
    """Fit a linear probe on (train_x, train_y) and return its class probabilities on test_x.

    Standardize every feature with the TRAIN mean and standard deviation (ddof = 0; a feature with
    zero deviation is divided by 1), apply the same transform to test_x, and fit
    `sklearn.linear_model.LogisticRegression(C=C, tol=1e-8, max_iter=5000)` (L2, lbfgs, multinomial).
    Columns follow the sorted classes of train_y. Inputs are not modified.

    Shapes:
        train_x: (N, D) float, train_y: (N,) int, test_x: (M, D) float
        returns: (M, K) float64, K = number of distinct classes in train_y
    """
    mean = train_x.mean(axis=0)
    std = train_x.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    probe = LogisticRegression(C=C, tol=1e-8, max_iter=5000)
    probe.fit((train_x - mean) / std, train_y)
    return probe.predict_proba((test_x - mean) / std)


def layer_probe_accuracies(states: torch.Tensor, labels: torch.Tensor, n_train: int, C: float = 1.0) -> np.ndarray:
    """Held-out accuracy of a linear probe (`probe_predict_proba`) on each layer's states.

    Rows are the positions (b, t) in row-major order (b outer, t inner); positions with a label < 0
    are dropped; of the rows left, the first `n_train` train the probe and the rest test it. The
    prediction is the class of highest probability (the first on a tie); the accuracy is the
    fraction of test rows predicted right.

    Shapes:
        states: (S, B, T, D) float, labels: (B, T) int
        returns: (S,) float64

    Raises:
        ValueError: if n_train < 1 or it leaves no test row.
    """
    keep = (labels >= 0).reshape(-1).numpy()
    y = labels.reshape(-1).numpy()[keep]
    if n_train < 1 or n_train >= len(y):
        raise ValueError(f"n_train = {n_train} must leave at least one train and one test row of {len(y)}")
    classes = np.unique(y[:n_train])
    accs = []
    for layer in states:
        x = layer.reshape(-1, layer.shape[-1]).double().numpy()[keep]
        proba = probe_predict_proba(x[:n_train], y[:n_train], x[n_train:], C=C)
        accs.append(np.mean(classes[proba.argmax(axis=1)] == y[n_train:]))
    return np.array(accs)

"""nlp-34-2: linear probes on the residual stream. Edit this file; `grader check nlp-34-2` tests it."""
from __future__ import annotations

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression  # noqa: F401  (the probe)

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
    raise NotImplementedError("hidden_states: collect the embedding and every block output")


def previous_char_labels(idx: torch.Tensor) -> torch.Tensor:
    """The probing target: the class (`char_class`) of the PREVIOUS character at every position.

    labels[b, t] = char_class(character of idx[b, t-1]) for t >= 1, and -1 at t = 0 (no previous
    character in the window).

    Shapes:
        idx: (B, T) int64
        returns: (B, T) int64
    """
    raise NotImplementedError("previous_char_labels: the class of idx[b, t-1], -1 at t = 0")


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
    raise NotImplementedError("probe_predict_proba: standardize with train statistics, fit LogisticRegression")


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
    raise NotImplementedError("layer_probe_accuracies: one probe per layer, held-out accuracy")

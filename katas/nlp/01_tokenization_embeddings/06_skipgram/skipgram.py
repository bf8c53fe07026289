"""nlp-01-6: skip-gram with negative sampling (SGNS), in NumPy. Edit this file;
`grader check nlp-01-6` tests it."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def sample_negatives(noise: np.ndarray, n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """k noise word ids for each of n pairs, drawn from `noise`, given: (n, k) int64."""
    return rng.choice(len(noise), size=(n, k), p=noise).astype(np.int64)


def skipgram_pairs(ids: Sequence[int], window: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (center, context) pair of one sentence.

    For every position t (in order) and every offset in -window, ..., -1, 1, ..., window (in that
    order) with t + offset inside the sentence: center ids[t], context ids[t + offset].

    Shapes:
        returns: centers (N,) int64, contexts (N,) int64
    """
    raise NotImplementedError("skipgram_pairs: one pair per neighbour within the window")


def noise_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """word2vec's noise distribution: P(w) proportional to count(w) ** power.

    Shapes:
        counts: (V,) non-negative word counts, at least one positive
        returns: (V,) float64 probabilities summing to 1
    """
    raise NotImplementedError("noise_distribution: counts ** power, normalised")


def sgns_loss_and_grads(w_in: np.ndarray, w_out: np.ndarray, centers: np.ndarray, contexts: np.ndarray,
                        negatives: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """The skip-gram negative-sampling loss and its gradients, computed by hand (no autograd).

    For pair b with v = w_in[centers[b]], u = w_out[contexts[b]] and the noise vectors
    n_j = w_out[negatives[b, j]]:
        loss_b = -log sigmoid(u . v) - sum_j log sigmoid(-n_j . v)
    and the loss is the mean over the B pairs. Must stay finite for dot products in the thousands.

    Shapes:
        w_in, w_out: (V, d) float64; centers, contexts: (B,) int64; negatives: (B, k) int64
        returns: loss (Python float), d_loss/d_w_in (V, d), d_loss/d_w_out (V, d)
    """
    raise NotImplementedError("sgns_loss_and_grads: stable log-sigmoid, sigmoid gradients, scatter-add")


def train_skipgram(sentences: Sequence[Sequence[int]], vocab_size: int, dim: int, window: int, k: int,
                   steps: int, lr: float, seed: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Full-batch gradient descent on the SGNS loss, with fresh negatives every step.

    rng = np.random.default_rng(seed); w_in = rng.normal(0, 0.1, (vocab_size, dim)), then w_out
    the same way. The batch is the pairs of every sentence, concatenated in sentence order. The
    noise distribution uses the word counts of all sentences (np.bincount with
    minlength=vocab_size). Each of `steps` steps draws
    `negatives = sample_negatives(noise, len(centers), k, rng)`, computes the loss and gradients
    and updates w -= lr * grad.

    Shapes:
        returns: w_in (V, dim), w_out (V, dim), losses (the loss before each step, `steps` floats)
    """
    raise NotImplementedError("train_skipgram: init, noise distribution, then `steps` steps with fresh negatives")

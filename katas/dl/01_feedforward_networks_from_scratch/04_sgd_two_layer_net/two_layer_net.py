"""dl-01-4: a two-layer network trained by mini-batch SGD in NumPy. Edit this file; `grader check dl-01-4` tests it.

The network (torch.nn.Linear's weight convention, W is (out, in)):

    h = relu(X W1ᵀ + b1)        logits = h W2ᵀ + b2        loss = mean cross-entropy(logits, y)

params is a dict with keys "W1" (H, D), "b1" (H,), "W2" (K, H), "b2" (K,), all float64.
"""
from __future__ import annotations

import numpy as np

Params = dict[str, np.ndarray]


def init_params(d_in: int, d_hidden: int, n_classes: int, seed: int) -> Params:
    """Given: torch.nn.Linear's default initialisation, U(−1/√fan_in, 1/√fan_in) for weights and biases."""
    rng = np.random.default_rng(seed)
    a1, a2 = 1 / np.sqrt(d_in), 1 / np.sqrt(d_hidden)
    return {"W1": rng.uniform(-a1, a1, (d_hidden, d_in)), "b1": rng.uniform(-a1, a1, d_hidden),
            "W2": rng.uniform(-a2, a2, (n_classes, d_hidden)), "b2": rng.uniform(-a2, a2, n_classes)}


def loss_and_grads(params: Params, X: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
    """Mean cross-entropy of the network on (X, y) and its gradient for every parameter.

    The ReLU's derivative at exactly 0 is 0. Exact for any finite logits, however large (no exp of a
    large positive number, no log of an underflowed 0). params, X and y are not modified.

    Shapes:
        X: (n, D) float64; y: (n,) ints in 0..K-1
        returns: loss (a float), grads with the keys and shapes of params
    """
    raise NotImplementedError("loss_and_grads: forward, mean cross-entropy, backward through both layers")


def train(params: Params, X: np.ndarray, y: np.ndarray, lr: float, batch_size: int, epochs: int,
          seed: int) -> tuple[Params, list[float]]:
    """Mini-batch SGD from params; returns the trained parameters and the loss of every step.

    Batches: rng = np.random.default_rng(seed) is created once; each epoch draws
    order = rng.permutation(n) and visits order[0:batch_size], order[batch_size:2*batch_size], ...;
    the last batch keeps whatever is left (it may be smaller). Each step computes the mean loss of its
    batch and its gradients at the current parameters, records that loss, then updates every
    parameter p ← p − lr · ∂loss/∂p. The params passed in are not modified (new arrays are returned).

    Shapes:
        X: (n, D) float64; y: (n,) ints
        returns: params (same keys and shapes), losses: a list of epochs · ceil(n / batch_size) floats
    """
    raise NotImplementedError("train: per-epoch permutation, mini-batches, record loss, SGD step")


def predict(params: Params, X: np.ndarray) -> np.ndarray:
    """The class with the largest logit for every row of X.

    Shapes:
        X: (n, D) -> (n,) ints
    """
    raise NotImplementedError("predict: argmax of the logits")

"""Reference solution for dl-01-4."""
from __future__ import annotations

import numpy as np

Params = dict[str, np.ndarray]


def init_params(d_in: int, d_hidden: int, n_classes: int, seed: int) -> Params:
    """Given: torch.nn.Linear's default initialisation, U(−1/√fan_in, 1/√fan_in) for weights and biases."""
    rng = np.random.default_rng(seed)
    a1, a2 = 1 / np.sqrt(d_in), 1 / np.sqrt(d_hidden)
    return {"W1": rng.uniform(-a1, a1, (d_hidden, d_in)), "b1": rng.uniform(-a1, a1, d_hidden),
            "W2": rng.uniform(-a2, a2, (n_classes, d_hidden)), "b2": rng.uniform(-a2, a2, n_classes)}


def _logits(params: Params, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a = X @ params["W1"].T + params["b1"]
    h = np.maximum(a, 0.0)
    return a, h, h @ params["W2"].T + params["b2"]


def loss_and_grads(params: Params, X: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
    n = len(X)
    a, h, z = _logits(params, X)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    loss = -float(log_p[np.arange(n), y].mean())
    dz = np.exp(log_p)
    dz[np.arange(n), y] -= 1.0
    dz /= n
    dh = dz @ params["W2"]
    da = dh * (a > 0)
    return loss, {"W1": da.T @ X, "b1": da.sum(axis=0), "W2": dz.T @ h, "b2": dz.sum(axis=0)}


def train(params: Params, X: np.ndarray, y: np.ndarray, lr: float, batch_size: int, epochs: int,
          seed: int) -> tuple[Params, list[float]]:
    rng = np.random.default_rng(seed)
    p = {k: v.copy() for k, v in params.items()}
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            loss, g = loss_and_grads(p, X[idx], y[idx])
            losses.append(loss)
            p = {k: p[k] - lr * g[k] for k in p}
    return p, losses


def predict(params: Params, X: np.ndarray) -> np.ndarray:
    return _logits(params, X)[2].argmax(axis=1)

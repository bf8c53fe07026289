"""Plausible wrong two-layer networks and training loops that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from two_layer_net import Params, _logits, loss_and_grads


@pitfall(replaces="loss_and_grads", why="relu'(0) = 1 (a >= 0): a dead unit still passes gradient")
def relu_grad_at_zero(params: Params, X: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
    n = len(X)
    a, h, z = _logits(params, X)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    dz = np.exp(log_p)
    dz[np.arange(n), y] -= 1.0
    dz /= n
    da = (dz @ params["W2"]) * (a >= 0)
    return -float(log_p[np.arange(n), y].mean()), {"W1": da.T @ X, "b1": da.sum(0), "W2": dz.T @ h, "b2": dz.sum(0)}


@pitfall(replaces="loss_and_grads", why="sums the gradient over the batch instead of averaging (the loss is a mean)")
def summed_gradient(params: Params, X: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
    n = len(X)
    a, h, z = _logits(params, X)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    dz = np.exp(log_p)
    dz[np.arange(n), y] -= 1.0
    da = (dz @ params["W2"]) * (a > 0)
    return -float(log_p[np.arange(n), y].mean()), {"W1": da.T @ X, "b1": da.sum(0), "W2": dz.T @ h, "b2": dz.sum(0)}


@pitfall(replaces="loss_and_grads", why="forgets the ReLU's derivative: da = dh, as if the hidden layer were linear")
def no_relu_mask(params: Params, X: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
    n = len(X)
    a, h, z = _logits(params, X)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    dz = np.exp(log_p)
    dz[np.arange(n), y] -= 1.0
    dz /= n
    da = dz @ params["W2"]
    return -float(log_p[np.arange(n), y].mean()), {"W1": da.T @ X, "b1": da.sum(0), "W2": dz.T @ h, "b2": dz.sum(0)}


@pitfall(replaces="train", why="drops the last short batch of every epoch (like DataLoader(drop_last=True))")
def drop_last(params: Params, X: np.ndarray, y: np.ndarray, lr: float, batch_size: int, epochs: int,
              seed: int) -> tuple[Params, list[float]]:
    rng, p, losses = np.random.default_rng(seed), {k: v.copy() for k, v in params.items()}, []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X) - batch_size + 1, batch_size):
            idx = order[start:start + batch_size]
            loss, g = loss_and_grads(p, X[idx], y[idx])
            losses.append(loss)
            p = {k: p[k] - lr * g[k] for k in p}
    return p, losses


@pitfall(replaces="train", why="shuffles once before the first epoch and reuses that order every epoch")
def shuffle_once(params: Params, X: np.ndarray, y: np.ndarray, lr: float, batch_size: int, epochs: int,
                 seed: int) -> tuple[Params, list[float]]:
    rng, p, losses = np.random.default_rng(seed), {k: v.copy() for k, v in params.items()}, []
    order = rng.permutation(len(X))
    for _ in range(epochs):
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            loss, g = loss_and_grads(p, X[idx], y[idx])
            losses.append(loss)
            p = {k: p[k] - lr * g[k] for k in p}
    return p, losses


@pitfall(replaces="train", why="updates the caller's arrays in place (p -= lr * g on the dict it was given)")
def in_place_update(params: Params, X: np.ndarray, y: np.ndarray, lr: float, batch_size: int, epochs: int,
                    seed: int) -> tuple[Params, list[float]]:
    rng, losses = np.random.default_rng(seed), []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            loss, g = loss_and_grads(params, X[idx], y[idx])
            losses.append(loss)
            for k in params:
                params[k] -= lr * g[k]
    return params, losses


@pitfall(replaces="train", why="shuffles with the global np.random.permutation: the seed is ignored")
def global_rng(params: Params, X: np.ndarray, y: np.ndarray, lr: float, batch_size: int, epochs: int,
               seed: int) -> tuple[Params, list[float]]:
    p, losses = {k: v.copy() for k, v in params.items()}, []
    for _ in range(epochs):
        order = np.random.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            loss, g = loss_and_grads(p, X[idx], y[idx])
            losses.append(loss)
            p = {k: p[k] - lr * g[k] for k in p}
    return p, losses


@pitfall(replaces="train", why="records the loss after the update instead of the loss the step was computed from")
def loss_after_step(params: Params, X: np.ndarray, y: np.ndarray, lr: float, batch_size: int, epochs: int,
                    seed: int) -> tuple[Params, list[float]]:
    rng, p, losses = np.random.default_rng(seed), {k: v.copy() for k, v in params.items()}, []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            _, g = loss_and_grads(p, X[idx], y[idx])
            p = {k: p[k] - lr * g[k] for k in p}
            losses.append(loss_and_grads(p, X[idx], y[idx])[0])
    return p, losses


@pitfall(replaces="predict", why="re-writes the forward pass for prediction and forgets the ReLU")
def predict_without_relu(params: Params, X: np.ndarray) -> np.ndarray:
    return ((X @ params["W1"].T + params["b1"]) @ params["W2"].T + params["b2"]).argmax(axis=1)

"""Plausible wrong activations that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="relu_backward", why="relu'(0) = 1 (x >= 0): torch, and this kata, use 0 at exactly zero")
def relu_grad_one_at_zero(dy: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.where(x >= 0, dy, dy.dtype.type(0))


@pitfall(replaces="relu_backward", why="returns the mask relu'(x) and forgets to multiply by dy")
def relu_mask_only(dy: np.ndarray, x: np.ndarray) -> np.ndarray:
    return (x > 0).astype(dy.dtype)


@pitfall(replaces="relu", why="clips in place (np.maximum(x, 0, out=x)): the caller's x is overwritten")
def relu_in_place(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0, out=x)


@pitfall(replaces="sigmoid", why="the textbook 1/(1+exp(-x)): exp overflows for very negative x")
def naive_sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


@pitfall(replaces="sigmoid", why="np.where(x >= 0, 1/(1+exp(-x)), exp(x)/(1+exp(x))): np.where evaluates both branches, so exp still overflows")
def where_both_branches(x: np.ndarray) -> np.ndarray:
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


@pitfall(replaces="sigmoid_backward", why="applies σ to the output again: σ(y)(1 − σ(y)) instead of y(1 − y)")
def sigmoid_of_output(dy: np.ndarray, y: np.ndarray) -> np.ndarray:
    s = 1 / (1 + np.exp(-y))
    return dy * s * (1 - s)


@pitfall(replaces="tanh_backward", why="tanh'(x) = 1 − y instead of 1 − y²")
def tanh_missing_square(dy: np.ndarray, y: np.ndarray) -> np.ndarray:
    return dy * (1 - y)


@pitfall(replaces="sigmoid", why="computes in float64 (np.exp(-np.abs(x.astype(float)))) and never casts back")
def sigmoid_upcast(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x.astype(float)))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

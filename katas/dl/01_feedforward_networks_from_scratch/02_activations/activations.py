"""dl-01-2: activation functions and their derivatives. Edit this file; `grader check dl-01-2` tests it.

Every function works elementwise on an array of any shape, returns an array of the input's shape
and dtype (float32 or float64), and leaves its inputs unchanged.
"""
from __future__ import annotations

import numpy as np


def relu(x: np.ndarray) -> np.ndarray:
    """max(x, 0).

    Shapes:
        x: (...) -> (...)
    """
    raise NotImplementedError("relu: max(x, 0)")


def relu_backward(dy: np.ndarray, x: np.ndarray) -> np.ndarray:
    """dx = dy · relu'(x), with relu'(x) = 1 for x > 0 and 0 for x <= 0 (torch's choice at exactly 0).

    Shapes:
        dy, x: (...) -> (...)
    """
    raise NotImplementedError("relu_backward: pass dy through where x > 0")


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + exp(−x)), for any finite x without overflow: no exp of a large positive
    number is ever computed (the tests run it under np.errstate(over="raise")).

    Shapes:
        x: (...) -> (...)
    """
    raise NotImplementedError("sigmoid: a form that only exponentiates non-positive numbers")


def sigmoid_backward(dy: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dx = dy · σ'(x), written with the forward output y = σ(x): σ'(x) = y (1 − y).

    Shapes:
        dy, y: (...) -> (...)
    """
    raise NotImplementedError("sigmoid_backward: dy * y * (1 - y)")


def tanh(x: np.ndarray) -> np.ndarray:
    """tanh(x).

    Shapes:
        x: (...) -> (...)
    """
    raise NotImplementedError("tanh: the hyperbolic tangent")


def tanh_backward(dy: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dx = dy · tanh'(x), written with the forward output y = tanh(x): tanh'(x) = 1 − y².

    Shapes:
        dy, y: (...) -> (...)
    """
    raise NotImplementedError("tanh_backward: dy * (1 - y**2)")

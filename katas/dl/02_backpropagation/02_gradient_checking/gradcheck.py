"""dl-02-2: gradient checking by central finite differences. Edit this file; `grader check dl-02-2` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function at x:

        g[i] = (f(x + eps·e_i) − f(x − eps·e_i)) / (2 eps)       for every index i of x

    x (float64, any shape) is unchanged when the function returns (you may perturb it in place in
    between, but put every entry back exactly).

    Shapes:
        x: (...) float64 -> (...) float64
    """
    raise NotImplementedError("numerical_gradient: perturb one entry at a time, both directions")


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """‖a − b‖₂ / (‖a‖₂ + ‖b‖₂), and 0.0 when both are all zeros.

    Shapes:
        a, b: the same shape
    """
    raise NotImplementedError("relative_error: a scale-free distance between two gradients")


def check_module_gradients(module: torch.nn.Module, x: torch.Tensor, seed: int,
                           eps: float = 1e-6) -> dict[str, float]:
    """Compare a float64 module's autograd gradients with central differences.

    The scalar checked is L = Σ module(x) ⊙ R, with R = torch.randn(output shape,
    generator=torch.Generator().manual_seed(seed), dtype=torch.float64): a random upstream
    gradient, so a backward pass that is only right for an all-ones upstream gradient is caught.
    For the input ("input") and every parameter (its name in module.named_parameters()), compute
    ∂L/∂· by autograd and by central differences with step eps, and report their relative_error.
    Whatever .grad the parameters held before is irrelevant to the result. The module's parameters
    and x are bitwise unchanged afterwards.

    Shapes:
        x: the module's input, float64
        returns: {"input": error, "<param name>": error, ...}
    """
    raise NotImplementedError("check_module_gradients: autograd vs finite differences for input and parameters")

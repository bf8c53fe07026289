"""dl-01-1: a dense (fully connected) layer in NumPy. Edit this file; `grader check dl-01-1` tests it."""
from __future__ import annotations

import numpy as np


def dense_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """y = x Wᵀ + b, applied to the last axis of x (torch.nn.Linear's convention: W is (out, in)).

    Any number of leading batch axes is allowed, none included (a single vector). With b=None
    there is no bias. The result has x's dtype (float32 or float64; W and b share it); x, W and b
    are not modified.

    Shapes:
        x: (*batch, d_in); W: (d_out, d_in); b: (d_out,) or None
        returns: (*batch, d_out)
    """
    raise NotImplementedError("dense_forward: x @ W.T, plus b when it is given")


def dense_backward(dy: np.ndarray, x: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a scalar loss L through y = x Wᵀ + b, given dy = ∂L/∂y.

        dx = ∂L/∂x = dy W            dW = ∂L/∂W = Σ_batch dyᵀ x            db = ∂L/∂b = Σ_batch dy

    The sums run over every leading batch axis (for a single vector there is nothing to sum:
    dW is the outer product dy xᵀ). dy, x and W share one dtype (float32 or float64) and each
    result has it; no input is modified.

    Shapes:
        dy: (*batch, d_out); x: (*batch, d_in); W: (d_out, d_in)
        returns: dx (*batch, d_in), dW (d_out, d_in), db (d_out,)
    """
    raise NotImplementedError("dense_backward: dy @ W, the summed outer products, the summed dy")

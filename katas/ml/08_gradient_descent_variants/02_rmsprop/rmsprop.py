"""ml-08-2: RMSProp. Edit this file; `grader check ml-08-2` tests it."""
from __future__ import annotations

import numpy as np


class RMSprop:
    """RMSProp with optional centering and momentum: the update rule of torch.optim.RMSprop, on NumPy arrays.

    For every parameter p with gradient g, one `step` (all buffers start at zero):

        step       <- step + 1
        g          <- g + weight_decay * p
        square_avg <- alpha * square_avg + (1 - alpha) * g * g
        if centered:
            grad_avg <- alpha * grad_avg + (1 - alpha) * g
            avg      <- sqrt(square_avg - grad_avg * grad_avg) + eps
        else:
            avg      <- sqrt(square_avg) + eps
        if momentum > 0:
            buf <- momentum * buf + g / avg
            p   <- p - lr * buf
        else:
            p   <- p - lr * g / avg

    Attributes (the tests read them after every step):
        params: list of float64 arrays, your own copies of the arrays passed in, updated by `step`
        lr, alpha, eps, weight_decay, momentum, centered: the hyperparameters (`lr` may be changed
            between steps)
        state: one dict per parameter with the keys torch uses: "step" (int), "square_avg",
            "grad_avg" (only if centered), "momentum_buffer" (only if momentum > 0); arrays are
            float64 with the parameter's shape

    Shapes:
        params: list of arrays of any shapes
        grads (of `step`): list of arrays, grads[i].shape == params[i].shape

    Raises:
        ValueError: in __init__, if lr, eps, momentum or weight_decay is negative or alpha is
            outside [0, 1] (0, and alpha = 1, are allowed).
    """

    def __init__(self, params: list[np.ndarray], lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False) -> None:
        raise NotImplementedError("RMSprop.__init__: copy the params to float64, store hyperparameters and state")

    def step(self, grads: list[np.ndarray]) -> None:
        """Apply one update to every parameter in `self.params`, given its gradient."""
        raise NotImplementedError("RMSprop.step: running mean of g^2 (and g), divide, optional momentum")

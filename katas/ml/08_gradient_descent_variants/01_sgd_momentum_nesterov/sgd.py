"""ml-08-1: gradient descent, momentum and Nesterov momentum. Edit this file; `grader check ml-08-1` tests it."""
from __future__ import annotations

import numpy as np


class SGD:
    """Stochastic gradient descent with PyTorch's (heavy-ball) momentum, dampening, L2 weight decay
    and Nesterov momentum: the update rule of torch.optim.SGD, on NumPy arrays.

    For every parameter p with gradient g, one `step`:

        g   <- g + weight_decay * p
        if momentum != 0:
            buf <- g                                        (first step: a copy of g, no dampening)
            buf <- momentum * buf + (1 - dampening) * g     (every later step)
            g   <- g + momentum * buf   if nesterov   else   buf
        p   <- p - lr * g

    Attributes (the tests read them after every step):
        params: list of float64 arrays, your own copies of the arrays passed in, updated by `step`
        lr, momentum, dampening, weight_decay, nesterov: the hyperparameters; a scheduler may
            assign a new `lr` between steps and the next step must use it
        state: one dict per parameter; once momentum is used, state[i]["momentum_buffer"] is
            buf for params[i] (a float64 array of the same shape)

    Shapes:
        params: list of arrays of any shapes
        grads (of `step`): list of arrays, grads[i].shape == params[i].shape

    Raises:
        ValueError: in __init__, if lr, momentum or weight_decay is negative (0 is allowed), and
            if nesterov is set without a positive momentum or with a
            non-zero dampening (PyTorch refuses these too).
    """

    def __init__(self, params: list[np.ndarray], lr: float, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False) -> None:
        raise NotImplementedError("SGD.__init__: validate, copy the params to float64, create one state dict each")

    def step(self, grads: list[np.ndarray]) -> None:
        """Apply one update to every parameter in `self.params`, given its gradient."""
        raise NotImplementedError("SGD.step: weight decay, momentum buffer, Nesterov look-ahead, update")

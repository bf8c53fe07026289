"""ml-08-3: Adam and AdamW with bias correction. Edit this file; `grader check ml-08-3` tests it."""
from __future__ import annotations

import numpy as np


class Adam:
    """Adam with optional L2 weight decay: the update rule of torch.optim.Adam, on NumPy arrays.

    For every parameter p with gradient g, one `step` (exp_avg m and exp_avg_sq v start at zero):

        t     <- t + 1
        g     <- g + weight_decay * p                  (L2: the decay goes through the moments)
        m     <- beta1 * m + (1 - beta1) * g
        v     <- beta2 * v + (1 - beta2) * g * g
        m_hat <- m / (1 - beta1**t)                    (bias correction)
        v_hat <- v / (1 - beta2**t)
        p     <- p - lr * m_hat / (sqrt(v_hat) + eps)

    Attributes (the tests read them after every step):
        params: list of float64 arrays, your own copies of the arrays passed in, updated by `step`
        lr, betas, eps, weight_decay: the hyperparameters (`lr` may be changed between steps)
        state: one dict per parameter with torch's keys: "step" (int t), "exp_avg" (m),
            "exp_avg_sq" (v); arrays float64 with the parameter's shape

    Shapes:
        params: list of arrays of any shapes
        grads (of `step`): list of arrays, grads[i].shape == params[i].shape

    Raises:
        ValueError: in __init__, if lr, eps or weight_decay is negative or a beta is outside
            [0, 1) (0 is allowed). The same for AdamW.
    """

    def __init__(self, params: list[np.ndarray], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        raise NotImplementedError("Adam.__init__: copy the params to float64, store hyperparameters and state")

    def step(self, grads: list[np.ndarray]) -> None:
        """Apply one update to every parameter in `self.params`, given its gradient."""
        raise NotImplementedError("Adam.step: moments, bias correction, update")


class AdamW:
    """Adam with decoupled weight decay (Loshchilov & Hutter): the update rule of torch.optim.AdamW.

    Identical to Adam with weight_decay = 0, except that before the moments are updated the
    parameter itself shrinks:

        p <- p * (1 - lr * weight_decay)

    and the gradient is NOT changed. Same attributes and state keys as Adam; note the different
    default weight_decay (0.01, as in torch). You may subclass Adam.
    """

    def __init__(self, params: list[np.ndarray], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2) -> None:
        raise NotImplementedError("AdamW.__init__: like Adam, default weight_decay=0.01")

    def step(self, grads: list[np.ndarray]) -> None:
        """Apply one update to every parameter in `self.params`, given its gradient."""
        raise NotImplementedError("AdamW.step: shrink p by (1 - lr * wd), then an Adam step without decay")

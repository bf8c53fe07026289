"""Reference solution for ml-08-1."""
from __future__ import annotations

import numpy as np


class SGD:
    """torch.optim.SGD's update rule on NumPy arrays (see the stub for the full contract).

    Raises:
        ValueError: in __init__, if lr, momentum or weight_decay is negative (0 is allowed), and
            if nesterov is set without a positive momentum or with a non-zero dampening.
    """

    def __init__(self, params: list[np.ndarray], lr: float, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False) -> None:
        if lr < 0 or momentum < 0 or weight_decay < 0:
            raise ValueError(f"lr, momentum and weight_decay must be >= 0, got {lr=}, {momentum=}, {weight_decay=}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.params = [np.array(p, dtype=np.float64) for p in params]
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weight_decay = weight_decay
        self.nesterov = nesterov
        self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]

    def step(self, grads: list[np.ndarray]) -> None:
        for p, g, state in zip(self.params, grads, self.state, strict=True):
            d_p = np.asarray(g, dtype=np.float64)
            if self.weight_decay != 0:
                d_p = d_p + self.weight_decay * p
            if self.momentum != 0:
                if "momentum_buffer" not in state:
                    buf = d_p.copy()
                else:
                    buf = self.momentum * state["momentum_buffer"] + (1 - self.dampening) * d_p
                state["momentum_buffer"] = buf
                d_p = d_p + self.momentum * buf if self.nesterov else buf
            p -= self.lr * d_p

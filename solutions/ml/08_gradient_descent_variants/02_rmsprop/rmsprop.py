"""Reference solution for ml-08-2."""
from __future__ import annotations

import numpy as np


class RMSprop:
    """torch.optim.RMSprop's update rule on NumPy arrays (see the stub for the full contract).

    Raises:
        ValueError: in __init__, if lr, eps, momentum or weight_decay is negative or alpha is
            outside [0, 1] (0, and alpha = 1, are allowed).
    """

    def __init__(self, params: list[np.ndarray], lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False) -> None:
        if lr < 0 or eps < 0 or momentum < 0 or weight_decay < 0 or not 0 <= alpha <= 1:
            raise ValueError(f"invalid hyperparameters: {lr=}, {alpha=}, {eps=}, {weight_decay=}, {momentum=}")
        self.params = [np.array(p, dtype=np.float64) for p in params]
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.weight_decay = weight_decay
        self.momentum = momentum
        self.centered = centered
        self.state: list[dict] = [{} for _ in self.params]

    def step(self, grads: list[np.ndarray]) -> None:
        for p, g, state in zip(self.params, grads, self.state, strict=True):
            if not state:
                state["step"] = 0
                state["square_avg"] = np.zeros_like(p)
                if self.momentum > 0:
                    state["momentum_buffer"] = np.zeros_like(p)
                if self.centered:
                    state["grad_avg"] = np.zeros_like(p)
            state["step"] += 1
            g = np.asarray(g, dtype=np.float64)
            if self.weight_decay != 0:
                g = g + self.weight_decay * p
            sq = self.alpha * state["square_avg"] + (1 - self.alpha) * g * g
            state["square_avg"] = sq
            if self.centered:
                ga = self.alpha * state["grad_avg"] + (1 - self.alpha) * g
                state["grad_avg"] = ga
                avg = np.sqrt(sq - ga * ga) + self.eps
            else:
                avg = np.sqrt(sq) + self.eps
            if self.momentum > 0:
                buf = self.momentum * state["momentum_buffer"] + g / avg
                state["momentum_buffer"] = buf
                p -= self.lr * buf
            else:
                p -= self.lr * g / avg

"""Reference solution for ml-08-3."""
from __future__ import annotations

import numpy as np


class Adam:
    """torch.optim.Adam's update rule on NumPy arrays (see the stub for the full contract).

    Raises:
        ValueError: in __init__, if lr, eps or weight_decay is negative or a beta is outside
            [0, 1) (0 is allowed). The same for AdamW.
    """

    decoupled = False  # AdamW sets this: weight decay shrinks p directly instead of entering the gradient

    def __init__(self, params: list[np.ndarray], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        if lr < 0 or eps < 0 or weight_decay < 0 or not all(0 <= b < 1 for b in betas):
            raise ValueError(f"invalid hyperparameters: {lr=}, {betas=}, {eps=}, {weight_decay=}")
        self.params = [np.array(p, dtype=np.float64) for p in params]
        self.lr = lr
        self.betas = tuple(betas)
        self.eps = eps
        self.weight_decay = weight_decay
        self.state: list[dict] = [{} for _ in self.params]

    def step(self, grads: list[np.ndarray]) -> None:
        beta1, beta2 = self.betas
        for p, g, state in zip(self.params, grads, self.state, strict=True):
            if not state:
                state["step"] = 0
                state["exp_avg"] = np.zeros_like(p)
                state["exp_avg_sq"] = np.zeros_like(p)
            state["step"] += 1
            t = state["step"]
            g = np.asarray(g, dtype=np.float64)
            if self.weight_decay != 0:
                if self.decoupled:
                    p *= 1 - self.lr * self.weight_decay
                else:
                    g = g + self.weight_decay * p
            m = beta1 * state["exp_avg"] + (1 - beta1) * g
            v = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
            state["exp_avg"], state["exp_avg_sq"] = m, v
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    decoupled = True

    def __init__(self, params: list[np.ndarray], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)

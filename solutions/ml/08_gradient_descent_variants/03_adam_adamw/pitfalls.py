"""Plausible wrong versions of Adam/AdamW that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from adam import Adam


def _variant(self: Adam, grads: list[np.ndarray], *, bias_correction: bool = True, eps_mode: str = "outside",
             decay: str = "torch") -> None:
    beta1, beta2 = self.betas
    for p, g, state in zip(self.params, grads, self.state, strict=True):
        if not state:
            state.update(step=0, exp_avg=np.zeros_like(p), exp_avg_sq=np.zeros_like(p))
        state["step"] += 1
        t = state["step"]
        g = np.asarray(g, dtype=np.float64)
        if self.weight_decay != 0:
            if not self.decoupled or decay == "coupled":
                g = g + self.weight_decay * p
            elif decay == "torch":
                p *= 1 - self.lr * self.weight_decay
            elif decay == "no_lr":
                p *= 1 - self.weight_decay
        m = beta1 * state["exp_avg"] + (1 - beta1) * g
        v = beta2 * state["exp_avg_sq"] + (1 - beta2) * g * g
        state["exp_avg"], state["exp_avg_sq"] = m, v
        bc1, bc2 = (1 - beta1**t, 1 - beta2**t) if bias_correction else (1.0, 1.0)
        if eps_mode == "outside":
            upd = (m / bc1) / (np.sqrt(v / bc2) + self.eps)
        elif eps_mode == "inside":
            upd = (m / bc1) / np.sqrt(v / bc2 + self.eps)
        else:  # eps added to sqrt(v) before dividing by sqrt(bc2)
            upd = (m / bc1) / ((np.sqrt(v) + self.eps) / np.sqrt(bc2))
        if self.decoupled and self.weight_decay != 0 and decay == "after":
            p -= self.lr * upd
            p *= 1 - self.lr * self.weight_decay
        else:
            p -= self.lr * upd


@pitfall(replaces="Adam.step", why="no bias correction: m and v used as they are, so early steps are mis-sized")
def no_bias_correction(self: Adam, grads: list[np.ndarray]) -> None:
    _variant(self, grads, bias_correction=False)


@pitfall(replaces="Adam.step", why="eps inside the square root: sqrt(v_hat + eps)")
def eps_inside_sqrt(self: Adam, grads: list[np.ndarray]) -> None:
    _variant(self, grads, eps_mode="inside")


@pitfall(replaces="Adam.step", why="eps added to sqrt(v) before the bias correction of v")
def eps_before_bias_correction(self: Adam, grads: list[np.ndarray]) -> None:
    _variant(self, grads, eps_mode="early")


@pitfall(replaces="Adam.step", why="AdamW's decay folded into the gradient (that is Adam + L2, not AdamW)")
def adamw_as_l2(self: Adam, grads: list[np.ndarray]) -> None:
    _variant(self, grads, decay="coupled")


@pitfall(replaces="Adam.step", why="AdamW shrinks p by (1 - wd) instead of (1 - lr * wd)")
def adamw_decay_without_lr(self: Adam, grads: list[np.ndarray]) -> None:
    _variant(self, grads, decay="no_lr")


@pitfall(replaces="Adam.step", why="AdamW decays the parameter after the Adam update instead of before")
def adamw_decay_after_update(self: Adam, grads: list[np.ndarray]) -> None:
    _variant(self, grads, decay="after")


@pitfall(replaces="Adam.__init__", why="keeps the caller's arrays (np.asarray, no copy): every step changes the parameters the caller passed in")
def keeps_caller_arrays(self: Adam, params: list[np.ndarray], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
             eps: float = 1e-8, weight_decay: float = 0.0) -> None:
    if lr < 0 or eps < 0 or weight_decay < 0 or not all(0 <= b < 1 for b in betas):
        raise ValueError(f"invalid hyperparameters: {lr=}, {betas=}, {eps=}, {weight_decay=}")
    self.params = [np.asarray(p) for p in params]  # no copy: step's p -= ... updates the caller's arrays
    self.lr = lr
    self.betas = tuple(betas)
    self.eps = eps
    self.weight_decay = weight_decay
    self.state: list[dict] = [{} for _ in self.params]


@pitfall(replaces="Adam.__init__", why="copies the parameters but keeps their dtype: float32 input is optimised (and returned) in float32")
def keeps_float32(self: Adam, params: list[np.ndarray], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
             eps: float = 1e-8, weight_decay: float = 0.0) -> None:
    if lr < 0 or eps < 0 or weight_decay < 0 or not all(0 <= b < 1 for b in betas):
        raise ValueError(f"invalid hyperparameters: {lr=}, {betas=}, {eps=}, {weight_decay=}")
    self.params = [np.array(p) for p in params]  # a copy, but in the caller's dtype
    self.lr = lr
    self.betas = tuple(betas)
    self.eps = eps
    self.weight_decay = weight_decay
    self.state: list[dict] = [{} for _ in self.params]

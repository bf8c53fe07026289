"""Plausible wrong versions of RMSprop.step that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from rmsprop import RMSprop


def _variant(self: RMSprop, grads: list[np.ndarray], *, eps_inside: bool = False, init_with_g2: bool = False,
             uncentered_denominator: bool = False, swapped_alpha: bool = False, lr_in_buffer: bool = False) -> None:
    a = 1 - self.alpha if swapped_alpha else self.alpha
    for p, g, state in zip(self.params, grads, self.state, strict=True):
        g = np.asarray(g, dtype=np.float64) + self.weight_decay * p
        first = not state
        if first:
            state["step"] = 0
            state["square_avg"] = g * g if init_with_g2 else np.zeros_like(p)
            if self.momentum > 0:
                state["momentum_buffer"] = np.zeros_like(p)
            if self.centered:
                state["grad_avg"] = np.zeros_like(p)
        state["step"] += 1
        sq = state["square_avg"] if (first and init_with_g2) else a * state["square_avg"] + (1 - a) * g * g
        state["square_avg"] = sq
        var = sq
        if self.centered:
            ga = a * state["grad_avg"] + (1 - a) * g
            state["grad_avg"] = ga
            if not uncentered_denominator:
                var = sq - ga * ga
        avg = np.sqrt(var + self.eps) if eps_inside else np.sqrt(var) + self.eps
        if self.momentum > 0:
            buf = self.momentum * state["momentum_buffer"] + (self.lr if lr_in_buffer else 1.0) * g / avg
            state["momentum_buffer"] = buf
            p -= buf if lr_in_buffer else self.lr * buf
        else:
            p -= self.lr * g / avg


@pitfall(replaces="RMSprop.step", why="eps inside the square root: sqrt(v + eps) instead of sqrt(v) + eps")
def eps_inside_sqrt(self: RMSprop, grads: list[np.ndarray]) -> None:
    _variant(self, grads, eps_inside=True)


@pitfall(replaces="RMSprop.step", why="square_avg starts at g^2 instead of 0")
def square_avg_starts_at_g2(self: RMSprop, grads: list[np.ndarray]) -> None:
    _variant(self, grads, init_with_g2=True)


@pitfall(replaces="RMSprop.step", why="centered=True tracks grad_avg but never subtracts grad_avg^2")
def centered_not_subtracted(self: RMSprop, grads: list[np.ndarray]) -> None:
    _variant(self, grads, uncentered_denominator=True)


@pitfall(replaces="RMSprop.step", why="alpha and 1 - alpha swapped in the running average")
def alpha_swapped(self: RMSprop, grads: list[np.ndarray]) -> None:
    _variant(self, grads, swapped_alpha=True)


@pitfall(replaces="RMSprop.step", why="lr folded into the momentum buffer")
def lr_in_momentum_buffer(self: RMSprop, grads: list[np.ndarray]) -> None:
    _variant(self, grads, lr_in_buffer=True)


@pitfall(replaces="RMSprop.__init__", why="keeps the caller's arrays (np.asarray, no copy): every step changes the parameters the caller passed in")
def keeps_caller_arrays(self: RMSprop, params: list[np.ndarray], lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8,
             weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False) -> None:
    if lr < 0 or eps < 0 or momentum < 0 or weight_decay < 0 or not 0 <= alpha <= 1:
        raise ValueError(f"invalid hyperparameters: {lr=}, {alpha=}, {eps=}, {weight_decay=}, {momentum=}")
    self.params = [np.asarray(p) for p in params]  # no copy: step's p -= ... updates the caller's arrays
    self.lr = lr
    self.alpha = alpha
    self.eps = eps
    self.weight_decay = weight_decay
    self.momentum = momentum
    self.centered = centered
    self.state: list[dict] = [{} for _ in self.params]


@pitfall(replaces="RMSprop.__init__", why="copies the parameters but keeps their dtype: float32 input is optimised (and returned) in float32")
def keeps_float32(self: RMSprop, params: list[np.ndarray], lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8,
             weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False) -> None:
    if lr < 0 or eps < 0 or momentum < 0 or weight_decay < 0 or not 0 <= alpha <= 1:
        raise ValueError(f"invalid hyperparameters: {lr=}, {alpha=}, {eps=}, {weight_decay=}, {momentum=}")
    self.params = [np.array(p) for p in params]  # a copy, but in the caller's dtype
    self.lr = lr
    self.alpha = alpha
    self.eps = eps
    self.weight_decay = weight_decay
    self.momentum = momentum
    self.centered = centered
    self.state: list[dict] = [{} for _ in self.params]

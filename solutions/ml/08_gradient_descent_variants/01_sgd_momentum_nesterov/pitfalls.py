"""Plausible wrong versions of SGD.step that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from sgd import SGD


@pitfall(replaces="SGD.step", why="momentum buffer starts at zero, so the first step is damped by (1 - dampening)")
def zero_initial_buffer(self: SGD, grads: list[np.ndarray]) -> None:
    for p, g, state in zip(self.params, grads, self.state, strict=True):
        d_p = np.asarray(g, dtype=np.float64) + self.weight_decay * p
        if self.momentum != 0:
            buf = self.momentum * state.get("momentum_buffer", np.zeros_like(p)) + (1 - self.dampening) * d_p
            state["momentum_buffer"] = buf
            d_p = d_p + self.momentum * buf if self.nesterov else buf
        p -= self.lr * d_p


@pitfall(replaces="SGD.step", why="Sutskever's form v = m v + lr g; p -= v: lr inside the buffer")
def lr_inside_buffer(self: SGD, grads: list[np.ndarray]) -> None:
    for p, g, state in zip(self.params, grads, self.state, strict=True):
        d_p = self.lr * (np.asarray(g, dtype=np.float64) + self.weight_decay * p)
        if self.momentum != 0:
            if "momentum_buffer" not in state:
                buf = d_p.copy()
            else:
                buf = self.momentum * state["momentum_buffer"] + (1 - self.dampening) * d_p
            state["momentum_buffer"] = buf
            d_p = d_p + self.momentum * buf if self.nesterov else buf
        p -= d_p


@pitfall(replaces="SGD.step", why="Nesterov look-ahead uses the previous buffer instead of the updated one")
def nesterov_old_buffer(self: SGD, grads: list[np.ndarray]) -> None:
    for p, g, state in zip(self.params, grads, self.state, strict=True):
        d_p = np.asarray(g, dtype=np.float64) + self.weight_decay * p
        if self.momentum != 0:
            old = state.get("momentum_buffer", np.zeros_like(p))
            buf = d_p.copy() if "momentum_buffer" not in state else self.momentum * old + (1 - self.dampening) * d_p
            state["momentum_buffer"] = buf
            d_p = d_p + self.momentum * old if self.nesterov else buf
        p -= self.lr * d_p


@pitfall(replaces="SGD.step", why="weight decay applied to the parameter directly, not added to the gradient")
def decay_outside_momentum(self: SGD, grads: list[np.ndarray]) -> None:
    for p, g, state in zip(self.params, grads, self.state, strict=True):
        d_p = np.asarray(g, dtype=np.float64)
        if self.momentum != 0:
            if "momentum_buffer" not in state:
                buf = d_p.copy()
            else:
                buf = self.momentum * state["momentum_buffer"] + (1 - self.dampening) * d_p
            state["momentum_buffer"] = buf
            d_p = d_p + self.momentum * buf if self.nesterov else buf
        p -= self.lr * (d_p + self.weight_decay * p)


@pitfall(replaces="SGD.step", why="dampening applied as dampening * g instead of (1 - dampening) * g")
def dampening_reversed(self: SGD, grads: list[np.ndarray]) -> None:
    for p, g, state in zip(self.params, grads, self.state, strict=True):
        d_p = np.asarray(g, dtype=np.float64) + self.weight_decay * p
        if self.momentum != 0:
            if "momentum_buffer" not in state:
                buf = d_p.copy()
            else:
                buf = self.momentum * state["momentum_buffer"] + self.dampening * d_p
            state["momentum_buffer"] = buf
            d_p = d_p + self.momentum * buf if self.nesterov else buf
        p -= self.lr * d_p


@pitfall(replaces="SGD.__init__", why="keeps the caller's arrays (np.asarray, no copy): every step changes the parameters the caller passed in")
def keeps_caller_arrays(self: SGD, params: list[np.ndarray], lr: float, momentum: float = 0.0, dampening: float = 0.0,
             weight_decay: float = 0.0, nesterov: bool = False) -> None:
    if lr < 0 or momentum < 0 or weight_decay < 0:
        raise ValueError(f"lr, momentum and weight_decay must be >= 0, got {lr=}, {momentum=}, {weight_decay=}")
    if nesterov and (momentum <= 0 or dampening != 0):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")
    self.params = [np.asarray(p) for p in params]  # no copy: step's p -= ... updates the caller's arrays
    self.lr = lr
    self.momentum = momentum
    self.dampening = dampening
    self.weight_decay = weight_decay
    self.nesterov = nesterov
    self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]


@pitfall(replaces="SGD.__init__", why="copies the parameters but keeps their dtype: float32 input is optimised (and returned) in float32")
def keeps_float32(self: SGD, params: list[np.ndarray], lr: float, momentum: float = 0.0, dampening: float = 0.0,
             weight_decay: float = 0.0, nesterov: bool = False) -> None:
    if lr < 0 or momentum < 0 or weight_decay < 0:
        raise ValueError(f"lr, momentum and weight_decay must be >= 0, got {lr=}, {momentum=}, {weight_decay=}")
    if nesterov and (momentum <= 0 or dampening != 0):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")
    self.params = [np.array(p) for p in params]  # a copy, but in the caller's dtype
    self.lr = lr
    self.momentum = momentum
    self.dampening = dampening
    self.weight_decay = weight_decay
    self.nesterov = nesterov
    self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]


@pitfall(replaces="SGD.step", why="adds the weight decay into the caller's gradient in place (d_p = g; d_p += wd * p)")
def decay_into_caller_gradient(self: SGD, grads: list[np.ndarray]) -> None:
    for p, g, state in zip(self.params, grads, self.state, strict=True):
        d_p = np.asarray(g)
        if self.weight_decay != 0:
            d_p += self.weight_decay * p
        if self.momentum != 0:
            if "momentum_buffer" not in state:
                buf = d_p.copy()
            else:
                buf = self.momentum * state["momentum_buffer"] + (1 - self.dampening) * d_p
            state["momentum_buffer"] = buf
            d_p = d_p + self.momentum * buf if self.nesterov else buf
        p -= self.lr * d_p


@pitfall(replaces="SGD.step", why="rebinds self.params[i] to a new array instead of updating it in place")
def rebinds_params(self: SGD, grads: list[np.ndarray]) -> None:
    for i, (p, g, state) in enumerate(zip(self.params, grads, self.state, strict=True)):
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
        self.params[i] = p - self.lr * d_p  # a new array: the same values, but not in place

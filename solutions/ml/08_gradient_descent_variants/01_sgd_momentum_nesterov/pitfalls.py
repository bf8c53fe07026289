"""Plausible wrong versions of SGD.step that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


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

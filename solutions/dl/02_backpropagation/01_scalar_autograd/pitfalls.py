"""Plausible wrong autograd engines that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from engine import Value, _as_value


@pitfall(replaces="Value.__mul__", why="assigns the operand gradients (=) instead of accumulating (+=): x * x and reused nodes lose contributions")
def mul_assigns(self: Value, other: Value | float) -> Value:
    other = _as_value(other)
    out = Value(self.data * other.data, (self, other), "*")

    def _backward() -> None:
        self.grad = other.data * out.grad
        other.grad = self.data * out.grad

    out._backward = _backward
    return out


@pitfall(replaces="Value.backward", why="no topological sort: calls _backward depth-first from the output, so a node can propagate before all its users have")
def depth_first_backward(self: Value) -> None:
    self.grad = 1.0
    seen: set[int] = set()

    def visit(node: Value) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        node._backward()
        for child in node._prev:
            visit(child)

    visit(self)


@pitfall(replaces="Value.backward", why="topological sort without a visited set: a shared node's _backward runs once per path")
def no_visited_set(self: Value) -> None:
    order: list[Value] = []

    def build(node: Value) -> None:
        for child in node._prev:
            build(child)
        order.append(node)

    build(self)
    self.grad = 1.0
    for node in reversed(order):
        node._backward()


@pitfall(replaces="Value.relu", why="relu'(0) = 1 (x >= 0)")
def relu_grad_at_zero(self: Value) -> Value:
    return self._unary(max(self.data, 0.0), 1.0 if self.data >= 0 else 0.0, "relu")


@pitfall(replaces="Value.__pow__", why="d/dx xⁿ = n xⁿ (forgot the − 1 in the exponent)")
def pow_missing_minus_one(self: Value, exponent: float) -> Value:
    out = Value(self.data ** exponent, (self,), f"**{exponent}")

    def _backward() -> None:
        self.grad += exponent * self.data ** exponent * out.grad

    out._backward = _backward
    return out


@pitfall(replaces="Value.__rsub__", why="c - x computed as x - c (reflected operand order ignored)")
def rsub_wrong_order(self: Value, other: float) -> Value:
    return self - other


@pitfall(replaces="Value.__rtruediv__", why="c / x computed as x / c (reflected operand order ignored)")
def rdiv_wrong_order(self: Value, other: float) -> Value:
    return self / other


@pitfall(replaces="Value.tanh", why="tanh' written as 1 − x² with the input x instead of the output t")
def tanh_grad_of_input(self: Value) -> Value:
    return self._unary(math.tanh(self.data), 1.0 - self.data * self.data, "tanh")


@pitfall(replaces="Value.log", why="d log x = 1 / x² (confused with the derivative of 1/x)")
def log_wrong_grad(self: Value) -> Value:
    return self._unary(math.log(self.data), 1.0 / self.data ** 2, "log")


@pitfall(replaces="Value.sigmoid", why="σ' = σ (forgot the (1 − σ) factor)")
def sigmoid_wrong_grad(self: Value) -> Value:
    s = 1.0 / (1.0 + math.exp(-self.data))
    return self._unary(s, s, "sigmoid")

"""dl-02-1: a scalar reverse-mode autograd engine. Edit this file; `grader check dl-02-1` tests it.

Every operation returns a new Value that remembers its operands (`_prev`) and a closure
(`_backward`) that, given `out.grad`, adds each operand's share into the operand's `.grad`.
`backward()` then runs those closures in reverse topological order.
"""
from __future__ import annotations

import math  # noqa: F401  (you will need exp, log and tanh)
from collections.abc import Callable


class Value:
    """A scalar in a computation graph.

    Attributes:
        data: the float value.
        grad: ∂(the output backward() was called on)/∂(this value); 0.0 until backward() runs.

    Operands may be Values or Python numbers, on either side: x + 1, 2 * x, 1 - x, 1 / x, -x, x ** 3.
    """

    def __init__(self, data: float, _prev: tuple[Value, ...] = (), _op: str = "") -> None:
        """Given."""
        self.data = float(data)
        self.grad = 0.0
        self._prev = _prev
        self._op = _op
        self._backward: Callable[[], None] = lambda: None

    def __repr__(self) -> str:
        """Given."""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}, op={self._op!r})"

    def __add__(self, other: Value | float) -> Value:
        raise NotImplementedError("Value.__add__: out = a + b; both operands get out.grad")

    def __radd__(self, other: float) -> Value:
        raise NotImplementedError("Value.__radd__: other + self")

    def __mul__(self, other: Value | float) -> Value:
        raise NotImplementedError("Value.__mul__: out = a * b; a gets b * out.grad, b gets a * out.grad")

    def __rmul__(self, other: float) -> Value:
        raise NotImplementedError("Value.__rmul__: other * self")

    def __neg__(self) -> Value:
        raise NotImplementedError("Value.__neg__: -self")

    def __sub__(self, other: Value | float) -> Value:
        raise NotImplementedError("Value.__sub__: self - other")

    def __rsub__(self, other: float) -> Value:
        raise NotImplementedError("Value.__rsub__: other - self (note the order)")

    def __pow__(self, exponent: float) -> Value:
        """self ** exponent for a Python number exponent (d/dx xⁿ = n xⁿ⁻¹)."""
        raise NotImplementedError("Value.__pow__: a number exponent only")

    def __truediv__(self, other: Value | float) -> Value:
        raise NotImplementedError("Value.__truediv__: self / other")

    def __rtruediv__(self, other: float) -> Value:
        raise NotImplementedError("Value.__rtruediv__: other / self (note the order)")

    def exp(self) -> Value:
        raise NotImplementedError("Value.exp")

    def log(self) -> Value:
        """Natural logarithm (self.data > 0)."""
        raise NotImplementedError("Value.log")

    def tanh(self) -> Value:
        raise NotImplementedError("Value.tanh")

    def relu(self) -> Value:
        """max(x, 0), with derivative 0 at exactly x = 0 (as torch)."""
        raise NotImplementedError("Value.relu")

    def sigmoid(self) -> Value:
        raise NotImplementedError("Value.sigmoid")

    def backward(self) -> None:
        """Set self.grad = 1 and fill in .grad of every Value this one depends on.

        Each node's _backward runs once, after every node that uses it has run (reverse topological
        order), so a value used several times (x * x, shared subexpressions) collects every
        contribution. Call it once, on a graph of fresh Values.
        """
        raise NotImplementedError("Value.backward: topological order, then _backward in reverse")

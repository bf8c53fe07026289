"""Plausible wrong Taylor polynomials and remainder bounds that the tests must reject."""
from __future__ import annotations

import math

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="taylor_polynomial", why="forgets the 1/k!: uses f^(k)(a) (x − a)^k")
def no_factorial(derivs: np.ndarray, a: float, x: np.ndarray) -> np.ndarray:
    derivs = np.asarray(derivs, dtype=np.float64)
    if derivs.ndim != 1 or len(derivs) == 0:
        raise ValueError("derivs")
    dx = np.asarray(x, dtype=np.float64) - a
    return sum(derivs[k] * dx**k for k in range(len(derivs))) + np.zeros_like(dx)


@pitfall(replaces="taylor_polynomial", why="powers of x instead of x − a (right only about a = 0)")
def powers_of_x(derivs: np.ndarray, a: float, x: np.ndarray) -> np.ndarray:
    derivs = np.asarray(derivs, dtype=np.float64)
    if derivs.ndim != 1 or len(derivs) == 0:
        raise ValueError("derivs")
    x = np.asarray(x, dtype=np.float64)
    return sum(derivs[k] * x**k / math.factorial(k) for k in range(len(derivs))) + np.zeros_like(x)


@pitfall(replaces="taylor_polynomial", why="range(n) instead of range(n + 1): drops the highest-order term")
def drops_last_term(derivs: np.ndarray, a: float, x: np.ndarray) -> np.ndarray:
    derivs = np.asarray(derivs, dtype=np.float64)
    if derivs.ndim != 1 or len(derivs) == 0:
        raise ValueError("derivs")
    dx = np.asarray(x, dtype=np.float64) - a
    return sum(derivs[k] * dx**k / math.factorial(k) for k in range(len(derivs) - 1)) + np.zeros_like(dx)


@pitfall(replaces="remainder_bound", why="divides by n! instead of (n + 1)!")
def bound_n_factorial(M: float, a: float, x: np.ndarray, n: int) -> np.ndarray:
    if n < 0 or M < 0:
        raise ValueError("n, M")
    return M * np.abs(np.asarray(x, dtype=np.float64) - a) ** (n + 1) / math.factorial(n)


@pitfall(replaces="remainder_bound", why="power |x − a|^n instead of |x − a|^(n + 1)")
def bound_power_n(M: float, a: float, x: np.ndarray, n: int) -> np.ndarray:
    if n < 0 or M < 0:
        raise ValueError("n, M")
    return M * np.abs(np.asarray(x, dtype=np.float64) - a) ** n / math.factorial(n + 1)


@pitfall(replaces="terms_needed", why="strict < tol: a bound exactly equal to tol is rejected")
def terms_strict(M: float, r: float, tol: float, max_n: int = 100) -> int:
    if M < 0 or r < 0 or tol <= 0:
        raise ValueError("args")
    for n in range(max_n + 1):
        if M * r ** (n + 1) / math.factorial(n + 1) < tol:
            return n
    raise ValueError("max_n")


@pitfall(replaces="terms_needed", why="returns the number of terms n + 1 instead of the order n")
def terms_count(M: float, r: float, tol: float, max_n: int = 100) -> int:
    if M < 0 or r < 0 or tol <= 0:
        raise ValueError("args")
    for n in range(max_n + 1):
        if M * r ** (n + 1) / math.factorial(n + 1) <= tol:
            return n + 1
    raise ValueError("max_n")

"""Plausible wrong Newton and BFGS implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from newton_bfgs import Fn, Grad, backtrack, bfgs

bfgs_reference = bfgs  # the solution's version, bound before a pitfall replaces it


@pitfall(replaces="newton", why="p = −H g: multiplies by the Hessian instead of solving with it")
def newton_times_hessian(f: Fn, grad: Grad, hess: Callable[[np.ndarray], np.ndarray], x0: np.ndarray,
                         tol: float = 1e-10, max_iter: int = 100) -> tuple[np.ndarray, int, bool]:
    x = np.array(x0, dtype=np.float64)
    for k in range(max_iter):
        g = grad(x)
        if np.linalg.norm(g) <= tol:
            return x, k, True
        p = -hess(x) @ g
        if g @ p >= 0:
            p = -g
        x = x + backtrack(f, x, f(x), g, p) * p
    return x, max_iter, bool(np.linalg.norm(grad(x)) <= tol)


@pitfall(replaces="newton", why="no descent check: follows the Newton step uphill where the Hessian is indefinite")
def newton_no_fallback(f: Fn, grad: Grad, hess: Callable[[np.ndarray], np.ndarray], x0: np.ndarray,
                       tol: float = 1e-10, max_iter: int = 100) -> tuple[np.ndarray, int, bool]:
    x = np.array(x0, dtype=np.float64)
    for k in range(max_iter):
        g = grad(x)
        if np.linalg.norm(g) <= tol:
            return x, k, True
        x = x - np.linalg.solve(hess(x), g)
    return x, max_iter, bool(np.linalg.norm(grad(x)) <= tol)


@pitfall(replaces="bfgs", why="never updates H: steepest descent with a line search, far more iterations")
def bfgs_no_update(f: Fn, grad: Grad, x0: np.ndarray, tol: float = 1e-8, max_iter: int = 1000) -> tuple[np.ndarray, int, bool]:
    x = np.array(x0, dtype=np.float64)
    for k in range(max_iter):
        g = grad(x)
        if np.linalg.norm(g) <= tol:
            return x, k, True
        x = x + backtrack(f, x, f(x), g, -g) * -g
    return x, max_iter, bool(np.linalg.norm(grad(x)) <= tol)


@pitfall(replaces="bfgs", why="the update with s and y swapped (the DFP formula for the Hessian, used as its inverse)")
def bfgs_swapped(f: Fn, grad: Grad, x0: np.ndarray, tol: float = 1e-8, max_iter: int = 1000) -> tuple[np.ndarray, int, bool]:
    x = np.array(x0, dtype=np.float64)
    n, H, g = len(x), np.eye(len(x)), grad(x)
    for k in range(max_iter):
        if np.linalg.norm(g) <= tol:
            return x, k, True
        p = -H @ g
        if g @ p >= 0:
            H, p = np.eye(n), -g
        s = backtrack(f, x, f(x), g, p) * p
        g_new = grad(x + s)
        y = g_new - g
        if s @ y > 1e-12:
            rho = 1.0 / (s @ y)
            V = np.eye(n) - rho * np.outer(y, s)
            H = V @ H @ V.T + rho * np.outer(y, y)
        x, g = x + s, g_new
    return x, max_iter, bool(np.linalg.norm(g) <= tol)


@pitfall(replaces="bfgs", why="counts iterations from 1: reports one more than were taken")
def bfgs_count_from_one(f: Fn, grad: Grad, x0: np.ndarray, tol: float = 1e-8, max_iter: int = 1000) -> tuple[np.ndarray, int, bool]:
    x, k, ok = bfgs_reference(f, grad, x0, tol, max_iter)
    return x, k + 1, ok

"""Plausible wrong versions of the Gaussian-elimination solver that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gauss import PIVOT_RTOL, solve

_solve_reference = solve  # the solution's solve, bound before a pitfall replaces it


def _checked(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    A, b = np.asarray(A), np.asarray(b)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0 or b.ndim not in (1, 2) or b.shape[0] != A.shape[0]:
        raise ValueError("bad shapes")
    return np.array(A, dtype=np.float64), np.array(b, dtype=np.float64).reshape(A.shape[0], -1), A.shape[0]


def _back_substitute(U: np.ndarray, y: np.ndarray) -> np.ndarray:
    x = np.empty_like(y)
    for i in range(U.shape[0] - 1, -1, -1):
        x[i] = (y[i] - U[i, i + 1:] @ x[i + 1:]) / U[i, i]
    return x


@pitfall(replaces="solve", why="no pivoting: divides by the diagonal entry even when it is 0 or 1e-20")
def no_pivoting(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    U, y, n = _checked(A, b)
    tol = PIVOT_RTOL * float(np.max(np.abs(U)))
    for j in range(n):
        if abs(U[j:, j]).max() <= tol:
            raise np.linalg.LinAlgError("singular")
        with np.errstate(divide="ignore", invalid="ignore"):
            f = U[j + 1:, j] / U[j, j]
            U[j + 1:, j:] -= np.outer(f, U[j, j:])
            y[j + 1:] -= np.outer(f, y[j])
    with np.errstate(divide="ignore", invalid="ignore"):
        return _back_substitute(U, y).reshape(np.shape(b))


@pitfall(replaces="solve", why="swaps the rows of A but not the entries of b")
def rhs_not_swapped(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    U, y, n = _checked(A, b)
    tol = PIVOT_RTOL * float(np.max(np.abs(U)))
    for j in range(n):
        p = j + int(np.argmax(np.abs(U[j:, j])))
        if abs(U[p, j]) <= tol:
            raise np.linalg.LinAlgError("singular")
        U[[j, p]] = U[[p, j]]
        f = U[j + 1:, j] / U[j, j]
        U[j + 1:, j:] -= np.outer(f, U[j, j:])
        y[j + 1:] -= np.outer(f, y[j])
    return _back_substitute(U, y).reshape(np.shape(b))


@pitfall(replaces="solve", why="singular test with an absolute tolerance (|pivot| <= 1e-12), not relative to max|A|")
def absolute_tolerance(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    U, y, n = _checked(A, b)
    for j in range(n):
        p = j + int(np.argmax(np.abs(U[j:, j])))
        if abs(U[p, j]) <= PIVOT_RTOL:
            raise np.linalg.LinAlgError("singular")
        U[[j, p]] = U[[p, j]]
        y[[j, p]] = y[[p, j]]
        f = U[j + 1:, j] / U[j, j]
        U[j + 1:, j:] -= np.outer(f, U[j, j:])
        y[j + 1:] -= np.outer(f, y[j])
    return _back_substitute(U, y).reshape(np.shape(b))


@pitfall(replaces="solve", why="only an exactly-zero pivot counts as singular: rank-deficient matrices give garbage")
def exact_zero_test(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    U, y, n = _checked(A, b)
    for j in range(n):
        p = j + int(np.argmax(np.abs(U[j:, j])))
        if U[p, j] == 0.0:
            raise np.linalg.LinAlgError("singular")
        U[[j, p]] = U[[p, j]]
        y[[j, p]] = y[[p, j]]
        f = U[j + 1:, j] / U[j, j]
        U[j + 1:, j:] -= np.outer(f, U[j, j:])
        y[j + 1:] -= np.outer(f, y[j])
    return _back_substitute(U, y).reshape(np.shape(b))


@pitfall(replaces="solve", why="strict < in the singular test: a pivot exactly at the threshold is accepted")
def strict_threshold(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    U, y, n = _checked(A, b)
    tol = PIVOT_RTOL * float(np.max(np.abs(U)))
    for j in range(n):
        p = j + int(np.argmax(np.abs(U[j:, j])))
        if abs(U[p, j]) < tol or U[p, j] == 0.0:
            raise np.linalg.LinAlgError("singular")
        U[[j, p]] = U[[p, j]]
        y[[j, p]] = y[[p, j]]
        f = U[j + 1:, j] / U[j, j]
        U[j + 1:, j:] -= np.outer(f, U[j, j:])
        y[j + 1:] -= np.outer(f, y[j])
    return _back_substitute(U, y).reshape(np.shape(b))


@pitfall(replaces="solve", why="eliminates in the caller's A and b (np.asarray, no copy) when they are already float64")
def in_place(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    A, b = np.asarray(A), np.asarray(b)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or b.ndim not in (1, 2) or b.shape[0] != A.shape[0]:
        raise ValueError("bad shapes")
    U, y = A.astype(np.float64, copy=False), b.astype(np.float64, copy=False).reshape(A.shape[0], -1)
    n = A.shape[0]
    tol = PIVOT_RTOL * float(np.max(np.abs(U)))
    for j in range(n):
        p = j + int(np.argmax(np.abs(U[j:, j])))
        if abs(U[p, j]) <= tol:
            raise np.linalg.LinAlgError("singular")
        U[[j, p]] = U[[p, j]]
        y[[j, p]] = y[[p, j]]
        f = U[j + 1:, j] / U[j, j]
        U[j + 1:, j:] -= np.outer(f, U[j, j:])
        y[j + 1:] -= np.outer(f, y[j])
    return _back_substitute(U, y).reshape(b.shape)


@pitfall(replaces="solve", why="returns A's dtype: float32 inputs give a float32 answer that has lost half the digits")
def keeps_input_dtype(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _solve_reference(A, b).astype(np.result_type(A, b))


@pitfall(replaces="inverse", why="stacks the solved columns as rows: returns inv(A) transposed")
def inverse_transposed(A: np.ndarray) -> np.ndarray:
    A = np.asarray(A)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError("not square")
    return np.array([solve(A, e) for e in np.eye(A.shape[0])])

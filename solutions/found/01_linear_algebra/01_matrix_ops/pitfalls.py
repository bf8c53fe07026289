"""Plausible wrong versions of the from-scratch matrix operations that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="matmul", why="the result array is np.zeros((n, p)) without dtype=: float32 inputs give float64")
def matmul_always_float64(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError("shape mismatch")
    C = np.zeros((A.shape[0], B.shape[1]))
    for i in range(A.shape[0]):
        for j in range(B.shape[1]):
            for k in range(A.shape[1]):
                C[i, j] += A[i, k] * B[k, j]
    return C


@pitfall(replaces="matmul", why="C[i, j] = A[i, k] * B[k, j] instead of +=: only the last term of each sum survives")
def matmul_assigns_instead_of_accumulating(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError("shape mismatch")
    C = np.zeros((A.shape[0], B.shape[1]), dtype=A.dtype)
    for i in range(A.shape[0]):
        for j in range(B.shape[1]):
            for k in range(A.shape[1]):
                C[i, j] = A[i, k] * B[k, j]
    return C


@pitfall(replaces="matmul", why="no shape check: zip() silently truncates the longer of the row and the column")
def matmul_no_shape_check(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    A2, B2 = np.atleast_2d(A), np.atleast_2d(B)
    C = np.zeros((A2.shape[0], B2.shape[-1]), dtype=A.dtype)
    for i in range(A2.shape[0]):
        for j in range(B2.shape[-1]):
            C[i, j] = sum(a * b for a, b in zip(A2[i], B2[:, j], strict=False))
    return C


@pitfall(replaces="transpose", why="returns A.T, a view: writing into the result writes into A")
def transpose_view(A: np.ndarray) -> np.ndarray:
    return A.T


@pitfall(replaces="trace", why="sums A[i, i] for i < min(n, m) and never checks that A is square")
def trace_of_rectangle(A: np.ndarray) -> float:
    return float(sum(float(A[i, i]) for i in range(min(A.shape))))


@pitfall(replaces="det", why="swaps rows but forgets that each swap flips the sign of the determinant")
def det_no_sign_flip(A: np.ndarray) -> float:
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError("not square")
    U = np.array(A, dtype=np.float64, copy=True)
    n = U.shape[0]
    for j in range(n):
        p = j + int(np.argmax(np.abs(U[j:, j])))
        if U[p, j] == 0.0:
            return 0.0
        U[[j, p]] = U[[p, j]]
        for i in range(j + 1, n):
            U[i, j:] -= U[i, j] / U[j, j] * U[j, j:]
    return float(np.prod(np.diag(U)))


@pitfall(replaces="det", why="no pivoting: divides by whatever sits on the diagonal, 0 included")
def det_no_pivoting(A: np.ndarray) -> float:
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError("not square")
    U = np.array(A, dtype=np.float64, copy=True)
    n = U.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in range(n):
            for i in range(j + 1, n):
                U[i, j:] -= U[i, j] / U[j, j] * U[j, j:]
    return float(np.prod(np.diag(U)))


@pitfall(replaces="det", why="eliminates in A itself (U = A, no copy): the caller's matrix comes back triangular")
def det_in_place(A: np.ndarray) -> float:
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError("not square")
    U = A
    n = U.shape[0]
    sign = 1.0
    for j in range(n):
        p = j + int(np.argmax(np.abs(U[j:, j])))
        if U[p, j] == 0.0:
            return 0.0
        if p != j:
            U[[j, p]] = U[[p, j]]
            sign = -sign
        for i in range(j + 1, n):
            U[i, j:] -= U[i, j] / U[j, j] * U[j, j:]
    return float(sign * np.prod(np.diag(U)))


@pitfall(replaces="det", why="divides by the pivot even when the whole column is zero: NaN instead of 0 for singular A")
def det_divides_by_zero_pivot(A: np.ndarray) -> float:
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError("not square")
    U = np.array(A, dtype=np.float64, copy=True)
    n = U.shape[0]
    sign = 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in range(n):
            p = j + int(np.argmax(np.abs(U[j:, j])))
            if p != j:
                U[[j, p]] = U[[p, j]]
                sign = -sign
            for i in range(j + 1, n):
                U[i, j:] -= U[i, j] / U[j, j] * U[j, j:]
    return float(sign * np.prod(np.diag(U)))

"""Reference solution for found-01-1."""
from __future__ import annotations

import numpy as np


def matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"cannot multiply shapes {A.shape} and {B.shape}")
    n, m = A.shape
    p = B.shape[1]
    C = np.zeros((n, p), dtype=A.dtype)
    for i in range(n):
        for j in range(p):
            total = 0.0
            for k in range(m):
                total += float(A[i, k]) * float(B[k, j])
            C[i, j] = total
    return C


def transpose(A: np.ndarray) -> np.ndarray:
    n, m = A.shape
    T = np.empty((m, n), dtype=A.dtype)
    for i in range(n):
        for j in range(m):
            T[j, i] = A[i, j]
    return T


def trace(A: np.ndarray) -> float:
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"trace needs a square matrix, got shape {A.shape}")
    return float(sum(float(A[i, i]) for i in range(A.shape[0])))


def det(A: np.ndarray) -> float:
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"det needs a square matrix, got shape {A.shape}")
    U = np.array(A, dtype=np.float64, copy=True)
    n = U.shape[0]
    sign = 1.0
    for j in range(n):
        pivot_row = j + int(np.argmax(np.abs(U[j:, j])))
        if U[pivot_row, j] == 0.0:
            return 0.0
        if pivot_row != j:
            U[[j, pivot_row]] = U[[pivot_row, j]]
            sign = -sign
        for i in range(j + 1, n):
            U[i, j:] -= U[i, j] / U[j, j] * U[j, j:]
    return float(sign * np.prod(np.diag(U)))

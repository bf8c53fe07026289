"""Reference solution for found-01-2."""
from __future__ import annotations

import numpy as np

PIVOT_RTOL = 1e-12  # a pivot with |p| <= PIVOT_RTOL * max|A| means "singular"


def solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    A, b = np.asarray(A), np.asarray(b)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be a square matrix, got shape {A.shape}")
    n = A.shape[0]
    if b.ndim not in (1, 2) or b.shape[0] != n:
        raise ValueError(f"b must have shape ({n},) or ({n}, k), got {b.shape}")
    U = np.array(A, dtype=np.float64, copy=True)
    y = np.array(b, dtype=np.float64, copy=True).reshape(n, -1)
    tol = PIVOT_RTOL * float(np.max(np.abs(U)))
    for j in range(n):
        p = j + int(np.argmax(np.abs(U[j:, j])))
        if abs(U[p, j]) <= tol:
            raise np.linalg.LinAlgError(f"singular matrix: no pivot above {tol:.3g} in column {j}")
        if p != j:
            U[[j, p]] = U[[p, j]]
            y[[j, p]] = y[[p, j]]
        factors = U[j + 1:, j] / U[j, j]
        U[j + 1:, j:] -= np.outer(factors, U[j, j:])
        y[j + 1:] -= np.outer(factors, y[j])
    x = np.empty_like(y)
    for i in range(n - 1, -1, -1):
        x[i] = (y[i] - U[i, i + 1:] @ x[i + 1:]) / U[i, i]
    return x.reshape(b.shape)


def inverse(A: np.ndarray) -> np.ndarray:
    A = np.asarray(A)
    return solve(A, np.eye(A.shape[0]))  # solve raises ValueError for a non-square A

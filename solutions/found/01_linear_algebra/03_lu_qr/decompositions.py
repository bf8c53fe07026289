"""Reference solution for found-01-3."""
from __future__ import annotations

import numpy as np


def lu(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    A = np.asarray(A)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"lu needs a square matrix, got shape {A.shape}")
    n = A.shape[0]
    U = np.array(A, dtype=np.float64, copy=True)
    L = np.eye(n)
    perm = np.arange(n)
    for j in range(n):
        p = j + int(np.argmax(np.abs(U[j:, j])))
        if p != j:
            U[[j, p]] = U[[p, j]]
            L[[j, p], :j] = L[[p, j], :j]
            perm[[j, p]] = perm[[p, j]]
        if U[j, j] == 0.0:
            continue
        factors = U[j + 1:, j] / U[j, j]
        L[j + 1:, j] = factors
        U[j + 1:, j:] -= np.outer(factors, U[j, j:])
        U[j + 1:, j] = 0.0
    P = np.eye(n)[:, perm]
    return P, L, U


def householder_qr(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    A = np.asarray(A)
    if A.ndim != 2 or A.shape[0] < A.shape[1]:
        raise ValueError(f"householder_qr needs a 2-D (m, n) array with m >= n, got shape {A.shape}")
    m, n = A.shape
    R = np.array(A, dtype=np.float64, copy=True)
    reflectors: list[np.ndarray | None] = []
    for k in range(n):
        x = R[k:, k]
        norm_x = float(np.linalg.norm(x))
        if norm_x == 0.0:
            reflectors.append(None)
            continue
        v = x.copy()
        v[0] += norm_x if x[0] >= 0 else -norm_x  # x + sign(x0)‖x‖e1: no cancellation
        v /= np.linalg.norm(v)
        R[k:, k:] -= 2.0 * np.outer(v, v @ R[k:, k:])
        R[k + 1:, k] = 0.0
        reflectors.append(v)
    Q = np.eye(m, n)
    for k in range(n - 1, -1, -1):
        v = reflectors[k]
        if v is not None:
            Q[k:, :] -= 2.0 * np.outer(v, v @ Q[k:, :])
    R = R[:n]
    signs = np.where(np.diag(R) < 0, -1.0, 1.0)
    return Q * signs, R * signs[:, None]

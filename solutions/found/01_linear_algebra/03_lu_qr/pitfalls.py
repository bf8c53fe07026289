"""Plausible wrong LU and QR decompositions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from decompositions import householder_qr, lu

_lu, _qr = lu, householder_qr  # the solution's versions, bound before a pitfall replaces them


def _lu_with(A: np.ndarray, *, pivot: str = "abs", swap_L: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    A = np.asarray(A)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError("not square")
    n = A.shape[0]
    U, L, perm = np.array(A, dtype=np.float64), np.eye(n), np.arange(n)
    for j in range(n):
        col = U[j:, j]
        p = j + int({"abs": np.argmax(np.abs(col)), "value": np.argmax(col), "none": 0,
                     "last": len(col) - 1 - np.argmax(np.abs(col)[::-1])}[pivot])
        if p != j:
            U[[j, p]] = U[[p, j]]
            if swap_L:
                L[[j, p], :j] = L[[p, j], :j]
            perm[[j, p]] = perm[[p, j]]
        if U[j, j] == 0.0:
            continue
        f = U[j + 1:, j] / U[j, j]
        L[j + 1:, j] = f
        U[j + 1:, j:] -= np.outer(f, U[j, j:])
        U[j + 1:, j] = 0.0
    return np.eye(n)[:, perm], L, U


@pitfall(replaces="lu", why="no pivoting: P = I, multipliers grow past 1 and a zero pivot stalls")
def lu_no_pivoting(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _lu_with(A, pivot="none")


@pitfall(replaces="lu", why="pivots on the largest value instead of the largest absolute value")
def lu_pivot_on_value(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _lu_with(A, pivot="value")


@pitfall(replaces="lu", why="breaks ties by taking the last row with the largest |entry|")
def lu_last_tie(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _lu_with(A, pivot="last")


@pitfall(replaces="lu", why="swaps rows of U but not the multipliers already stored in L")
def lu_forgets_to_swap_L(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _lu_with(A, swap_L=False)


@pitfall(replaces="lu", why="returns the permutation that takes A to LU (P A = L U), i.e. Pᵀ of scipy's convention")
def lu_transposed_P(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    P, L, U = _lu(A)
    return P.T, L, U


@pitfall(replaces="lu", why="leaves the rounding residue below U's diagonal instead of exact zeros")
def lu_no_exact_zeros(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    P, L, U = _lu(A)
    n = U.shape[0]
    return P, L, U + np.tril(np.full((n, n), 1e-17), -1)


@pitfall(replaces="householder_qr", why="classical Gram–Schmidt: Q loses orthogonality when A is ill-conditioned")
def qr_gram_schmidt(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    A = np.asarray(A)
    if A.ndim != 2 or A.shape[0] < A.shape[1]:
        raise ValueError("bad shape")
    m, n = A.shape
    A = A.astype(np.float64)
    Q, R = np.zeros((m, n)), np.zeros((n, n))
    for k in range(n):
        R[:k, k] = Q[:, :k].T @ A[:, k]
        w = A[:, k] - Q[:, :k] @ R[:k, k]
        R[k, k] = np.linalg.norm(w)
        Q[:, k] = w / R[k, k] if R[k, k] > 0 else 0.0
    return Q, R


def _qr_with(A: np.ndarray, *, plus: bool = True, normalise: bool = True) -> tuple[np.ndarray, np.ndarray]:
    A = np.asarray(A)
    if A.ndim != 2 or A.shape[0] < A.shape[1]:
        raise ValueError("bad shape")
    m, n = A.shape
    R, vs = np.array(A, dtype=np.float64), []
    for k in range(n):
        x = R[k:, k]
        nx = float(np.linalg.norm(x))
        if nx == 0.0:
            vs.append(None)
            continue
        v = x.copy()
        v[0] += (nx if x[0] >= 0 else -nx) if plus else -nx
        if np.linalg.norm(v) == 0.0:
            vs.append(None)
            continue
        v /= np.linalg.norm(v)
        R[k:, k:] -= 2.0 * np.outer(v, v @ R[k:, k:])
        R[k + 1:, k] = 0.0
        vs.append(v)
    Q = np.eye(m, n)
    for k in range(n - 1, -1, -1):
        if vs[k] is not None:
            Q[k:, :] -= 2.0 * np.outer(vs[k], vs[k] @ Q[k:, :])
    R = R[:n]
    if not normalise:
        return Q, R
    s = np.where(np.diag(R) < 0, -1.0, 1.0)
    return Q * s, R * s[:, None]


@pitfall(replaces="householder_qr", why="v = x - ‖x‖e1 always: cancels catastrophically when x is already close to ‖x‖e1")
def qr_cancelling_reflector(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _qr_with(A, plus=False)


@pitfall(replaces="householder_qr", why="skips the sign normalisation: diag(R) keeps LAPACK's negative entries")
def qr_unnormalised_signs(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _qr_with(A, normalise=False)


@pitfall(replaces="householder_qr", why="returns the full m x m Q and m x n R instead of the reduced factors")
def qr_full(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    Q, R = _qr(A)
    m, n = np.shape(A)
    if m == n:
        return Q, R
    Q_full, _ = np.linalg.qr(np.column_stack([Q, np.random.default_rng(0).standard_normal((m, m - n))]))
    return np.column_stack([Q, Q_full[:, n:]]), np.vstack([R, np.zeros((m - n, n))])


@pitfall(replaces="householder_qr", why="normalises diag(R) by flipping rows of R only, forgetting the columns of Q")
def qr_flips_R_only(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    Q, R = _qr_with(A, normalise=False)
    s = np.where(np.diag(R) < 0, -1.0, 1.0)
    return Q, R * s[:, None]

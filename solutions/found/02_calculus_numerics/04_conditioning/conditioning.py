"""Reference solution for found-02-4."""
from __future__ import annotations

import numpy as np


def condition_number(A: np.ndarray, p: float | str = 2) -> float:
    A = np.asarray(A)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be square, got shape {A.shape}")
    if p == 2:
        s = np.linalg.svd(A, compute_uv=False)
        return float(s[0] / s[-1]) if s[-1] > 0 else float("inf")
    if p not in (1, np.inf, "fro"):
        raise ValueError(f"p must be 1, 2, np.inf or 'fro', got {p!r}")
    try:
        A_inv = np.linalg.inv(A)
    except np.linalg.LinAlgError:
        return float("inf")
    return float(np.linalg.norm(A, p) * np.linalg.norm(A_inv, p))


def error_amplification(A: np.ndarray, b: np.ndarray, delta_b: np.ndarray) -> float:
    x = np.linalg.solve(A, b)
    delta_x = np.linalg.solve(A, delta_b)
    rel_out = np.linalg.norm(delta_x) / np.linalg.norm(x)
    rel_in = np.linalg.norm(delta_b) / np.linalg.norm(b)
    return float(rel_out / rel_in)


def worst_case_pair(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    U, _, _ = np.linalg.svd(A)
    return U[:, 0], U[:, -1]

"""found-01-4: power iteration, deflation and Jacobi eigendecomposition. Edit this file; `grader check found-01-4` tests it."""
from __future__ import annotations

import numpy as np


def check_symmetric(A: np.ndarray) -> np.ndarray:
    """A as a float64 array; ValueError unless it is a square matrix equal to its transpose."""
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.array_equal(A, A.T):
        raise ValueError(f"expected a symmetric (n, n) matrix, got shape {A.shape}")
    return A


def sign_normalised(v: np.ndarray) -> np.ndarray:
    """v flipped, if need be, so that its largest-|entry| component (the first on ties) is positive."""
    return -v if v[int(np.argmax(np.abs(v)))] < 0 else v


def power_iteration(A: np.ndarray, *, tol: float = 1e-10, max_iter: int = 1000,
                    seed: int = 0) -> tuple[float, np.ndarray, bool]:
    """The dominant eigenpair (largest |λ|) of a symmetric matrix, by power iteration.

    Start from v = a standard-normal vector drawn with np.random.default_rng(seed), normalised. Each
    iteration computes w = A v and the Rayleigh quotient λ = vᵀw; if ‖w − λv‖ <= tol·|λ| stop
    (converged), otherwise v = w / ‖w‖. At most max_iter products A v. A is left unchanged.

    Returns (lam, v, converged): v has unit length and is sign_normalised; lam is the Rayleigh
    quotient vᵀAv of the returned v (also when not converged); converged says whether the test
    above was met. When two eigenvalues share the largest |λ| (say 2 and −2) it is usually never met.

    Shapes:
        A: (n, n) symmetric
        returns: (float, (n,) float64, bool)

    Raises:
        ValueError: if A is not symmetric (check_symmetric) or max_iter < 1.
    """
    raise NotImplementedError("power_iteration: v <- Av/|Av| until the Rayleigh residual is small")


def top_eigenpairs(A: np.ndarray, k: int, *, tol: float = 1e-10, max_iter: int = 1000,
                   seed: int = 0) -> tuple[np.ndarray, np.ndarray, bool]:
    """The k eigenpairs of largest |λ|, by power iteration with Hotelling deflation.

    For i = 0 .. k−1: run power_iteration on B (B = A at first) with the given tol and max_iter and
    seed + i; then deflate, B <- B − λ v vᵀ, which moves that eigenvalue to 0 and leaves the other
    eigenpairs alone. A is left unchanged.

    Returns (values, vectors, converged): values[i] and vectors[:, i] from the i-th run (so in order
    of decreasing |λ| when the |λ| are distinct); converged is True when every run converged.

    Shapes:
        A: (n, n) symmetric
        returns: values (k,) float64, vectors (n, k) float64, converged bool

    Raises:
        ValueError: if A is not symmetric, or k is not in [0, n].
    """
    raise NotImplementedError("top_eigenpairs: power_iteration, deflate, repeat k times")


def jacobi_eigh(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All eigenpairs of a symmetric matrix by the cyclic Jacobi method, like numpy.linalg.eigh.

    Sweep over the pairs (p, q), p < q; rotate S <- Jᵀ S J by the plane rotation that zeroes S[p, q],
    and accumulate V <- V J. Stop when the off-diagonal Frobenius norm is <= 1e-14 ‖A‖_F (compute it
    from the off-diagonal entries themselves). A is left unchanged.

    Returns (w, V): eigenvalues in ascending order and orthonormal eigenvectors as the columns of V,
    so that A V = V diag(w).

    Shapes:
        A: (n, n) symmetric
        returns: w (n,) float64 ascending, V (n, n) float64

    Raises:
        ValueError: if A is not symmetric.
    """
    raise NotImplementedError("jacobi_eigh: rotate away the off-diagonal, sort the diagonal")

"""Plausible wrong versions of FastICA that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from fastica import FastICA, sym_decorrelation


@pitfall(replaces="sym_decorrelation", why="Gram-Schmidt (QR) orthonormalisation instead of the symmetric one")
def gram_schmidt(W: np.ndarray) -> np.ndarray:
    q, r = np.linalg.qr(W.T)
    return (q * np.sign(np.diag(r))).T


@pitfall(replaces="sym_decorrelation", why="(W W^T)^(-1) W: forgets the square root")
def no_square_root(W: np.ndarray) -> np.ndarray:
    return np.linalg.inv(W @ W.T) @ W


def _fit(self: FastICA, X: np.ndarray, *, ddof: int = 0, whiten: bool = True, first_entry: float = 1.0,
         sign: float = -1.0, decorrelate: bool = True) -> FastICA:
    n, d = X.shape
    k = self.n_components
    if not 1 <= k <= min(n, d) or np.shape(self.w_init) != (k, k):
        raise ValueError("bad arguments")
    self.mean_ = X.mean(axis=0)
    Xc = X - self.mean_
    if whiten:
        evals, evecs = np.linalg.eigh(Xc.T @ Xc / (n - ddof))
        order = np.argsort(evals)[::-1]
        evals, evecs = evals[order], evecs[:, order]
        evecs = first_entry * evecs * np.sign(evecs[0])
        self.whitening_ = (evecs[:, :k] / np.sqrt(evals[:k])).T
    else:
        self.whitening_ = np.eye(d)[:k]
    Z = Xc @ self.whitening_.T

    def norm(W: np.ndarray) -> np.ndarray:
        return sym_decorrelation(W) if decorrelate else W / np.linalg.norm(W, axis=1, keepdims=True)

    W = norm(np.asarray(self.w_init, dtype=np.float64))
    n_iter = 0
    for _ in range(self.max_iter):
        n_iter += 1
        g = np.tanh(W @ Z.T)
        W_new = norm(g @ Z / n + sign * (1.0 - g**2).mean(axis=1)[:, None] * W)
        lim = np.max(np.abs(np.abs(np.sum(W_new * W, axis=1)) - 1.0))
        W = W_new
        if lim < self.tol:
            break
    self.n_iter_ = n_iter
    self.components_ = W @ self.whitening_
    self.mixing_ = np.linalg.pinv(self.components_)
    return self


@pitfall(replaces="FastICA.fit", why="skips whitening: iterates on the merely centred data")
def no_whitening(self: FastICA, X: np.ndarray) -> FastICA:
    return _fit(self, X, whiten=False)


@pitfall(replaces="FastICA.fit", why="whitens with np.cov's unbiased 1/(n-1): sources come out with variance (n-1)/n")
def unbiased_whitening(self: FastICA, X: np.ndarray) -> FastICA:
    return _fit(self, X, ddof=1)


@pitfall(replaces="FastICA.fit", why="adds E[g'(w z)] w instead of subtracting it in the fixed-point update")
def plus_sign_update(self: FastICA, X: np.ndarray) -> FastICA:
    return _fit(self, X, sign=+1.0)


@pitfall(replaces="FastICA.fit", why="only normalises each row: every row converges to the same source")
def no_decorrelation(self: FastICA, X: np.ndarray) -> FastICA:
    return _fit(self, X, decorrelate=False)


@pitfall(replaces="FastICA.fit",
         why="ignores the eigenvector sign convention (first entries come out negative): same w_init, other answer")
def no_sign_convention(self: FastICA, X: np.ndarray) -> FastICA:
    return _fit(self, X, first_entry=-1.0)


@pitfall(replaces="FastICA.fit", why="mixing_ is components_.T instead of its pseudo-inverse")
def transposed_mixing(self: FastICA, X: np.ndarray) -> FastICA:
    _fit(self, X)
    self.mixing_ = self.components_.T.copy()
    return self

"""Plausible wrong versions of NCA that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import minimize

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from nca import NCA, nca_objective_and_gradient


def _softmax_rows(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    P = np.exp(logits)
    return P / P.sum(axis=1, keepdims=True)


def _obj(A: np.ndarray, X: np.ndarray, y: np.ndarray, *, exclude_self: bool = True, squared: bool = True,
         grad_factor: float = 2.0, global_norm: bool = False) -> tuple[float, np.ndarray]:
    Z = X @ A.T
    diff = Z[:, None, :] - Z[None, :, :]
    D = np.einsum("ijk,ijk->ij", diff, diff)
    if not squared:
        D = np.sqrt(D)
    if exclude_self:
        np.fill_diagonal(D, np.inf)
    if global_norm:
        E = np.exp(-(D - D[np.isfinite(D)].min()))
        P = E / E.sum()
    else:
        P = _softmax_rows(-D)
    same = y[:, None] == y[None, :]
    p = np.sum(P * same, axis=1)
    Wt = P * (p[:, None] - same)
    S = Wt + Wt.T
    lap = np.diag(S.sum(axis=1)) - S
    return float(p.sum()), grad_factor * Z.T @ lap @ X


@pitfall(replaces="nca_objective_and_gradient", why="keeps j = i in the softmax: every point votes for itself")
def includes_self(A: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    return _obj(A, X, y, exclude_self=False)


@pitfall(replaces="nca_objective_and_gradient", why="softmax over plain distances |A x_i - A x_j|, not squared ones")
def unsquared_distances(A: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    return _obj(A, X, y, squared=False)


@pitfall(replaces="nca_objective_and_gradient", why="drops the factor 2 of d|A x|^2/dA = 2 A x x^T")
def gradient_missing_two(A: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    return _obj(A, X, y, grad_factor=1.0)


@pitfall(replaces="nca_objective_and_gradient", why="returns the gradient of the loss -f instead of f")
def gradient_sign_flipped(A: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    return _obj(A, X, y, grad_factor=-2.0)


@pitfall(replaces="nca_objective_and_gradient", why="normalises exp(-d_ij) over all pairs instead of per row i")
def global_softmax(A: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    return _obj(A, X, y, global_norm=True)


@pitfall(replaces="NCA.fit", why="minimises f itself (forgets to negate): the transformation gets worse")
def minimises_f(self: NCA, X: np.ndarray, y: np.ndarray) -> NCA:
    A0 = np.asarray(self.init, dtype=np.float64)
    if A0.ndim != 2 or A0.shape[1] != X.shape[1] or A0.shape[0] > X.shape[1]:
        raise ValueError("bad init")

    def fun(flat: np.ndarray) -> tuple[float, np.ndarray]:
        f, g = nca_objective_and_gradient(flat.reshape(A0.shape), X, y)
        return f, g.ravel()

    res = minimize(fun, A0.ravel(), jac=True, method="L-BFGS-B", tol=self.tol, options={"maxiter": self.max_iter})
    self.components_ = res.x.reshape(A0.shape)
    self.objective_ = float(res.fun)
    return self

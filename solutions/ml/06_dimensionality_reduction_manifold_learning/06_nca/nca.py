"""Reference solution for ml-06-6."""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize


def nca_objective_and_gradient(A: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    A = np.asarray(A, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    Z = X @ A.T  # (n, k)
    diff = Z[:, None, :] - Z[None, :, :]
    D = np.einsum("ijk,ijk->ij", diff, diff)
    np.fill_diagonal(D, np.inf)  # a point never picks itself
    logits = -D
    logits -= logits.max(axis=1, keepdims=True)
    P = np.exp(logits)
    P /= P.sum(axis=1, keepdims=True)
    same = y[:, None] == y[None, :]
    p = np.sum(P * same, axis=1)  # (n,) probability that i is classified correctly
    f = float(p.sum())
    # dp_i/dD_il = P_il (p_i - [same_il]) and dD_il/dA = 2 A x_il x_il^T with x_il = x_i - x_l, so
    # df/dA = 2 A sum_il Wt_il x_il x_il^T = 2 A X^T Lap(Wt + Wt^T) X, Lap(S) = diag(S 1) - S.
    Wt = P * (p[:, None] - same)  # (n, n), zero diagonal
    S = Wt + Wt.T
    lap = np.diag(S.sum(axis=1)) - S
    grad = 2.0 * Z.T @ lap @ X
    return f, grad


class NCA:
    """Neighbourhood components analysis, maximised with L-BFGS-B from a given initial A."""

    def __init__(self, init: np.ndarray, max_iter: int = 50, tol: float = 1e-5) -> None:
        self.init = init
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> NCA:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        A0 = np.asarray(self.init, dtype=np.float64)
        if A0.ndim != 2 or A0.shape[1] != X.shape[1] or not 1 <= A0.shape[0] <= X.shape[1]:
            raise ValueError(f"init must have shape (k, {X.shape[1]}) with 1 <= k <= {X.shape[1]}, got {A0.shape}")
        shape = A0.shape

        def neg(flat: np.ndarray) -> tuple[float, np.ndarray]:
            f, g = nca_objective_and_gradient(flat.reshape(shape), X, y)
            return -f, -g.ravel()

        res = minimize(neg, A0.ravel(), jac=True, method="L-BFGS-B", tol=self.tol,
                       options={"maxiter": self.max_iter})
        self.components_ = res.x.reshape(shape)
        self.objective_ = -float(res.fun)
        self.n_iter_ = int(res.nit)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.components_.T

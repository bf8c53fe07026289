"""ml-06-2: FastICA recovers mixed sources. Edit this file; `grader check ml-06-2` tests it."""
from __future__ import annotations

import numpy as np


def sym_decorrelation(W: np.ndarray) -> np.ndarray:
    """Symmetric decorrelation W <- (W W^T)^(-1/2) W: the orthogonal matrix nearest to W.

    Unlike Gram-Schmidt it treats every row alike (no row is privileged), which is what lets
    parallel FastICA estimate all components at once.

    Shapes:
        W: (k, k) float64, invertible
        returns: (k, k) float64 with orthonormal rows
    """
    raise NotImplementedError("sym_decorrelation: eigendecompose W @ W.T and apply the inverse square root")


class FastICA:
    """Parallel FastICA (Hyvarinen 1999) with the logcosh contrast, run the way
    sklearn.decomposition.FastICA(whiten="unit-variance", whiten_solver="eigh", fun="logcosh",
    algorithm="parallel") runs it, so the same w_init gives the same answer.

    Fitted attributes (set by `fit`):
        mean_: (d,) column means of X
        whitening_: (k, d) the PCA whitening matrix K (see the README for its exact definition)
        components_: (k, d) the unmixing matrix W @ K: sources = (X - mean_) @ components_.T
        mixing_: (d, k) the pseudo-inverse of components_
        n_iter_: int, the number of fixed-point iterations run
    """

    def __init__(self, n_components: int, w_init: np.ndarray, max_iter: int = 200, tol: float = 1e-4) -> None:
        self.n_components = n_components
        self.w_init = w_init
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray) -> FastICA:
        """Centre, whiten with PCA, then iterate
            W <- sym_decorrelation(E[g(W z) z^T] - diag(E[g'(W z)]) W),  g = tanh,
        starting from sym_decorrelation(w_init), until max_i | |<w_i_new, w_i_old>| - 1 | < tol
        or max_iter (>= 1, as in sklearn) iterations have run.

        Shapes:
            X: (n, d) float64
            returns: self

        Raises:
            ValueError: unless 1 <= n_components <= min(n, d) and w_init has shape (k, k).
        """
        raise NotImplementedError("FastICA.fit: whiten, then parallel fixed-point iterations")

    def transform(self, X: np.ndarray) -> np.ndarray:
        """The estimated sources.

        Shapes:
            X: (m, d) float64
            returns: (m, k) float64, (X - mean_) @ components_.T
        """
        raise NotImplementedError("FastICA.transform: centre with mean_, then unmix")

    def inverse_transform(self, S: np.ndarray) -> np.ndarray:
        """Mix sources back into the observation space.

        Shapes:
            S: (m, k) float64
            returns: (m, d) float64, S @ mixing_.T + mean_
        """
        raise NotImplementedError("FastICA.inverse_transform: mix, then add the mean back")

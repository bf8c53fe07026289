"""ml-06-1: PCA via SVD and via eigendecomposition. Edit this file; `grader check ml-06-1` tests it."""
from __future__ import annotations

import numpy as np


class PCA:
    """Principal component analysis, fitted either by an SVD of the centred data or by an
    eigendecomposition of its covariance matrix.

    Fitted attributes (set by `fit`):
        mean_: (d,) float64, the column means of the training data
        components_: (k, d) float64, the principal axes as ROWS, unit length, ordered by
            decreasing explained variance (each row's sign is yours to choose)
        explained_variance_: (k,) float64, the variance along each axis, with the unbiased
            1/(n-1) normalisation (the eigenvalues of np.cov(X, rowvar=False))
        explained_variance_ratio_: (k,) float64, explained_variance_ / the TOTAL variance
            (the sum over all d directions, not just the k kept ones)
        singular_values_: (k,) float64, the singular values of the centred data
    """

    def __init__(self, n_components: int, method: str = "svd") -> None:
        self.n_components = n_components
        self.method = method

    def fit(self, X: np.ndarray) -> PCA:
        """Fit on X and return self.

        method="svd": SVD of the centred data Xc = U S Vt. method="eigh": eigendecomposition of
        the covariance Xc.T @ Xc / (n - 1) with np.linalg.eigh (which sorts eigenvalues in
        ASCENDING order).

        Shapes:
            X: (n, d) float64
            returns: self

        Raises:
            ValueError: if method is not "svd" or "eigh", or unless 1 <= n_components <= min(n, d).
        """
        raise NotImplementedError("PCA.fit: centre X, then SVD (or eigh of the covariance)")

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Coordinates of X along the principal axes.

        Shapes:
            X: (m, d) float64
            returns: (m, k) float64, (X - mean_) @ components_.T
        """
        raise NotImplementedError("PCA.transform: centre with the TRAINING mean, then project")

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        """Map coordinates back to the input space (the best rank-k reconstruction).

        Shapes:
            Z: (m, k) float64
            returns: (m, d) float64, Z @ components_ + mean_
        """
        raise NotImplementedError("PCA.inverse_transform: the reverse of transform")

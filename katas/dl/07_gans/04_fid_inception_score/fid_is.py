"""dl-07-4: FID from Gaussian feature statistics and the Inception Score. Edit this file;
`grader check dl-07-4` tests it.

Real FID/IS feed images through Inception-v3; the formulas below only need its outputs, so any
feature vectors and class probabilities will do (no network is downloaded here).
"""
from __future__ import annotations

import numpy as np


def gaussian_stats(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of feature vectors, the covariance with the n − 1 denominator
    (np.cov(features, rowvar=False), as pytorch-fid). features is not modified.

    Shapes:
        features: (n, d), n >= 2 -> mu: (d,), sigma: (d, d)
    """
    raise NotImplementedError("gaussian_stats: mean over rows, unbiased covariance")


def frechet_distance(mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray) -> float:
    """Fréchet (2-Wasserstein²) distance between N(mu1, sigma1) and N(mu2, sigma2):

        ‖mu1 − mu2‖² + Tr(sigma1 + sigma2 − 2 (sigma1 sigma2)^{1/2})

    with the principal matrix square root; drop a negligible imaginary part that sqrtm may return.

    Shapes:
        mu: (d,); sigma: (d, d)
    """
    raise NotImplementedError("frechet_distance: squared mean difference plus the trace term")


def inception_score(probs: np.ndarray, splits: int = 1) -> tuple[float, float]:
    """IS = exp(E_x KL(p(y|x) ‖ p(y))) with the marginal p(y) = mean of the rows, computed separately on
    `splits` consecutive, equal chunks of the rows (np.array_split); returns the mean and the
    (population, ddof=0) standard deviation of the per-split scores. Natural logarithms; 0·log 0 = 0.

    Shapes:
        probs: (n, K), rows summing to 1

    Raises:
        ValueError: if splits < 1 or splits > n.
    """
    raise NotImplementedError("inception_score: per split, exp of the mean KL to the split's marginal")

"""prod-02-6: Bayesian optimisation with a GP surrogate and expected improvement. Edit this file; `grader check prod-02-6` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import stats  # noqa: F401  (stats.norm: cdf, pdf)


def rbf_kernel(a: np.ndarray, b: np.ndarray, length_scale: float, signal_var: float) -> np.ndarray:
    """signal_var * exp(-|a_i - b_j|^2 / (2 length_scale^2)); a: (n, d), b: (m, d) -> (n, m)."""
    d2 = np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)
    return signal_var * np.exp(-0.5 * d2 / length_scale ** 2)


def gp_posterior(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, *, length_scale: float = 1.0,
                 noise: float = 1e-6, signal_var: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Posterior mean and standard deviation of a zero-mean GP with kernel rbf_kernel, as sklearn's
    GaussianProcessRegressor(ConstantKernel(signal_var) * RBF(length_scale), alpha=noise, optimizer=None).

    K = k(X, X) + noise I,  mu = k(X*, X) K^-1 y,  var = signal_var - diag(k(X*, X) K^-1 k(X, X*)).
    sigma is the latent function's standard deviation (noise not added), negative variances from
    rounding clipped to 0.

    Shapes:
        x_train: (n, d), y_train: (n,), x_test: (m, d); returns: mu (m,), sigma (m,)

    Raises:
        ValueError: if the shapes do not fit together, length_scale <= 0, noise < 0 or signal_var <= 0.
    """
    raise NotImplementedError("gp_posterior: Cholesky of K, then mean and variance at the test points")


def expected_improvement(mu: np.ndarray, sigma: np.ndarray, best: float, xi: float = 0.0) -> np.ndarray:
    """Expected improvement for minimisation: E[max(best - xi - Y, 0)], Y ~ N(mu, sigma^2).

    With g = best - mu - xi and z = g / sigma: EI = g Phi(z) + sigma phi(z); where sigma == 0,
    EI = max(g, 0).

    Shapes:
        mu, sigma: (m,) (any equal shapes); returns: the same shape, float64, >= 0

    Raises:
        ValueError: if mu and sigma differ in shape or some sigma < 0.
    """
    raise NotImplementedError("expected_improvement: the closed form, with the sigma = 0 limit")


def propose(x_train: np.ndarray, y_train: np.ndarray, candidates: np.ndarray, *, length_scale: float = 1.0,
            noise: float = 1e-6, xi: float = 0.0) -> int:
    """Index of the candidate with the largest expected improvement over best = min(y_train), under
    gp_posterior(x_train, y_train, candidates, length_scale=..., noise=...) (signal_var 1); the first
    one on ties (np.argmax).

    Shapes:
        x_train: (n, d), y_train: (n,), candidates: (c, d); returns: an int in [0, c)
    """
    raise NotImplementedError("propose: posterior at the candidates, then argmax of EI")


def bayes_opt(f: Callable[[np.ndarray], float], lower: np.ndarray, upper: np.ndarray, *, n_init: int = 3,
              n_iter: int = 10, n_candidates: int = 256, length_scale: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Minimise f over the box [lower, upper] with n_init + n_iter evaluations.

    Work in the unit cube u in [0, 1)^d, x = lower + u (upper - lower), with rng =
    np.random.default_rng(seed): n_init uniform random points first, rng.random((n_init, d)); then
    each iteration draws n_candidates uniform candidates, rng.random((n_candidates, d)), standardises the y seen so far ((y - mean) / std, std 1 if 0)
    and evaluates f at the candidate propose(...) picks (length_scale in unit-cube units, default noise).

    Shapes:
        lower, upper: (d,); returns: X (n_init + n_iter, d) in evaluation order, y (n_init + n_iter,)

    Raises:
        ValueError: if n_init < 1, n_iter < 0 or n_candidates < 1.
    """
    raise NotImplementedError("bayes_opt: random start, then propose / evaluate / append")

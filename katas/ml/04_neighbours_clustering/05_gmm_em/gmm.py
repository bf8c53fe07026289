"""ml-04-5: Gaussian mixture model fitted by EM. Edit this file; `grader check ml-04-5` tests it."""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp  # noqa: F401  (log-sum-exp over components)


def log_gaussian_density(X: np.ndarray, means: np.ndarray, covariances: np.ndarray) -> np.ndarray:
    """log N(x_i | mu_k, Sigma_k) for every point i and component k (full covariances).

    log N = -1/2 (d log(2 pi) + log det Sigma_k + (x - mu_k)^T Sigma_k^{-1} (x - mu_k))

    Shapes:
        X: (n, d) float64
        means: (K, d) float64
        covariances: (K, d, d) float64, symmetric positive definite
        returns: (n, K) float64
    """
    raise NotImplementedError("log_gaussian_density: use a Cholesky factor for the solve and the log-determinant")


def e_step(X: np.ndarray, weights: np.ndarray, means: np.ndarray,
           covariances: np.ndarray) -> tuple[np.ndarray, float]:
    """Log responsibilities and the mean log-likelihood of the current parameters.

    log r_ik = log pi_k + log N(x_i | mu_k, Sigma_k) - log sum_j pi_j N(x_i | mu_j, Sigma_j)
    mean log-likelihood = (1/n) sum_i log sum_j pi_j N(x_i | mu_j, Sigma_j)

    Must stay finite for points far from every component (densities that underflow to 0 in
    linear space).

    Shapes:
        weights: (K,), means: (K, d), covariances: (K, d, d)
        returns: (log_resp (n, K) float64, mean log-likelihood: float)
    """
    raise NotImplementedError("e_step: normalise in log space")


def m_step(X: np.ndarray, resp: np.ndarray, reg_covar: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum-likelihood parameters given the responsibilities (sklearn's M-step).

    N_k = sum_i r_ik (+ 10 * machine epsilon, as sklearn adds, so an empty component divides by > 0)
    pi_k = N_k / sum_j N_j
    mu_k = sum_i r_ik x_i / N_k
    Sigma_k = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T / N_k + reg_covar * I     (with the NEW mu_k)

    Shapes:
        resp: (n, K) responsibilities (rows sum to 1)
        returns: (weights (K,), means (K, d), covariances (K, d, d)), float64
    """
    raise NotImplementedError("m_step: weighted counts, means and covariances")


class GaussianMixtureEM:
    """A Gaussian mixture with full covariances, fitted by EM exactly as sklearn's GaussianMixture runs it.

    Hyperparameters (stored unchanged by __init__): the initial weights (K,), means (K, d) and
    precisions (K, d, d) (precision = inverse covariance, as sklearn takes them), max_iter (>= 1, as
    sklearn requires), tol, reg_covar.

    Fitted attributes (set by fit):
        weights_ (K,), means_ (K, d), covariances_ (K, d, d): the parameters after the last M-step
        lower_bounds_: list of the mean log-likelihood computed in each iteration's E-step
        lower_bound_:  the last entry of lower_bounds_
        n_iter_:       the number of EM iterations run
        converged_:    True if the loop stopped because of tol
    """

    def __init__(self, weights_init: np.ndarray, means_init: np.ndarray, precisions_init: np.ndarray,
                 max_iter: int = 100, tol: float = 1e-3, reg_covar: float = 1e-6) -> None:
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.max_iter = max_iter
        self.tol = tol
        self.reg_covar = reg_covar

    def fit(self, X: np.ndarray) -> GaussianMixtureEM:
        """Run EM from the initial parameters; returns self.

        For n_iter = 1, 2, ..., max_iter:
            E-step with the current parameters -> log_resp and the mean log-likelihood L_n_iter
            M-step with exp(log_resp)          -> new parameters
            stop (converged) if |L_n_iter - L_(n_iter - 1)| < tol   (L_0 = -inf)

        Shapes:
            X: (n, d) float64
        """
        raise NotImplementedError("fit: alternate e_step and m_step")

    def score_samples(self, X: np.ndarray) -> np.ndarray:
        """(n,) log p(x_i) = log sum_k pi_k N(x_i | mu_k, Sigma_k) under the fitted parameters."""
        raise NotImplementedError("score_samples: per-point log-likelihood")

    def score(self, X: np.ndarray) -> float:
        """Mean of score_samples(X)."""
        raise NotImplementedError("score: mean log-likelihood")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, K) responsibilities under the fitted parameters."""
        raise NotImplementedError("predict_proba: responsibilities")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) int: the component with the largest responsibility."""
        raise NotImplementedError("predict: argmax of the responsibilities")

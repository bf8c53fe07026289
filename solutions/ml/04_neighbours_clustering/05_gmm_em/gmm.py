"""Reference solution for ml-04-5."""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp


def log_gaussian_density(X: np.ndarray, means: np.ndarray, covariances: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    out = np.empty((n, len(means)))
    for k, (mu, cov) in enumerate(zip(means, covariances, strict=True)):
        L = np.linalg.cholesky(cov)
        z = np.linalg.solve(L, (X - mu).T)  # (d, n): L^{-1}(x - mu)
        log_det = 2.0 * np.log(np.diag(L)).sum()
        out[:, k] = -0.5 * (d * np.log(2 * np.pi) + log_det + (z**2).sum(axis=0))
    return out


def e_step(X: np.ndarray, weights: np.ndarray, means: np.ndarray,
           covariances: np.ndarray) -> tuple[np.ndarray, float]:
    weighted = log_gaussian_density(X, means, covariances) + np.log(weights)
    log_norm = logsumexp(weighted, axis=1)
    return weighted - log_norm[:, None], float(log_norm.mean())


def m_step(X: np.ndarray, resp: np.ndarray, reg_covar: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    nk = resp.sum(axis=0) + 10 * np.finfo(np.float64).eps
    means = resp.T @ X / nk[:, None]
    d = X.shape[1]
    covariances = np.empty((len(nk), d, d))
    for k in range(len(nk)):
        diff = X - means[k]
        covariances[k] = (resp[:, k, None] * diff).T @ diff / nk[k] + reg_covar * np.eye(d)
    return nk / nk.sum(), means, covariances


class GaussianMixtureEM:
    def __init__(self, weights_init: np.ndarray, means_init: np.ndarray, precisions_init: np.ndarray,
                 max_iter: int = 100, tol: float = 1e-3, reg_covar: float = 1e-6) -> None:
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.max_iter = max_iter
        self.tol = tol
        self.reg_covar = reg_covar

    def fit(self, X: np.ndarray) -> GaussianMixtureEM:
        X = np.asarray(X, dtype=np.float64)
        self.weights_ = np.array(self.weights_init, dtype=np.float64)
        self.means_ = np.array(self.means_init, dtype=np.float64)
        self.covariances_ = np.linalg.inv(np.asarray(self.precisions_init, dtype=np.float64))
        self.lower_bounds_: list[float] = []
        self.converged_ = False
        lower_bound = -np.inf
        self.n_iter_ = 0
        for n_iter in range(1, self.max_iter + 1):
            previous = lower_bound
            log_resp, lower_bound = e_step(X, self.weights_, self.means_, self.covariances_)
            self.weights_, self.means_, self.covariances_ = m_step(X, np.exp(log_resp), self.reg_covar)
            self.lower_bounds_.append(lower_bound)
            self.n_iter_ = n_iter
            if abs(lower_bound - previous) < self.tol:
                self.converged_ = True
                break
        self.lower_bound_ = lower_bound
        return self

    def score_samples(self, X: np.ndarray) -> np.ndarray:
        weighted = log_gaussian_density(X, self.means_, self.covariances_) + np.log(self.weights_)
        return logsumexp(weighted, axis=1)

    def score(self, X: np.ndarray) -> float:
        return float(self.score_samples(X).mean())

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        log_resp, _ = e_step(X, self.weights_, self.means_, self.covariances_)
        return np.exp(log_resp)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.argmax(self.predict_proba(X), axis=1)

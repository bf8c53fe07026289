"""Plausible wrong EM implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gmm import GaussianMixtureEM, e_step, log_gaussian_density, m_step


@pitfall(replaces="e_step", why="normalises in linear space: exp underflows to 0 for far points and 0/0 gives NaN")
def no_log_sum_exp(X: np.ndarray, weights: np.ndarray, means: np.ndarray,
                   covariances: np.ndarray) -> tuple[np.ndarray, float]:
    with np.errstate(all="ignore"):
        p = np.exp(log_gaussian_density(X, means, covariances)) * weights
        total = p.sum(axis=1)
        return np.log(p / total[:, None]), float(np.log(total).mean())


@pitfall(replaces="m_step", why="covariance divided by n instead of by N_k")
def covariance_over_n(X: np.ndarray, resp: np.ndarray, reg_covar: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    nk = resp.sum(axis=0) + 10 * np.finfo(np.float64).eps
    means = resp.T @ X / nk[:, None]
    d = X.shape[1]
    covs = np.stack([(resp[:, k, None] * (X - means[k])).T @ (X - means[k]) / len(X) + reg_covar * np.eye(d)
                     for k in range(len(nk))])
    return nk / nk.sum(), means, covs


@pitfall(replaces="m_step", why="hard assignments: each point counts fully for its most likely component")
def hard_assignments(X: np.ndarray, resp: np.ndarray, reg_covar: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    hard = np.eye(resp.shape[1])[np.argmax(resp, axis=1)]
    nk = hard.sum(axis=0) + 10 * np.finfo(np.float64).eps
    means = hard.T @ X / nk[:, None]
    d = X.shape[1]
    covs = np.stack([(hard[:, k, None] * (X - means[k])).T @ (X - means[k]) / nk[k] + reg_covar * np.eye(d)
                     for k in range(len(nk))])
    return nk / nk.sum(), means, covs


@pitfall(replaces="m_step", why="forgets to add reg_covar to the diagonal")
def no_reg_covar(X: np.ndarray, resp: np.ndarray, reg_covar: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    nk = resp.sum(axis=0) + 10 * np.finfo(np.float64).eps
    means = resp.T @ X / nk[:, None]
    covs = np.stack([(resp[:, k, None] * (X - means[k])).T @ (X - means[k]) / nk[k] for k in range(len(nk))])
    return nk / nk.sum(), means, covs


@pitfall(replaces="GaussianMixtureEM.fit", why="uses precisions_init as the initial covariances (never inverts it)")
def precisions_as_covariances(self: GaussianMixtureEM, X: np.ndarray) -> GaussianMixtureEM:
    X = np.asarray(X, dtype=np.float64)
    self.weights_, self.means_ = np.array(self.weights_init, float), np.array(self.means_init, float)
    self.covariances_ = np.array(self.precisions_init, dtype=np.float64)
    self.lower_bounds_, self.converged_, lower_bound, self.n_iter_ = [], False, -np.inf, 0
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


@pitfall(replaces="GaussianMixtureEM.fit", why="tests convergence on the likelihood of the new parameters (an extra E-step after the M-step)")
def bound_after_m_step(self: GaussianMixtureEM, X: np.ndarray) -> GaussianMixtureEM:
    X = np.asarray(X, dtype=np.float64)
    self.weights_, self.means_ = np.array(self.weights_init, float), np.array(self.means_init, float)
    self.covariances_ = np.linalg.inv(np.asarray(self.precisions_init, dtype=np.float64))
    self.lower_bounds_, self.converged_, lower_bound, self.n_iter_ = [], False, -np.inf, 0
    for n_iter in range(1, self.max_iter + 1):
        previous = lower_bound
        log_resp, _ = e_step(X, self.weights_, self.means_, self.covariances_)
        self.weights_, self.means_, self.covariances_ = m_step(X, np.exp(log_resp), self.reg_covar)
        _, lower_bound = e_step(X, self.weights_, self.means_, self.covariances_)
        self.lower_bounds_.append(lower_bound)
        self.n_iter_ = n_iter
        if abs(lower_bound - previous) < self.tol:
            self.converged_ = True
            break
    self.lower_bound_ = lower_bound
    return self


@pitfall(replaces="GaussianMixtureEM.fit", why="starts from the caller's init arrays themselves and updates them in "
         "place (self.means_[:] = ...): the hyperparameters change under the caller")
def updates_init_in_place(self: GaussianMixtureEM, X: np.ndarray) -> GaussianMixtureEM:
    self.weights_, self.means_ = self.weights_init, self.means_init
    self.covariances_ = np.linalg.inv(self.precisions_init)
    self.lower_bounds_, self.converged_, self.n_iter_ = [], False, 0
    lower_bound = -np.inf
    for n_iter in range(1, self.max_iter + 1):
        previous = lower_bound
        log_resp, lower_bound = e_step(X, self.weights_, self.means_, self.covariances_)
        w, mu, cov = m_step(X, np.exp(log_resp), self.reg_covar)
        self.weights_[:], self.means_[:], self.covariances_ = w, mu, cov
        self.lower_bounds_.append(lower_bound)
        self.n_iter_ = n_iter
        if abs(lower_bound - previous) < self.tol:
            self.converged_ = True
            break
    self.lower_bound_ = lower_bound
    return self

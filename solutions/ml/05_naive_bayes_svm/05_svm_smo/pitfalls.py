"""Plausible wrong SMO implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from svm_smo import (
        SMOSVC,
        clip_bounds,
        compute_intercept,
        dual_objective,
        index_sets,
        kernel_matrix,
        select_working_pair,
    )


@pitfall(replaces="clip_bounds", why="the bounds of the y_i == y_j and y_i != y_j cases swapped")
def clip_cases_swapped(alpha_i: float, alpha_j: float, y_i: float, y_j: float, C: float) -> tuple[float, float]:
    if y_i == y_j:
        return max(0.0, alpha_j - alpha_i), min(C, C + alpha_j - alpha_i)
    return max(0.0, alpha_i + alpha_j - C), min(C, alpha_i + alpha_j)


@pitfall(replaces="select_working_pair", why="ignores the box: i and j range over all indices, so a pair may be unable to move")
def pair_ignores_box(alpha: np.ndarray, y: np.ndarray, grad: np.ndarray, C: float) -> tuple[int, int, float]:
    score = -y * grad
    i, j = int(np.argmax(score)), int(np.argmin(score))
    return i, j, float(score[i] - score[j])


@pitfall(replaces="compute_intercept", why="averages b over every support vector, the bounded ones (alpha = C) included")
def intercept_over_all_svs(alpha: np.ndarray, y: np.ndarray, grad: np.ndarray, C: float) -> float:
    score = -y * grad
    sv = alpha > 0
    if sv.any():
        return float(score[sv].mean())
    up, low = index_sets(alpha, y, C)
    return float((score[up].max() + score[low].min()) / 2)


@pitfall(replaces="compute_intercept", why="the intercept with the wrong sign (LIBSVM's rho is -b)")
def intercept_sign_flipped(alpha: np.ndarray, y: np.ndarray, grad: np.ndarray, C: float) -> float:
    score = -y * grad
    free = (alpha > 0) & (alpha < C)
    if free.any():
        return float(-score[free].mean())
    up, low = index_sets(alpha, y, C)
    return float(-(score[up].max() + score[low].min()) / 2)


@pitfall(replaces="dual_objective", why="forgets the labels in the quadratic term: alpha^T K alpha")
def dual_without_labels(alpha: np.ndarray, y: np.ndarray, K: np.ndarray) -> float:
    return float(alpha.sum() - 0.5 * alpha @ K @ alpha)


@pitfall(replaces="SMOSVC.fit", why="no snapping to the box: an alpha left at 1e-18 blocks its pair and SMO stalls")
def no_snapping(self: SMOSVC, X: np.ndarray, y: np.ndarray) -> SMOSVC:
    X = np.asarray(X, dtype=np.float64)
    self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
    if len(self.classes_) != 2:
        raise ValueError("binary only")
    s = np.where(codes == 1, 1.0, -1.0)
    C = self.C
    K = kernel_matrix(X, X, self.kernel, self.gamma)
    Q = s[:, None] * s[None, :] * K
    alpha, grad = np.zeros(len(s)), -np.ones(len(s))
    self.dual_objective_history_, self.n_iter_ = [0.0], 0
    for _ in range(self.max_iter):
        i, j, gap = select_working_pair(alpha, s, grad, C)
        if gap < self.tol:
            break
        eta = max(K[i, i] + K[j, j] - 2 * K[i, j], 1e-12)
        L, H = clip_bounds(alpha[i], alpha[j], s[i], s[j], C)
        a_j = min(max(alpha[j] + s[j] * (s[i] * grad[i] - s[j] * grad[j]) / eta, L), H)
        a_i = alpha[i] + s[i] * s[j] * (alpha[j] - a_j)
        grad += Q[:, i] * (a_i - alpha[i]) + Q[:, j] * (a_j - alpha[j])
        alpha[i], alpha[j] = a_i, a_j
        self.n_iter_ += 1
        self.dual_objective_history_.append(dual_objective(alpha, s, K))
    self.intercept_ = compute_intercept(alpha, s, grad, C)
    self.alpha_ = alpha
    self.support_ = np.flatnonzero(alpha > 0)
    self.support_vectors_ = X[self.support_]
    self.dual_coef_ = (alpha * s)[self.support_]
    if self.kernel == "linear":
        self.coef_ = self.dual_coef_ @ self.support_vectors_
    return self

"""Plausible wrong subgradient-SVM implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from linear_svm import LinearSVM, svm_objective, svm_subgradient


@pitfall(replaces="svm_subgradient", why="the hinge term with the wrong sign: +C y x instead of -C y x")
def hinge_sign_flipped(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    active = y * (X @ w + b) < 1.0
    return w + C * (y[active] @ X[active]), float(b + C * y[active].sum())


@pitfall(replaces="svm_subgradient", why="perceptron-style: only misclassified points (margin < 0) count, not margin < 1")
def misclassified_only(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    active = y * (X @ w + b) < 0.0
    return w - C * (y[active] @ X[active]), float(b - C * y[active].sum())


@pitfall(replaces="svm_subgradient", why="forgets the regulariser's gradient w (and b)")
def no_regulariser_gradient(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    active = y * (X @ w + b) < 1.0
    return -C * (y[active] @ X[active]), float(-C * y[active].sum())


@pitfall(replaces="svm_subgradient", why="textbook SVM: the intercept is not regularised (g_b lacks the b term)")
def unregularised_intercept(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    active = y * (X @ w + b) < 1.0
    return w - C * (y[active] @ X[active]), float(-C * y[active].sum())


@pitfall(replaces="LinearSVM.fit", why="uses 0/1 labels as they are instead of mapping them to -1/+1")
def labels_not_mapped(self: LinearSVM, X: np.ndarray, y: np.ndarray) -> LinearSVM:
    X = np.asarray(X, dtype=np.float64)
    self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
    if len(self.classes_) != 2:
        raise ValueError("binary only")
    s = codes.astype(np.float64)  # 0 and 1
    w, b = np.zeros(X.shape[1]), 0.0
    best = (svm_objective(w, b, X, s, self.C), w.copy(), b)
    self.objective_history_ = [best[0]]
    for t in range(1, self.n_iter + 1):
        g_w, g_b = svm_subgradient(w, b, X, s, self.C)
        w, b = w - g_w / t, b - g_b / t
        obj = svm_objective(w, b, X, s, self.C)
        self.objective_history_.append(obj)
        if obj < best[0]:
            best = (obj, w.copy(), b)
    self.objective_, self.coef_, self.intercept_ = best
    return self


@pitfall(replaces="LinearSVM.fit", why="returns the last iterate, not the best one seen")
def last_iterate(self: LinearSVM, X: np.ndarray, y: np.ndarray) -> LinearSVM:
    X = np.asarray(X, dtype=np.float64)
    self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
    if len(self.classes_) != 2:
        raise ValueError("binary only")
    s = np.where(codes == 1, 1.0, -1.0)
    w, b = np.zeros(X.shape[1]), 0.0
    self.objective_history_ = [svm_objective(w, b, X, s, self.C)]
    for t in range(1, self.n_iter + 1):
        g_w, g_b = svm_subgradient(w, b, X, s, self.C)
        w, b = w - g_w / t, b - g_b / t
        self.objective_history_.append(svm_objective(w, b, X, s, self.C))
    self.coef_, self.intercept_, self.objective_ = w, b, self.objective_history_[-1]
    return self

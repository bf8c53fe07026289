"""ml-05-5: the SVM dual solved with SMO. Edit this file; `grader check ml-05-5` tests it."""
from __future__ import annotations

import numpy as np


def kernel_matrix(X: np.ndarray, Y: np.ndarray, kernel: str = "linear", gamma: float = 1.0) -> np.ndarray:
    """(n, m) Gram matrix between the rows of X and Y: "linear" x.y or "rbf" exp(-gamma ||x - y||^2) (given)."""
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    if kernel == "linear":
        return X @ Y.T
    if kernel == "rbf":
        return np.exp(-gamma * ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1))
    raise ValueError(f"unknown kernel {kernel!r}")


def index_sets(alpha: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks (I_up, I_low) of the indices that may move up / down along y (given)."""
    up = ((alpha < C) & (y > 0)) | ((alpha > 0) & (y < 0))
    low = ((alpha < C) & (y < 0)) | ((alpha > 0) & (y > 0))
    return up, low


def clip_bounds(alpha_i: float, alpha_j: float, y_i: float, y_j: float, C: float) -> tuple[float, float]:
    """Platt's bounds [L, H] for the new alpha_j of a pair update.

    The update keeps y_i alpha_i + y_j alpha_j fixed, so alpha_i' = alpha_i + y_i y_j (alpha_j - alpha_j').
    [L, H] is the set of alpha_j' in [0, C] for which alpha_i' is in [0, C] as well.

    Shapes: scalars; y_i, y_j in {-1, +1}; 0 <= alpha_i, alpha_j <= C.
    """
    raise NotImplementedError("clip_bounds: two cases, y_i != y_j and y_i == y_j")


def dual_objective(alpha: np.ndarray, y: np.ndarray, K: np.ndarray) -> float:
    """W(alpha) = sum_i alpha_i - 1/2 sum_ij alpha_i alpha_j y_i y_j K_ij (the dual, to be maximised).

    Shapes:
        alpha: (n,), y: (n,) in {-1, +1}, K: (n, n)
    """
    raise NotImplementedError("dual_objective: linear term minus the quadratic form")


def select_working_pair(alpha: np.ndarray, y: np.ndarray, grad: np.ndarray, C: float) -> tuple[int, int, float]:
    """The maximal violating pair (first-order working-set selection, Keerthi et al. 2001; LIBSVM's
    default today is the second-order WSS2, which picks j differently).

    grad is the gradient of f(alpha) = 1/2 alpha^T Q alpha - sum(alpha), Q_ij = y_i y_j K_ij.
    With score_t = -y_t grad_t and (I_up, I_low) = index_sets(alpha, y, C):
        i = argmax of score over I_up,  j = argmin of score over I_low,  gap = score_i - score_j.
    alpha is optimal (KKT) exactly when gap <= 0; SMO stops when gap < tol.

    Shapes:
        returns: (i, j, gap) as (int, int, float)
    """
    raise NotImplementedError("select_working_pair: max over I_up, min over I_low")


def compute_intercept(alpha: np.ndarray, y: np.ndarray, grad: np.ndarray, C: float) -> float:
    """The intercept b of f(x) = sum_i alpha_i y_i K(x_i, x) + b at the solution (as LIBSVM computes it).

    For a free support vector (0 < alpha_t < C), y_t f(x_t) = 1, i.e. b = score_t = -y_t grad_t:
    return the mean of score_t over the free vectors. With no free vector, return the midpoint
    (max of score over I_up + min of score over I_low) / 2.
    """
    raise NotImplementedError("compute_intercept: average over the free support vectors only")


class SMOSVC:
    """Binary soft-margin SVM solved in the dual by SMO, a twin of sklearn.svm.SVC(kernel, C, gamma).

    Hyperparameters (stored unchanged by __init__): C, kernel ("linear" or "rbf"), gamma, tol, max_iter.

    fit(X, y):
        - classes_ = the two sorted labels; classes_[1] is +1, classes_[0] is -1
        - alpha = 0, grad = -1 (the gradient of f at alpha = 0); repeat at most max_iter times:
            (i, j, gap) = select_working_pair(...); stop if gap < tol
            eta = K_ii + K_jj - 2 K_ij (floor it at 1e-12)
            alpha_j' = clip(alpha_j + y_j (E_i - E_j) / eta, L, H) with E_t = y_t grad_t and
                (L, H) = clip_bounds(...)
            alpha_i' = alpha_i + y_i y_j (alpha_j - alpha_j')
            set any new alpha within 1e-12 * C of 0 or C exactly to 0 or C
            grad += Q[:, i] (alpha_i' - alpha_i) + Q[:, j] (alpha_j' - alpha_j)
            n_iter_ += 1; append dual_objective(alpha) to dual_objective_history_
        - intercept_ = compute_intercept(...)
    Fitted attributes:
        classes_ (2,), alpha_ (n,), support_ (indices with alpha_ > 0, ascending),
        support_vectors_ = X[support_], dual_coef_ = (alpha_ * y)[support_] (y in -1/+1),
        intercept_ float, n_iter_ int, dual_objective_history_ (list: W(0) = 0, then one value per
        update), and for kernel="linear" coef_ = dual_coef_ @ support_vectors_ (d,)
    """

    def __init__(self, C: float = 1.0, kernel: str = "linear", gamma: float = 1.0, tol: float = 1e-8,
                 max_iter: int = 20_000) -> None:
        self.C = C
        self.kernel = kernel
        self.gamma = gamma
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, X: np.ndarray, y: np.ndarray) -> SMOSVC:
        """Run SMO; returns self.

        Shapes:
            X: (n, d) float64; y: (n,) two distinct labels of any dtype

        Raises:
            ValueError: if y does not hold exactly two classes.
        """
        raise NotImplementedError("fit: SMO pair updates until the maximal violation is below tol")

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """(m,) f(x) = sum over support vectors of dual_coef_ K(sv, x) + intercept_."""
        raise NotImplementedError("decision_function: kernel expansion over the support vectors")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(m,) classes_[1] where f(x) > 0, else classes_[0]."""
        raise NotImplementedError("predict: threshold f at 0")

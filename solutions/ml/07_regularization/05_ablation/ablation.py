"""Reference solution for ml-07-5."""
from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


class AblationResult(NamedTuple):
    """What `ablation_curve` returns (given: you do not need to change it)."""

    alphas: np.ndarray  # (k,) the regularisation strengths, in the order they were given
    train_mse: np.ndarray  # (k,) mean squared error on the training set
    test_mse: np.ndarray  # (k,) mean squared error on the test set
    coef_norm: np.ndarray  # (k,) Euclidean norm of the coefficients (intercept excluded)
    coefs: np.ndarray  # (k, d) the fitted coefficients


def ridge_fit(X: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    x_mean, y_mean = X.mean(axis=0), float(y.mean())
    Xc, yc = X - x_mean, y - y_mean
    coef = np.linalg.lstsq(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc, rcond=None)[0]
    return coef, float(y_mean - x_mean @ coef)


def ablation_curve(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                   alphas: np.ndarray) -> AblationResult:
    """Fit ridge on the training set for every alpha and measure it on both sets.

    Shapes:
        X_train: (n, d);  y_train: (n,);  X_test: (m, d);  y_test: (m,);  alphas: (k,) >= 0, any order
        returns: AblationResult, every array in the order of `alphas`; result.alphas is a new
            array (a copy), never the caller's `alphas` itself
    """
    alphas = np.asarray(alphas, dtype=np.float64)
    coefs, train, test = [], [], []
    for alpha in alphas:
        coef, b = ridge_fit(X_train, y_train, float(alpha))
        coefs.append(coef)
        train.append(np.mean((y_train - X_train @ coef - b) ** 2))
        test.append(np.mean((y_test - X_test @ coef - b) ** 2))
    coefs_arr = np.array(coefs).reshape(len(alphas), X_train.shape[1])
    return AblationResult(alphas.copy(), np.array(train), np.array(test), np.linalg.norm(coefs_arr, axis=1), coefs_arr)


def best_alpha(result: AblationResult) -> float:
    return float(result.alphas[int(np.argmin(result.test_mse))])


def plot_ablation(result: AblationResult) -> Figure:
    order = np.argsort(result.alphas, kind="stable")
    a = result.alphas[order]
    fig, (ax_err, ax_norm) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    ax_err.plot(a, result.train_mse[order], marker="o", label="train")
    ax_err.plot(a, result.test_mse[order], marker="o", label="test")
    ax_err.axvline(best_alpha(result), color="gray", linestyle="--", label="best alpha")
    ax_err.set_xscale("log")
    ax_err.set_xlabel("alpha")
    ax_err.set_ylabel("MSE")
    ax_err.set_title("Error against regularisation strength")
    ax_err.legend()
    ax_norm.plot(a, result.coef_norm[order], marker="o", label="||w||")
    ax_norm.set_xscale("log")
    ax_norm.set_xlabel("alpha")
    ax_norm.set_ylabel("||w||")
    ax_norm.set_title("Coefficient norm")
    return fig

"""Plausible wrong versions of the regulariser ablation that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ablation import AblationResult, Figure, best_alpha, plt, ridge_fit


@pitfall(replaces="ridge_fit", why="penalises the intercept (a column of ones inside the ridge system)")
def penalised_intercept(X: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    Xt = np.hstack([X, np.ones((len(X), 1))])
    theta = np.linalg.lstsq(Xt.T @ Xt + alpha * np.eye(Xt.shape[1]), Xt.T @ y, rcond=None)[0]
    return theta[:-1], float(theta[-1])


def _curve(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray, alphas: np.ndarray,
           *, test_on_train: bool = False, rmse: bool = False, norm_with_b: bool = False,
           sort: bool = False) -> AblationResult:
    alphas = np.array(alphas, dtype=np.float64)  # a copy: each pitfall has only its own mistake
    if sort:
        alphas = np.sort(alphas)
    Xe, ye = (X_train, y_train) if test_on_train else (X_test, y_test)
    coefs, train, test, norms = [], [], [], []
    for alpha in alphas:
        coef, b = ridge_fit(X_train, y_train, float(alpha))
        coefs.append(coef)
        tr = np.mean((y_train - X_train @ coef - b) ** 2)
        te = np.mean((ye - Xe @ coef - b) ** 2)
        train.append(np.sqrt(tr) if rmse else tr)
        test.append(np.sqrt(te) if rmse else te)
        norms.append(np.linalg.norm(np.append(coef, b)) if norm_with_b else np.linalg.norm(coef))
    return AblationResult(alphas, np.array(train), np.array(test), np.array(norms),
                          np.array(coefs).reshape(len(alphas), X_train.shape[1]))


@pitfall(replaces="ablation_curve", why="measures the 'test' error on the training set")
def test_on_train(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                  alphas: np.ndarray) -> AblationResult:
    return _curve(X_train, y_train, X_test, y_test, alphas, test_on_train=True)


@pitfall(replaces="ablation_curve", why="root mean squared error instead of mean squared error")
def rmse_not_mse(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                 alphas: np.ndarray) -> AblationResult:
    return _curve(X_train, y_train, X_test, y_test, alphas, rmse=True)


@pitfall(replaces="ablation_curve", why="includes the intercept in the coefficient norm")
def norm_with_intercept(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                        alphas: np.ndarray) -> AblationResult:
    return _curve(X_train, y_train, X_test, y_test, alphas, norm_with_b=True)


@pitfall(replaces="ablation_curve", why="sorts the alphas, so the results no longer line up with the input order")
def sorted_results(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                   alphas: np.ndarray) -> AblationResult:
    return _curve(X_train, y_train, X_test, y_test, alphas, sort=True)


@pitfall(replaces="best_alpha", why="picks the alpha with the smallest TRAINING error (always the weakest penalty)")
def best_by_train(result: AblationResult) -> float:
    return float(result.alphas[int(np.argmin(result.train_mse))])


@pitfall(replaces="plot_ablation", why="linear x axis: the alphas span decades and bunch up at the left")
def linear_x_axis(result: AblationResult) -> Figure:
    order = np.argsort(result.alphas, kind="stable")
    a = result.alphas[order]
    fig, (ax_err, ax_norm) = plt.subplots(1, 2)
    ax_err.plot(a, result.train_mse[order], label="train")
    ax_err.plot(a, result.test_mse[order], label="test")
    ax_err.axvline(best_alpha(result), label="best alpha")
    ax_err.set_xlabel("alpha")
    ax_err.set_ylabel("MSE")
    ax_err.legend()
    ax_norm.plot(a, result.coef_norm[order])
    ax_norm.set_xlabel("alpha")
    ax_norm.set_ylabel("||w||")
    return fig


@pitfall(replaces="best_alpha", why="the last alpha with the smallest test error (a <= scan): ties go to the last")
def best_alpha_last_tie(result: AblationResult) -> float:
    test = np.asarray(result.test_mse)
    return float(result.alphas[len(test) - 1 - int(np.argmin(test[::-1]))])

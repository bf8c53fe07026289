"""nlp-16-2: learning curves on real vs synthetic data. Edit this file; `grader check nlp-16-2` tests it."""
from __future__ import annotations

import math  # noqa: F401  (math.ceil, for real_vs_synthetic)
from collections.abc import Sequence

import numpy as np
import torch
from matplotlib.figure import Figure
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def load_digits_split(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Given, complete: scikit-learn's bundled 8x8 digits (1797 real scans), pixels scaled to [0, 1],
    split 50/50 stratified: (X_train (898, 64), y_train, X_test (899, 64), y_test)."""
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X / 16.0, y, test_size=0.5, stratify=y, random_state=seed)
    return X_tr, y_tr, X_te, y_te


def fit_and_score(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray, seed: int,
                  steps: int = 100, lr: float = 0.5, n_classes: int = 10) -> float:
    """Given, complete: a tiny seeded model (softmax regression, full-batch gradient descent, float64)
    trained on (X_train, y_train); returns its accuracy on (X_test, y_test)."""
    g = torch.Generator().manual_seed(seed)
    X = torch.as_tensor(X_train, dtype=torch.float64)
    y = torch.as_tensor(np.asarray(y_train), dtype=torch.long)
    W = (torch.randn(X.shape[1], n_classes, generator=g, dtype=torch.float64) * 0.01).requires_grad_(True)
    b = torch.zeros(n_classes, dtype=torch.float64, requires_grad=True)
    for _ in range(steps):
        loss = torch.nn.functional.cross_entropy(X @ W + b, y)
        gW, gb = torch.autograd.grad(loss, (W, b))
        with torch.no_grad():
            W -= lr * gW
            b -= lr * gb
    with torch.no_grad():
        pred = (torch.as_tensor(X_test, dtype=torch.float64) @ W + b).argmax(dim=1).numpy()
    return float(np.mean(pred == np.asarray(y_test)))


def fit_class_gaussians(X: np.ndarray, y: np.ndarray, reg: float = 0.1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A Gaussian per class, the simplest generative model of the real data.

    For every class c (in increasing order): the mean of its rows, and the covariance
        cov_c = (1 - reg) * S_c + reg * I,
    S_c the maximum-likelihood covariance (divide by n_c, not n_c - 1: np.cov(..., ddof=0)).
    reg > 0 keeps cov_c positive definite when pixels never vary within a class.

    Shapes:
        X: (n, d); y: (n,) integer labels
        returns: (classes (k,), means (k, d), covs (k, d, d)), float64
    """
    raise NotImplementedError("fit_class_gaussians: per class: mean and (1 - reg) * MLE covariance + reg * I")


def sample_synthetic(classes: np.ndarray, means: np.ndarray, covs: np.ndarray, n_per_class: int,
                     seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n_per_class samples from every class's Gaussian N(means[i], covs[i]), drawn with
    np.random.default_rng(seed); rows grouped by class in the order of `classes`.

    Shapes:
        returns: (X (k * n_per_class, d) float64, y (k * n_per_class,) with the class labels)
    """
    raise NotImplementedError("sample_synthetic: multivariate normal draws per class, grouped by class")


def balanced_order(y: np.ndarray, seed: int) -> np.ndarray:
    """An order of the training rows whose every prefix is as class-balanced as possible.

    Shuffle each class's indices with np.random.default_rng(seed) (classes in increasing order),
    then deal them round-robin: first item of every class, then the second of every class, ...;
    a class that runs out is skipped. Prefixes of this order are nested training sets of every size.

    Shapes:
        y: (n,); returns: (n,) int64, a permutation of 0..n-1
    """
    raise NotImplementedError("balanced_order: shuffle each class, deal round-robin")


def learning_curve(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                   sizes: Sequence[int], seeds: Sequence[int]) -> np.ndarray:
    """Test accuracy against training-set size, one row per seed.

    For seed s and size m: order = balanced_order(y_train, s); train fit_and_score on the first m rows
    of that order (seed s) and score on the whole test set.

    Shapes:
        returns: (len(seeds), len(sizes)) float64
    """
    raise NotImplementedError("learning_curve: fit_and_score on nested balanced prefixes, per seed and size")


def real_vs_synthetic(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                      sizes: Sequence[int], seeds: Sequence[int], reg: float = 0.1) -> dict[str, np.ndarray]:
    """Learning curves of the same model trained on real rows and on synthetic rows, scored on real test data.

    The synthetic training set: fit_class_gaussians(X_train, y_train, reg), then sample_synthetic with
    n_per_class = ceil(max(sizes) / number of classes) and seed seeds[0].

    Returns:
        {"sizes": array of sizes, "real_mean", "real_std", "synthetic_mean", "synthetic_std"}: the mean
        and the standard deviation (ddof=0) over seeds of each curve, shape (len(sizes),)
    """
    raise NotImplementedError("real_vs_synthetic: fit the generator on real train, sample, two learning curves")


def plot_learning_curves(result: dict[str, np.ndarray]) -> Figure:
    """One axes, x on a log scale: a line per data source, labelled "real" and "synthetic", with
    x = result["sizes"] and y = the mean accuracy, each with a shaded band mean ± std
    (ax.fill_between); x label mentions "training examples", y label "accuracy"; a legend.

    Returns:
        a matplotlib Figure
    """
    raise NotImplementedError("plot_learning_curves: two lines with mean ± std bands on a log x axis")

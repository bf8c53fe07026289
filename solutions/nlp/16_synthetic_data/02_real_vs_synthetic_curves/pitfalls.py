"""Plausible wrong generators, orders and curves that the tests must reject."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from learning_curves import (
        balanced_order,
        fit_and_score,
        fit_class_gaussians,
        learning_curve,
        sample_synthetic,
    )


@pitfall(replaces="fit_class_gaussians", why="np.cov's default ddof=1 (unbiased) instead of the maximum-likelihood n_c")
def unbiased_covariance(X: np.ndarray, y: np.ndarray, reg: float = 0.1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    classes = np.unique(y)
    d = X.shape[1]
    means = np.stack([X[y == c].mean(axis=0) for c in classes])
    covs = np.stack([(1 - reg) * (np.cov(X[y == c], rowvar=False).reshape(d, d) if np.sum(y == c) > 1
                                  else np.zeros((d, d))) + reg * np.eye(d) for c in classes])
    return classes, means, covs


@pitfall(replaces="fit_class_gaussians", why="adds reg * I without shrinking the sample covariance by (1 - reg)")
def ridge_not_shrinkage(X: np.ndarray, y: np.ndarray, reg: float = 0.1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    classes = np.unique(y)
    d = X.shape[1]
    means = np.stack([X[y == c].mean(axis=0) for c in classes])
    covs = np.stack([np.cov(X[y == c], rowvar=False, ddof=0).reshape(d, d) + reg * np.eye(d) for c in classes])
    return classes, means, covs


@pitfall(replaces="sample_synthetic", why="ignores the covariances: unit-variance noise around each mean")
def identity_covariance(classes: np.ndarray, means: np.ndarray, covs: np.ndarray, n_per_class: int,
                        seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.concatenate([m + rng.standard_normal((n_per_class, len(m))) for m in means])
    return X, np.repeat(np.asarray(classes), n_per_class)


@pitfall(replaces="sample_synthetic", why="shuffles the rows, so they are no longer grouped by class")
def shuffled_rows(classes: np.ndarray, means: np.ndarray, covs: np.ndarray, n_per_class: int,
                  seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.multivariate_normal(m, c, size=n_per_class) for m, c in zip(means, covs, strict=True)])
    y = np.repeat(np.asarray(classes), n_per_class)
    perm = rng.permutation(len(y))
    return X[perm], y[perm]


@pitfall(replaces="balanced_order", why="shuffles each class but concatenates them: prefixes hold one class only")
def class_blocks(y: np.ndarray, seed: int) -> np.ndarray:
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    parts = []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        rng.shuffle(idx)
        parts.append(idx)
    return np.concatenate(parts).astype(np.int64)


@pitfall(replaces="balanced_order", why="round-robin without shuffling: every seed trains on the same rows")
def no_shuffle(y: np.ndarray, seed: int) -> np.ndarray:
    y = np.asarray(y)
    per_class = [list(np.flatnonzero(y == c)) for c in np.unique(y)]
    order = [p[r] for r in range(max(len(p) for p in per_class)) for p in per_class if r < len(p)]
    return np.asarray(order, dtype=np.int64)


@pitfall(replaces="learning_curve", why="draws a fresh random subset for every size: not nested, not balanced")
def fresh_random_subsets(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                         sizes: Sequence[int], seeds: Sequence[int]) -> np.ndarray:
    out = np.zeros((len(seeds), len(sizes)))
    for a, s in enumerate(seeds):
        rng = np.random.default_rng(s)
        for b, m in enumerate(sizes):
            rows = rng.choice(len(y_train), size=m, replace=False)
            out[a, b] = fit_and_score(X_train[rows], np.asarray(y_train)[rows], X_test, y_test, s)
    return out


@pitfall(replaces="learning_curve", why="varies the data order with the seed but always initialises the model with seed 0")
def model_seed_fixed(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                     sizes: Sequence[int], seeds: Sequence[int]) -> np.ndarray:
    out = np.zeros((len(seeds), len(sizes)))
    for a, s in enumerate(seeds):
        order = balanced_order(y_train, s)
        for b, m in enumerate(sizes):
            out[a, b] = fit_and_score(X_train[order[:m]], np.asarray(y_train)[order[:m]], X_test, y_test, 0)
    return out


@pitfall(replaces="real_vs_synthetic", why="fits the generator on the test set: the synthetic data leaks the test set")
def generator_fit_on_test(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                          sizes: Sequence[int], seeds: Sequence[int], reg: float = 0.1) -> dict[str, np.ndarray]:
    classes, means, covs = fit_class_gaussians(X_test, y_test, reg)
    X_syn, y_syn = sample_synthetic(classes, means, covs, math.ceil(max(sizes) / len(classes)), seeds[0])
    real = learning_curve(X_train, y_train, X_test, y_test, sizes, seeds)
    syn = learning_curve(X_syn, y_syn, X_test, y_test, sizes, seeds)
    return {"sizes": np.asarray(sizes), "real_mean": real.mean(0), "real_std": real.std(0),
            "synthetic_mean": syn.mean(0), "synthetic_std": syn.std(0)}


@pitfall(replaces="real_vs_synthetic", why="the spread over seeds with ddof=1 where the spec asks for ddof=0")
def sample_std(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
               sizes: Sequence[int], seeds: Sequence[int], reg: float = 0.1) -> dict[str, np.ndarray]:
    classes, means, covs = fit_class_gaussians(X_train, y_train, reg)
    X_syn, y_syn = sample_synthetic(classes, means, covs, math.ceil(max(sizes) / len(classes)), seeds[0])
    real = learning_curve(X_train, y_train, X_test, y_test, sizes, seeds)
    syn = learning_curve(X_syn, y_syn, X_test, y_test, sizes, seeds)
    return {"sizes": np.asarray(sizes), "real_mean": real.mean(0), "real_std": real.std(0, ddof=1),
            "synthetic_mean": syn.mean(0), "synthetic_std": syn.std(0, ddof=1)}


@pitfall(replaces="plot_learning_curves", why="linear x axis and no uncertainty bands")
def linear_no_bands(result: dict[str, np.ndarray]) -> Figure:
    fig = Figure()
    ax = fig.subplots()
    for key in ("real", "synthetic"):
        ax.plot(result["sizes"], result[f"{key}_mean"], label=key)
    ax.set_xlabel("training examples")
    ax.set_ylabel("test accuracy")
    ax.legend()
    return fig


@pitfall(replaces="sample_synthetic", why="np.random.multivariate_normal: the global generator, the seed is never used")
def global_rng_samples(classes: np.ndarray, means: np.ndarray, covs: np.ndarray, n_per_class: int,
                       seed: int) -> tuple[np.ndarray, np.ndarray]:
    X = np.concatenate([np.random.multivariate_normal(m, c, size=n_per_class)
                        for m, c in zip(means, covs, strict=True)])
    return X, np.repeat(np.asarray(classes), n_per_class)


@pitfall(replaces="balanced_order", why="default_rng(0) whatever the seed: every seed deals the same order")
def fixed_seed_order(y: np.ndarray, seed: int) -> np.ndarray:
    y = np.asarray(y)
    rng = np.random.default_rng(0)
    per_class = []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        rng.shuffle(idx)
        per_class.append(list(idx))
    order = []
    for rank in range(max((len(p) for p in per_class), default=0)):
        order.extend(p[rank] for p in per_class if rank < len(p))
    return np.asarray(order, dtype=np.int64)

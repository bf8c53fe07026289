"""Plausible wrong versions of the ensemble functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ensembles import ensemble_scores, fit_reward_model


def _check(chosen: np.ndarray, rejected: np.ndarray, n_models: int) -> None:
    if n_models < 1 or len(chosen) == 0 or len(chosen) != len(rejected):
        raise ValueError("bad input")


@pitfall(replaces="fit_ensemble", why="fits every member on the full data: identical members, no disagreement")
def no_bootstrap(features: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, n_models: int, seed: int,
                 l2: float = 1e-3) -> np.ndarray:
    _check(chosen, rejected, n_models)
    d = features[chosen] - features[rejected]
    return np.stack([fit_reward_model(d, l2) for _ in range(n_models)])


@pitfall(replaces="fit_ensemble", why="a fresh default_rng(seed) per member: every member gets the same resample")
def same_resample(features: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, n_models: int, seed: int,
                  l2: float = 1e-3) -> np.ndarray:
    _check(chosen, rejected, n_models)
    d = features[chosen] - features[rejected]
    n = len(d)
    return np.stack([fit_reward_model(d[np.random.default_rng(seed).integers(0, n, n)], l2) for _ in range(n_models)])


@pitfall(replaces="fit_ensemble", why="resamples without replacement (a permutation): the same data in another order")
def permutation_not_bootstrap(features: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, n_models: int,
                              seed: int, l2: float = 1e-3) -> np.ndarray:
    _check(chosen, rejected, n_models)
    rng = np.random.default_rng(seed)
    d = features[chosen] - features[rejected]
    return np.stack([fit_reward_model(d[rng.permutation(len(d))], l2) for _ in range(n_models)])


@pitfall(replaces="ensemble_scores", why="population std (ddof = 0): underestimates disagreement in a small ensemble")
def population_std(weights: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rewards = x @ weights.T
    return rewards.mean(axis=1), rewards.std(axis=1)


@pitfall(replaces="ensemble_scores", why="std of the members' weights summed over features instead of the std of their rewards")
def std_of_weights(weights: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rewards = x @ weights.T
    spread = weights.std(axis=0, ddof=1).sum() if len(weights) > 1 else 0.0
    return rewards.mean(axis=1), np.full(len(x), spread)


@pitfall(replaces="conservative_reward", why="adds the disagreement (optimism under uncertainty) instead of subtracting it")
def optimistic(weights: np.ndarray, x: np.ndarray, k: float = 1.0) -> np.ndarray:
    mean, std = ensemble_scores(weights, x)
    return mean + k * std


@pitfall(replaces="flag_hacking", why="flags std >= threshold: an item exactly on the threshold is flagged")
def flags_on_threshold(weights: np.ndarray, x: np.ndarray, threshold: float) -> np.ndarray:
    return ensemble_scores(weights, x)[1] >= threshold

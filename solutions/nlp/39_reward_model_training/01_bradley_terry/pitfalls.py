"""Plausible wrong versions of the Bradley-Terry functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from bradley_terry import fit_reward_model


def _check(utilities: np.ndarray, n_pairs: int, temperature: float) -> None:
    if len(utilities) < 2 or n_pairs < 0 or temperature <= 0:
        raise ValueError("bad arguments")


@pitfall(replaces="collect_preferences", why="the annotator always picks the higher utility: no label noise, "
         "so the probabilities Bradley-Terry models are never seen")
def argmax_annotator(utilities: np.ndarray, n_pairs: int, seed: int,
                     temperature: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    _check(utilities, n_pairs, temperature)
    rng = np.random.default_rng(seed)
    k = len(utilities)
    a = rng.integers(0, k, n_pairs)
    b = (a + rng.integers(1, k, n_pairs)) % k
    a_wins = utilities[a] > utilities[b]
    return np.where(a_wins, a, b), np.where(a_wins, b, a)


@pitfall(replaces="collect_preferences", why="draws a and b independently: an item is sometimes compared with itself")
def self_pairs(utilities: np.ndarray, n_pairs: int, seed: int, temperature: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    _check(utilities, n_pairs, temperature)
    rng = np.random.default_rng(seed)
    a = rng.integers(0, len(utilities), n_pairs)
    b = rng.integers(0, len(utilities), n_pairs)
    a_wins = rng.random(n_pairs) < 1 / (1 + np.exp(-(utilities[a] - utilities[b]) / temperature))
    return np.where(a_wins, a, b), np.where(a_wins, b, a)


@pitfall(replaces="collect_preferences", why="multiplies the utility gap by the temperature instead of dividing")
def temperature_multiplies(utilities: np.ndarray, n_pairs: int, seed: int,
                           temperature: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    _check(utilities, n_pairs, temperature)
    rng = np.random.default_rng(seed)
    k = len(utilities)
    a = rng.integers(0, k, n_pairs)
    b = (a + rng.integers(1, k, n_pairs)) % k
    a_wins = rng.random(n_pairs) < 1 / (1 + np.exp(-(utilities[a] - utilities[b]) * temperature))
    return np.where(a_wins, a, b), np.where(a_wins, b, a)


@pitfall(replaces="collect_preferences", why="uses the global numpy RNG: the seed is ignored")
def global_rng(utilities: np.ndarray, n_pairs: int, seed: int, temperature: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    _check(utilities, n_pairs, temperature)
    k = len(utilities)
    a = np.random.randint(0, k, n_pairs)
    b = (a + np.random.randint(1, k, n_pairs)) % k
    a_wins = np.random.random(n_pairs) < 1 / (1 + np.exp(-(utilities[a] - utilities[b]) / temperature))
    return np.where(a_wins, a, b), np.where(a_wins, b, a)


@pitfall(replaces="bradley_terry_loss", why="log(sigmoid(margin)): -inf once the margin is below about -100")
def log_of_sigmoid(r_chosen: torch.Tensor, r_rejected: torch.Tensor) -> torch.Tensor:
    return -torch.log(torch.sigmoid(r_chosen - r_rejected)).mean()


@pitfall(replaces="bradley_terry_loss", why="margin the wrong way round: rejected minus chosen")
def reversed_margin(r_chosen: torch.Tensor, r_rejected: torch.Tensor) -> torch.Tensor:
    return -torch.nn.functional.logsigmoid(r_rejected - r_chosen).mean()


@pitfall(replaces="fit_reward_model", why="penalty l2 |w|^2 instead of (l2/2) |w|^2: twice the documented shrinkage")
def penalty_not_halved(features: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, l2: float = 1e-2) -> np.ndarray:
    return fit_reward_model(features, chosen, rejected, l2=2 * l2) if l2 > 0 else fit_reward_model(features, chosen, rejected, l2=l2)


@pitfall(replaces="fit_reward_model", why="summed loss instead of the mean: the penalty is n times weaker")
def summed_loss(features: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, l2: float = 1e-2) -> np.ndarray:
    n = max(len(chosen), 1)
    return fit_reward_model(features, chosen, rejected, l2=l2 / n) if l2 > 0 else fit_reward_model(features, chosen, rejected, l2=l2)


@pitfall(replaces="fit_reward_model", why="features of rejected minus chosen: the reward points the wrong way")
def reversed_differences(features: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, l2: float = 1e-2) -> np.ndarray:
    return fit_reward_model(features, rejected, chosen, l2=l2)


@pitfall(replaces="fit_reward_model", why="a fixed budget of 20 plain gradient steps: stops far from the optimum")
def few_gradient_steps(features: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, l2: float = 1e-2) -> np.ndarray:
    if l2 <= 0 or len(chosen) != len(rejected):
        raise ValueError("bad arguments")
    d = features[chosen] - features[rejected]
    w = np.zeros(features.shape[1])
    for _ in range(20):
        if len(d) == 0:
            break
        s = 1 / (1 + np.exp(d @ w))
        w -= 0.5 * (-(d.T @ s) / len(d) + l2 * w)
    return w

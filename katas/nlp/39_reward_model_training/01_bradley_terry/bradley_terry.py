"""nlp-39-1: pairwise preferences and a Bradley-Terry reward model. Edit this file; `grader check nlp-39-1` tests it."""
from __future__ import annotations

import numpy as np
import torch


def collect_preferences(utilities: np.ndarray, n_pairs: int, seed: int,
                        temperature: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Simulate an annotator comparing pairs of items whose hidden utilities are `utilities`.

    For each of n_pairs comparisons: draw two distinct items a, b uniformly (every unordered pair
    equally likely); the annotator prefers a with probability sigmoid((u_a - u_b) / temperature).
    All randomness comes from np.random.default_rng(seed): same seed, same pairs.

    Shapes:
        utilities: (K,) float
        returns: (chosen, rejected), each (n_pairs,) integer item indices, chosen[i] != rejected[i]

    Raises:
        ValueError: if K < 2, n_pairs < 0 or temperature <= 0.
    """
    raise NotImplementedError("collect_preferences: draw distinct pairs, then a Bradley-Terry coin flip")


def bradley_terry_loss(r_chosen: torch.Tensor, r_rejected: torch.Tensor) -> torch.Tensor:
    """Mean negative log-likelihood of the comparisons: mean(-log sigmoid(r_chosen - r_rejected)).

    Stable for any reward difference; the dtype of the inputs.

    Shapes:
        r_chosen, r_rejected: (B,)
        returns: () scalar
    """
    raise NotImplementedError("bradley_terry_loss: -logsigmoid of the reward margin, averaged")


def fit_reward_model(features: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, l2: float = 1e-2) -> np.ndarray:
    """Fit a linear reward r(x) = x · w to the comparisons by penalised maximum likelihood.

    w minimises  mean_i(-log sigmoid(r(features[chosen[i]]) - r(features[rejected[i]]))) + (l2 / 2) |w|^2
    to convergence (the objective is strictly convex). With no comparisons, w = 0.

    Shapes:
        features: (K, D) float64, one row per item
        chosen, rejected: (N,) integer item indices
        returns: (D,) float64

    Raises:
        ValueError: if l2 <= 0 or chosen and rejected differ in length.
    """
    raise NotImplementedError("fit_reward_model: minimise the penalised Bradley-Terry loss")

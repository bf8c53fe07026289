"""Reference solution for nlp-39-2."""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit


def fit_reward_model(d: np.ndarray, l2: float) -> np.ndarray:
    """The linear Bradley-Terry reward w minimising mean(-log sigmoid(d @ w)) + (l2/2)|w|^2, where each
    row of d is features(chosen) - features(rejected) (the model of nlp-39-1)."""
    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        m = d @ w
        return (float(np.logaddexp(0.0, -m).mean() + 0.5 * l2 * w @ w),
                -(d.T @ expit(-m)) / len(d) + l2 * w)

    return minimize(objective, np.zeros(d.shape[1]), jac=True, method="L-BFGS-B",
                    options={"gtol": 1e-12, "ftol": 1e-15}).x


def fit_ensemble(features: np.ndarray, chosen: np.ndarray, rejected: np.ndarray, n_models: int, seed: int,
                 l2: float = 1e-3) -> np.ndarray:
    if n_models < 1 or len(chosen) == 0 or len(chosen) != len(rejected):
        raise ValueError("need n_models >= 1 and non-empty chosen / rejected of one length")
    rng = np.random.default_rng(seed)
    d = features[chosen] - features[rejected]
    n = len(d)
    return np.stack([fit_reward_model(d[rng.integers(0, n, n)], l2) for _ in range(n_models)])


def ensemble_scores(weights: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rewards = x @ weights.T                       # (N, M): every member's reward for every item
    return rewards.mean(axis=1), rewards.std(axis=1, ddof=1) if weights.shape[0] > 1 else np.zeros(len(x))


def conservative_reward(weights: np.ndarray, x: np.ndarray, k: float = 1.0) -> np.ndarray:
    mean, std = ensemble_scores(weights, x)
    return mean - k * std


def flag_hacking(weights: np.ndarray, x: np.ndarray, threshold: float) -> np.ndarray:
    return ensemble_scores(weights, x)[1] > threshold

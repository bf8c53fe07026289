"""nlp-39-2: reward-model ensembles and a reward-hacking detector. Edit this file; `grader check nlp-39-2` tests it."""
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
    """An ensemble of n_models linear Bradley-Terry reward models, each fitted on a bootstrap resample.

    With d = features[chosen] - features[rejected] (N rows) and rng = np.random.default_rng(seed),
    member m is fit_reward_model(d[idx_m], l2) for idx_m = rng.integers(0, N, N), drawn in member
    order (N indices with replacement each). Same seed, same ensemble. Inputs are not modified.

    Shapes:
        features: (K, D), chosen, rejected: (N,) int item indices
        returns: (n_models, D) float64, one row of weights per member

    Raises:
        ValueError: if n_models < 1, there are no comparisons, or chosen and rejected differ in length.
    """
    raise NotImplementedError("fit_ensemble: bootstrap the comparisons, fit one reward model per resample")


def ensemble_scores(weights: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each item's mean reward over the members and the members' disagreement.

    The disagreement is the sample standard deviation (ddof = 1) of the members' rewards x @ w_m;
    0 for a one-member ensemble.

    Shapes:
        weights: (M, D), x: (N, D)
        returns: (mean (N,), std (N,))
    """
    raise NotImplementedError("ensemble_scores: every member's reward, then mean and std across members")


def conservative_reward(weights: np.ndarray, x: np.ndarray, k: float = 1.0) -> np.ndarray:
    """The uncertainty-penalised reward mean - k * std (ensemble_scores), shape (N,)."""
    raise NotImplementedError("conservative_reward: penalise disagreement")


def flag_hacking(weights: np.ndarray, x: np.ndarray, threshold: float) -> np.ndarray:
    """True for the items whose ensemble disagreement (std) is strictly above threshold, shape (N,) bool."""
    raise NotImplementedError("flag_hacking: disagreement above the threshold")

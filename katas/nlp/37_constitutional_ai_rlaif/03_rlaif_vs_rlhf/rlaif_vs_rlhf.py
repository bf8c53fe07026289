"""nlp-37-3: RLAIF against RLHF. Edit this file; `grader check nlp-37-3` tests it."""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit


def simulate_labels(features: np.ndarray, a: np.ndarray, b: np.ndarray, weights: np.ndarray, temperature: float,
                    seed: int) -> np.ndarray:
    """An annotator who prefers answer a over b with probability sigmoid((u_a - u_b) / temperature),
    u = features @ weights (its own idea of quality). True where a is preferred."""
    u = features @ weights
    return np.random.default_rng(seed).random(len(a)) < expit((u[a] - u[b]) / temperature)


def fit_reward_model(features: np.ndarray, a: np.ndarray, b: np.ndarray, a_preferred: np.ndarray,
                     l2: float = 1e-3) -> np.ndarray:
    """Linear Bradley-Terry reward weights fitted to labelled pairs (the model of nlp-39-1)."""
    d = np.where(a_preferred[:, None], features[a] - features[b], features[b] - features[a])

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        m = d @ w
        return float(np.logaddexp(0.0, -m).mean() + 0.5 * l2 * w @ w), -(d.T @ expit(-m)) / len(d) + l2 * w

    return minimize(objective, np.zeros(features.shape[1]), jac=True, method="L-BFGS-B",
                    options={"gtol": 1e-12, "ftol": 1e-15}).x


def cohen_kappa(labels_1: np.ndarray, labels_2: np.ndarray) -> float:
    """Cohen's kappa between two annotators' binary labels: (p_o - p_e) / (1 - p_e).

    p_o is the fraction of items they label alike; p_e the agreement expected by chance from each
    annotator's own rate of True, p_e = q1 q2 + (1 - q1)(1 - q2).

    Raises:
        ValueError: if the arrays are empty, not 1-D, of different lengths, or p_e = 1 (both annotators
            give one and the same label throughout: kappa is 0/0).
    """
    raise NotImplementedError("cohen_kappa: observed vs chance agreement")


def preference_accuracy(weights: np.ndarray, features: np.ndarray, a: np.ndarray, b: np.ndarray,
                        a_preferred: np.ndarray) -> float:
    """The fraction of labelled pairs a linear reward model ranks the same way as the labels.

    Pair i counts 1 if (reward(a_i) > reward(b_i)) == a_preferred[i], 0 if not, and 1/2 if the two
    rewards are equal. reward(x) = features[x] @ weights.

    Raises:
        ValueError: if a, b and a_preferred are empty or differ in length.
    """
    raise NotImplementedError("preference_accuracy: compare reward gaps with the labels")


def best_of_n(weights: np.ndarray, candidates: np.ndarray) -> int:
    """The index of the candidate (row) with the highest reward candidates @ weights; the first among ties."""
    raise NotImplementedError("best_of_n: argmax of the rewards")

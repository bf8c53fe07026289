"""Reference solution for nlp-37-3."""
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
    if labels_1.shape != labels_2.shape or labels_1.ndim != 1 or len(labels_1) == 0:
        raise ValueError("need two non-empty 1-D label arrays of one length")
    observed = np.mean(labels_1 == labels_2)
    p1, p2 = np.mean(labels_1), np.mean(labels_2)
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    if expected == 1:
        raise ValueError("kappa is undefined when both annotators give one and the same label throughout")
    return float((observed - expected) / (1 - expected))


def preference_accuracy(weights: np.ndarray, features: np.ndarray, a: np.ndarray, b: np.ndarray,
                        a_preferred: np.ndarray) -> float:
    if not (len(a) == len(b) == len(a_preferred)) or len(a) == 0:
        raise ValueError("need non-empty a, b and labels of one length")
    gap = features[a] @ weights - features[b] @ weights
    hits = np.where(gap == 0, 0.5, (gap > 0) == a_preferred)
    return float(hits.mean())


def best_of_n(weights: np.ndarray, candidates: np.ndarray) -> int:
    return int(np.argmax(candidates @ weights))

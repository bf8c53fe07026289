"""Reference solution for arch-07-4."""
from __future__ import annotations

import numpy as np


def simulate_confounded(n: int, ate: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A confounded observational study: z in {0, 1, 2} raises both the chance of treatment and the outcome.

    z ~ Categorical(0.5, 0.3, 0.2); P(x = 1 | z) = 0.2, 0.5, 0.8; y = ate * x + 2 z + N(0, 1).
    The true average treatment effect is `ate`."""
    rng = np.random.default_rng(seed)
    z = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    x = (rng.random(n) < np.array([0.2, 0.5, 0.8])[z]).astype(np.int64)
    y = ate * x + 2.0 * z + rng.standard_normal(n)
    return x, y, z


def naive_effect(x: np.ndarray, y: np.ndarray) -> float:
    x = np.asarray(x)
    if not (np.any(x == 1) and np.any(x == 0)):
        raise ValueError("need both treated and untreated units")
    return float(np.mean(y[x == 1]) - np.mean(y[x == 0]))


def backdoor_adjusted_effect(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    x, y, z = np.asarray(x), np.asarray(y), np.asarray(z)
    total = 0.0
    for value in np.unique(z):
        stratum = z == value
        treated, control = stratum & (x == 1), stratum & (x == 0)
        if not (np.any(treated) and np.any(control)):
            raise ValueError(f"positivity fails: stratum z = {value} lacks treated or untreated units")
        total += (np.mean(y[treated]) - np.mean(y[control])) * np.mean(stratum)
    return float(total)


def regression_adjusted_effect(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    design = np.column_stack([np.ones(len(x)), x, z])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(coef[1])

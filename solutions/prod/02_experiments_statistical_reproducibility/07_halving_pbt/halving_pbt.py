"""Reference solution for prod-02-7."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def successive_halving(n_configs: int, evaluate: Callable[[int, float], float], min_budget: float, max_budget: float,
                       eta: int = 3) -> tuple[int, list[tuple[float, list[int], list[float]]]]:
    if n_configs < 1 or min_budget <= 0 or max_budget < min_budget or eta < 2:
        raise ValueError("need n_configs >= 1, 0 < min_budget <= max_budget, eta >= 2")
    alive = list(range(n_configs))
    budget = min_budget
    history = []
    while True:
        losses = [float(evaluate(c, budget)) for c in alive]
        history.append((budget, list(alive), losses))
        order = sorted(range(len(alive)), key=lambda i: (losses[i], alive[i]))
        if len(alive) == 1 or budget * eta > max_budget:
            return alive[order[0]], history
        keep = max(1, len(alive) // eta)
        alive = sorted(alive[i] for i in order[:keep])
        budget = budget * eta


def pbt_step(scores: np.ndarray, hparams: np.ndarray, weights: np.ndarray, *, fraction: float = 0.25,
             factors: tuple[float, float] = (0.8, 1.2), seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    scores, hparams, weights = np.asarray(scores), np.asarray(hparams), np.asarray(weights)
    n = scores.shape[0]
    if scores.ndim != 1 or hparams.shape[0] != n or weights.shape[0] != n:
        raise ValueError("scores (n,), hparams (n, h), weights (n, ...) must agree")
    if not 0 < fraction <= 0.5:
        raise ValueError("fraction must lie in (0, 0.5]")
    rng = np.random.default_rng(seed)
    k = int(np.floor(fraction * n))
    donor_of = np.arange(n)
    new_h, new_w = hparams.copy(), weights.copy()
    if k == 0:
        return donor_of, new_h, new_w
    order = np.argsort(-scores, kind="stable")           # best first, ties by index
    top, bottom = order[:k], order[n - k:]
    for member in bottom:
        donor = top[rng.integers(0, k)]
        donor_of[member] = donor
        new_w[member] = weights[donor]
        new_h[member] = hparams[donor] * rng.choice(np.asarray(factors), size=hparams.shape[1:])
    return donor_of, new_h, new_w

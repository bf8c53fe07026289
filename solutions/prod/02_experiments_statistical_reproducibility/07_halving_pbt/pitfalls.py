"""Plausible wrong successive-halving and PBT code that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grader.pitfalls import pitfall


def _halving(n_configs: int, evaluate: Callable[[int, float], float], min_budget: float, max_budget: float, eta: int,
             *, keep_one: bool = True, include_max: bool = True, maximise: bool = False) -> tuple[int, list]:
    if n_configs < 1 or min_budget <= 0 or max_budget < min_budget or eta < 2:
        raise ValueError("bad inputs")
    alive, budget, history = list(range(n_configs)), min_budget, []
    while True:
        losses = [float(evaluate(c, budget)) for c in alive]
        history.append((budget, list(alive), losses))
        sign = -1 if maximise else 1
        order = sorted(range(len(alive)), key=lambda i: (sign * losses[i], alive[i]))
        stop = budget * eta > max_budget if include_max else budget * eta >= max_budget
        if len(alive) <= 1 or stop:
            return alive[order[0]], history
        keep = max(1, len(alive) // eta) if keep_one else len(alive) // eta
        alive = sorted(alive[i] for i in order[:keep])
        budget *= eta


@pitfall(replaces="successive_halving", why="keeps len // eta survivors without the floor of 1: a rung can empty out")
def can_empty(n_configs: int, evaluate: Callable[[int, float], float], min_budget: float, max_budget: float,
              eta: int = 3) -> tuple[int, list]:
    return _halving(n_configs, evaluate, min_budget, max_budget, eta, keep_one=False)


@pitfall(replaces="successive_halving", why="stops when the next budget reaches max_budget: the full-budget rung never runs")
def skips_max_rung(n_configs: int, evaluate: Callable[[int, float], float], min_budget: float, max_budget: float,
                   eta: int = 3) -> tuple[int, list]:
    return _halving(n_configs, evaluate, min_budget, max_budget, eta, include_max=False)


@pitfall(replaces="successive_halving", why="promotes the highest losses, as if the metric were an accuracy")
def promotes_worst(n_configs: int, evaluate: Callable[[int, float], float], min_budget: float, max_budget: float,
                   eta: int = 3) -> tuple[int, list]:
    return _halving(n_configs, evaluate, min_budget, max_budget, eta, maximise=True)


def _pbt(scores: np.ndarray, hparams: np.ndarray, weights: np.ndarray, fraction: float, factors: tuple[float, float],
         seed: int, *, ascending: bool = False, own_hparams: bool = False, any_donor: bool = False) -> tuple:
    scores, hparams, weights = np.asarray(scores), np.asarray(hparams), np.asarray(weights)
    n = scores.shape[0]
    if scores.ndim != 1 or hparams.shape[0] != n or weights.shape[0] != n or not 0 < fraction <= 0.5:
        raise ValueError("bad inputs")
    rng = np.random.default_rng(seed)
    k = int(np.floor(fraction * n))
    donor_of, new_h, new_w = np.arange(n), hparams.copy(), weights.copy()
    if k == 0:
        return donor_of, new_h, new_w
    order = np.argsort(scores if ascending else -scores, kind="stable")
    top, bottom = (np.arange(n) if any_donor else order[:k]), order[n - k:]
    for m in bottom:
        d = top[rng.integers(0, len(top))]
        donor_of[m] = d
        new_w[m] = weights[d]
        new_h[m] = (hparams[m] if own_hparams else hparams[d]) * rng.choice(np.asarray(factors), size=hparams.shape[1:])
    return donor_of, new_h, new_w


@pitfall(replaces="pbt_step", why="ranks ascending: the best members are overwritten by the worst")
def replaces_the_best(scores: np.ndarray, hparams: np.ndarray, weights: np.ndarray, *, fraction: float = 0.25,
                      factors: tuple[float, float] = (0.8, 1.2), seed: int = 0) -> tuple:
    return _pbt(scores, hparams, weights, fraction, factors, seed, ascending=True)


@pitfall(replaces="pbt_step", why="copies the donor's weights but perturbs its own old hyperparameters")
def keeps_own_hparams(scores: np.ndarray, hparams: np.ndarray, weights: np.ndarray, *, fraction: float = 0.25,
                      factors: tuple[float, float] = (0.8, 1.2), seed: int = 0) -> tuple:
    return _pbt(scores, hparams, weights, fraction, factors, seed, own_hparams=True)


@pitfall(replaces="pbt_step", why="draws the donor from the whole population, not from the best fraction")
def any_donor(scores: np.ndarray, hparams: np.ndarray, weights: np.ndarray, *, fraction: float = 0.25,
              factors: tuple[float, float] = (0.8, 1.2), seed: int = 0) -> tuple:
    return _pbt(scores, hparams, weights, fraction, factors, seed, any_donor=True)

"""prod-02-7: successive halving and population-based training. Edit this file; `grader check prod-02-7` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def successive_halving(n_configs: int, evaluate: Callable[[int, float], float], min_budget: float, max_budget: float,
                       eta: int = 3) -> tuple[int, list[tuple[float, list[int], list[float]]]]:
    """Successive halving over configurations 0..n_configs-1 (lower loss is better).

    Rung k trains every surviving configuration with budget min_budget * eta**k, calling
    evaluate(config, budget) once per survivor in increasing config order, and records
    (budget, survivors, their losses). Stop after a rung with a single survivor, or when the next
    budget would exceed max_budget (a budget equal to max_budget still runs); return the best
    configuration of that last rung. Otherwise the max(1, len(survivors) // eta) best (lowest
    loss, ties to the lower config index) survive, listed in increasing config order.

    Returns:
        (best config, history): history[k] = (budget, survivors, losses) of rung k

    Raises:
        ValueError: if n_configs < 1, min_budget <= 0, max_budget < min_budget or eta < 2.
    """
    raise NotImplementedError("successive_halving: evaluate a rung, keep the best 1/eta, multiply the budget")


def pbt_step(scores: np.ndarray, hparams: np.ndarray, weights: np.ndarray, *, fraction: float = 0.25,
             factors: tuple[float, float] = (0.8, 1.2), seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One exploit/explore step of population-based training (higher score is better).

    Rank members by score, best first, ties to the lower index; k = floor(fraction * n). Each of the
    k worst members (exploit) copies the weights of a donor drawn uniformly from the k best, and
    (explore) takes the donor's hyperparameters each multiplied by a factor drawn from `factors`;
    draws from np.random.default_rng(seed). Everyone else keeps their own. Inputs are not modified;
    the returned arrays are new.

    Shapes:
        scores: (n,), hparams: (n, h), weights: (n, ...);
        returns: donor_of (n,) ints (donor_of[i] = i for members kept), new hparams, new weights

    Raises:
        ValueError: if the leading dimensions disagree, scores is not 1-D, or fraction is not in (0, 0.5].
    """
    raise NotImplementedError("pbt_step: bottom fraction copies a top member, then perturbs its hyperparameters")

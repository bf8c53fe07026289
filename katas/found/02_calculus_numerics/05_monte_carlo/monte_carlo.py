"""found-02-5: Monte Carlo integration and importance sampling. Edit this file; `grader check found-02-5` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def mc_integrate(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n: int,
                 seed: int) -> tuple[float, float]:
    """Estimate ∫_a^b f(x) dx from n uniform samples, with its standard error.

    Draw x = a + (b − a) · rng.random(n) with rng = np.random.default_rng(seed), let
    y = (b − a) · f(x) (f is vectorised), and return (mean(y), std(y, ddof=1) / sqrt(n)).

    Returns:
        (estimate, standard_error), two floats

    Raises:
        ValueError: if n < 2 or b <= a.
    """
    raise NotImplementedError("mc_integrate: (b - a) times the mean of f at uniform points")


def importance_sample(f: Callable[[np.ndarray], np.ndarray],
                      sample_q: Callable[[np.random.Generator, int], np.ndarray],
                      pdf_q: Callable[[np.ndarray], np.ndarray], n: int, seed: int) -> tuple[float, float]:
    """Estimate ∫ f(x) dx by importance sampling from a proposal density q.

    Draw x = sample_q(rng, n) with rng = np.random.default_rng(seed), weight w = f(x) / pdf_q(x), and
    return (mean(w), std(w, ddof=1) / sqrt(n)). Unbiased whenever q > 0 wherever f != 0.

    Returns:
        (estimate, standard_error), two floats

    Raises:
        ValueError: if n < 2.
    """
    raise NotImplementedError("importance_sample: the mean of f(x) / q(x) over x ~ q")

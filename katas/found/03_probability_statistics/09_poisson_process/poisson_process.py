"""found-03-9: simulating a Poisson process. Edit this file; `grader check found-03-9` tests it."""
from __future__ import annotations

import numpy as np


def poisson_process(rate: float, T: float, seed: int) -> np.ndarray:
    """Arrival times of a homogeneous Poisson process on [0, T), from exponential gaps.

    With rng = np.random.default_rng(seed): t = 0; repeatedly t += rng.exponential(1 / rate) (one
    draw at a time); stop at the first t >= T, which is not an arrival.

    Shapes:
        returns: (N,) float64, increasing, all in [0, T) (N is random; may be 0)

    Raises:
        ValueError: if rate <= 0 or T <= 0.
    """
    raise NotImplementedError("poisson_process: add exponential gaps until you pass T")


def poisson_process_by_counts(rate: float, T: float, seed: int) -> np.ndarray:
    """The same process built the other way: N ~ Poisson(rate·T), then N uniform times, sorted.

    With rng = np.random.default_rng(seed): n = rng.poisson(rate * T), then
    np.sort(rng.uniform(0, T, n)).

    Raises:
        ValueError: if rate <= 0 or T <= 0.
    """
    raise NotImplementedError("poisson_process_by_counts: a Poisson count, then sorted uniform times")


def counts_per_window(arrivals: np.ndarray, T: float, width: float) -> np.ndarray:
    """Number of arrivals in each window [k·width, (k+1)·width), k = 0 .. T/width − 1.

    An arrival exactly on a boundary belongs to the window it starts. Arrivals outside [0, T) are ignored.

    Shapes:
        returns: (T / width,) int

    Raises:
        ValueError: if width <= 0 or T is not a positive whole number of windows (to rounding).
    """
    raise NotImplementedError("counts_per_window: bin the arrivals into half-open windows")

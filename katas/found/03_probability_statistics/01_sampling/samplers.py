"""found-03-1: inverse-CDF, Box–Muller and rejection sampling. Edit this file; `grader check found-03-1` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def exponential_inverse_cdf(rate: float, n: int, seed: int) -> np.ndarray:
    """n draws from Exponential(rate) by inverting its CDF F(x) = 1 − e^(−rate·x).

    u = np.random.default_rng(seed).random(n), x = F⁻¹(u) = −log(1 − u) / rate (log1p keeps
    small u accurate).

    Shapes:
        returns: (n,) float64

    Raises:
        ValueError: if rate <= 0.
    """
    raise NotImplementedError("exponential_inverse_cdf: x = -log(1 - u) / rate")


def box_muller(n: int, seed: int) -> np.ndarray:
    """n independent standard normal draws by the Box–Muller transform.

    With m = ceil(n / 2) and u = np.random.default_rng(seed).random((2, m)):
    r = sqrt(−2 log(1 − u[0])) (1 − u[0] is in (0, 1], so the log is finite), θ = 2π u[1];
    return concatenate([r cos θ, r sin θ])[:n].

    Shapes:
        returns: (n,) float64
    """
    raise NotImplementedError("box_muller: radius from u[0], angle from u[1]")


def rejection_sample(pdf: Callable[[np.ndarray], np.ndarray],
                     sample_q: Callable[[np.random.Generator, int], np.ndarray],
                     pdf_q: Callable[[np.ndarray], np.ndarray], M: float, n: int,
                     seed: int) -> tuple[np.ndarray, float]:
    """n draws from the density pdf by rejection from the proposal q, with envelope M·q >= pdf.

    With rng = np.random.default_rng(seed), repeat until n draws are accepted: propose a batch
    x = sample_q(rng, n) and u = rng.random(n); accept x where u <= pdf(x) / (M·pdf_q(x)). If any
    proposal has pdf(x) > M·pdf_q(x) the envelope is wrong: raise ValueError. Return the first n
    accepted draws (in proposal order) and the acceptance rate = accepted / proposed over all batches
    (about 1/M when pdf and q are normalised).

    Shapes:
        returns: ((n,) float64, float)

    Raises:
        ValueError: if M <= 0, n < 1, or the envelope is violated.
    """
    raise NotImplementedError("rejection_sample: accept x ~ q with probability pdf(x) / (M q(x))")

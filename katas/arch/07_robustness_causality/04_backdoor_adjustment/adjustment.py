"""arch-07-4: backdoor adjustment. Edit this file; `grader check arch-07-4` tests it."""
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
    """The associational contrast E[y | x = 1] - E[y | x = 0] (biased under confounding).

    Shapes:
        x: (n,) 0/1     y: (n,)     returns: a Python float

    Raises:
        ValueError: unless there is at least one treated and one untreated unit.
    """
    raise NotImplementedError("naive_effect")


def backdoor_adjusted_effect(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    """The backdoor adjustment formula over a discrete adjustment variable z:

        ATE = sum_z ( E[y | x = 1, z] - E[y | x = 0, z] ) P(z),

    with sample means and sample frequencies. Inputs are left unchanged.

    Shapes:
        x: (n,) 0/1     y: (n,)     z: (n,) discrete values     returns: a Python float

    Raises:
        ValueError: if some observed value of z has no treated or no untreated unit (positivity).
    """
    raise NotImplementedError("backdoor_adjusted_effect")


def regression_adjusted_effect(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    """The coefficient of x in the least-squares fit y ~ 1 + x + z (adjusting for z linearly).

    Shapes:
        x: (n,)     y: (n,)     z: (n,) or (n, k)     returns: a Python float
    """
    raise NotImplementedError("regression_adjusted_effect")

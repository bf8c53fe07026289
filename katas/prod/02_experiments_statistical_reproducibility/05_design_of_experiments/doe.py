"""prod-02-5: design of experiments. Edit this file; `grader check prod-02-5` tests it."""
from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np


def full_factorial(space: dict[str, Sequence[Hashable]]) -> list[dict[str, Hashable]]:
    """Every combination of the factors' levels, one dict per run.

    Order: as itertools.product over the factors in the dict's order, so the last factor varies
    fastest: {"a": [1, 2], "b": ["x", "y"]} -> [{a:1,b:x}, {a:1,b:y}, {a:2,b:x}, {a:2,b:y}].

    Shapes:
        returns: prod(len(levels)) dicts with the factors' names as keys

    Raises:
        ValueError: if space is empty or a factor has no levels.
    """
    raise NotImplementedError("full_factorial: the Cartesian product of the levels")


def main_effects(design: list[dict[str, Hashable]], y: np.ndarray) -> dict[str, dict[Hashable, float]]:
    """Main effect of each level of each factor: mean response at that level - grand mean.

    Shapes:
        design: n runs (dicts with the same keys), y: (n,) responses;
        returns: {factor: {level: effect}} for every factor and every level that occurs

    Raises:
        ValueError: if y is not 1-D, is empty, or its length differs from len(design).
    """
    raise NotImplementedError("main_effects: group means per level minus the grand mean")


def latin_hypercube(n: int, d: int, *, centered: bool = False, seed: int = 0) -> np.ndarray:
    """A Latin hypercube sample of n points in [0, 1)^d.

    Each column puts exactly one point in each stratum [k/n, (k+1)/n), k = 0..n-1, with an
    independent random permutation of the strata per column. Inside its stratum a point sits at a
    uniform random offset, or at the stratum's centre (k + 0.5)/n when centered=True. All
    randomness comes from np.random.default_rng(seed).

    Shapes:
        returns: (n, d) float64

    Raises:
        ValueError: if n < 1 or d < 1.
    """
    raise NotImplementedError("latin_hypercube: permuted strata per column plus offsets")


def scale(unit: np.ndarray, lower: np.ndarray, upper: np.ndarray, log: np.ndarray | None = None) -> np.ndarray:
    """Map a design in [0, 1)^d to the box [lower, upper], linearly as scipy.stats.qmc.scale, or
    log-uniformly in the dimensions where log is True (x = exp(ln lo + u (ln hi - ln lo))).
    log=None means linear everywhere.

    Shapes:
        unit: (n, d); lower, upper, log: (d,); returns: (n, d) float64

    Raises:
        ValueError: if unit is not 2-D, the bounds do not have shape (d,), some lower >= upper, or
            a log dimension has lower <= 0.
    """
    raise NotImplementedError("scale: affine map per dimension, in log space where asked")

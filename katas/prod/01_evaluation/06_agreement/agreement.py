"""prod-01-6: annotator agreement. Edit this file; `grader check prod-01-6` tests it."""
from __future__ import annotations

import numpy as np


def cohen_kappa(a: np.ndarray, b: np.ndarray, weights: str | None = None) -> float:
    """Cohen's kappa between two raters' labels of the same items, as sklearn's cohen_kappa_score.

    kappa = 1 - sum(W * O) / sum(W * E): O the joint label frequencies, E the product of the two
    raters' marginal frequencies, W the disagreement weights over the sorted union of labels with
    indices i, j: None -> [i != j], "linear" -> |i - j|, "quadratic" -> (i - j)**2.

    Shapes:
        a, b: (n,) labels (ints or strings); returns: a float <= 1

    Raises:
        ValueError: if a and b are empty, not 1-D or of different lengths, weights is unknown, or
            sum(W * E) == 0 (both raters used one and the same label: kappa undefined).
    """
    raise NotImplementedError("cohen_kappa: observed vs chance disagreement")


def krippendorff_alpha(data: np.ndarray, level: str = "nominal") -> float:
    """Krippendorff's alpha = 1 - D_o / D_e for any number of raters with missing values (nan).

    Only units with at least two values are pairable. For a unit with m values, each ordered pair
    (i != j) of its values adds delta2(v_i, v_j) / (m - 1) to the observed sum; D_o = that sum / n
    with n the number of pairable values. D_e = the sum of delta2 over all ordered pairs of distinct
    positions among the n pairable values / (n (n - 1)).
    delta2 = [c != k] for level "nominal", (c - k)**2 for level "interval".

    Shapes:
        data: (raters, units) float, nan = missing; returns: a float <= 1

    Raises:
        ValueError: if data is not 2-D, level is unknown, no unit has two values, or D_e == 0.
    """
    raise NotImplementedError("krippendorff_alpha: pairable values, observed and expected disagreement")

"""nlp-13-3: fit a scaling law and extrapolate it. Edit this file; `grader check nlp-13-3` tests it."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

ALPHA_RANGE = (0.01, 2.0)


def power_law(n: np.ndarray | float, a: float, alpha: float, c: float) -> np.ndarray:
    """Given: the saturating power law L(N) = a * N**(-alpha) + c (c is the irreducible loss)."""
    return a * np.asarray(n, dtype=np.float64) ** (-alpha) + c


def fit_power_law(n: np.ndarray, loss: np.ndarray) -> tuple[float, float, float]:
    """Least-squares fit of L(N) = a * N**(-alpha) + c to (size, loss) pairs.

    Minimise sum_i (a * n_i**(-alpha) + c - loss_i)**2 (squared errors in loss, as
    scipy.optimize.curve_fit does) over a, c and alpha in ALPHA_RANGE, and return the global
    minimum. For a fixed alpha the model is linear in (a, c), so the inner problem is an ordinary
    least-squares fit; only alpha needs a search.

    Shapes:
        n: (k,) positive sizes, any order, at least 3 distinct; loss: (k,)
        returns: (a, alpha, c) as floats
    """
    raise NotImplementedError("fit_power_law: linear least squares for (a, c) inside a 1-D search over alpha")


def size_for_loss(params: tuple[float, float, float], target: float) -> float:
    """How small can the model be? The size N at which the fitted law reaches `target`:
    N = (a / (target - c))**(1 / alpha); math.inf when target <= c (no size gets below the
    irreducible loss)."""
    raise NotImplementedError("size_for_loss: invert the power law")


def holdout_extrapolation(n: np.ndarray, loss: np.ndarray, k: int) -> tuple[tuple[float, float, float], np.ndarray]:
    """Fit on all but the k largest sizes and predict the k largest: how far does the curve carry?

    Returns:
        (params fitted on the smaller sizes, predicted losses of the k largest sizes in increasing
        order of size)
    """
    raise NotImplementedError("holdout_extrapolation: sort by size, fit the small ones, predict the big ones")


def plot_scaling(n: np.ndarray, loss: np.ndarray, params: tuple[float, float, float], n_max: float) -> Figure:
    """The observed points and the fitted law, extrapolated to n_max, on log-log axes.

    One axes with: a line labelled "observed" (markers only, linestyle "none") through the points in
    increasing order of size; a line labelled "fit" of power_law(x, *params) at 200 sizes
    geometrically spaced from min(n) to n_max (np.geomspace); if c > 0, a horizontal line labelled
    "irreducible" at y = c. Both scales "log", xlabel containing "param", ylabel containing "loss",
    and a legend.
    """
    raise NotImplementedError("plot_scaling: points, fitted curve, irreducible loss, log-log")

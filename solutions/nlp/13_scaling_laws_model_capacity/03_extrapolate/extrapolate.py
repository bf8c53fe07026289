"""Reference solution for nlp-13-3."""
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
    n, loss = np.asarray(n, dtype=np.float64), np.asarray(loss, dtype=np.float64)
    log_n = np.log(n)

    def inner(alpha: float) -> tuple[float, float, float]:
        """For a fixed alpha the law is linear in (a, c): ordinary least squares, and its squared error."""
        x = np.stack([np.exp(-alpha * log_n), np.ones_like(n)], axis=1)
        (a, c), *_ = np.linalg.lstsq(x, loss, rcond=None)
        return float(np.sum((x @ np.array([a, c]) - loss) ** 2)), float(a), float(c)

    # a coarse grid finds the basin of the global minimum, golden-section search polishes it
    grid = np.linspace(*ALPHA_RANGE, 200)
    best = int(np.argmin([inner(alpha)[0] for alpha in grid]))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    ratio = (np.sqrt(5) - 1) / 2
    x1, x2 = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    f1, f2 = inner(x1)[0], inner(x2)[0]
    for _ in range(60):                                          # shrinks the bracket by 0.618**60 ~ 3e-13
        if f1 < f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - ratio * (hi - lo)
            f1 = inner(x1)[0]
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + ratio * (hi - lo)
            f2 = inner(x2)[0]
    alpha = (lo + hi) / 2
    _, a, c = inner(alpha)
    return a, float(alpha), c


def size_for_loss(params: tuple[float, float, float], target: float) -> float:
    """How small can the model be? The size N at which the fitted law reaches `target`:
    N = (a / (target - c))**(1 / alpha); math.inf when target <= c (no size gets below the
    irreducible loss)."""
    a, alpha, c = params
    if target <= c:
        return float("inf")
    return float((a / (target - c)) ** (1.0 / alpha))


def holdout_extrapolation(n: np.ndarray, loss: np.ndarray, k: int) -> tuple[tuple[float, float, float], np.ndarray]:
    """Fit on all but the k largest sizes and predict the k largest: how far does the curve carry?

    Returns:
        (params fitted on the smaller sizes, predicted losses of the k largest sizes in increasing
        order of size)
    """
    order = np.argsort(n)
    n, loss = np.asarray(n, dtype=np.float64)[order], np.asarray(loss, dtype=np.float64)[order]
    params = fit_power_law(n[:-k], loss[:-k])
    return params, power_law(n[-k:], *params)


def plot_scaling(n: np.ndarray, loss: np.ndarray, params: tuple[float, float, float], n_max: float) -> Figure:
    """The observed points and the fitted law, extrapolated to n_max, on log-log axes.

    One axes with: a line labelled "observed" (markers only, linestyle "none") through the points in
    increasing order of size; a line labelled "fit" of power_law(x, *params) at 200 sizes
    geometrically spaced from min(n) to n_max (np.geomspace); if c > 0, a horizontal line labelled
    "irreducible" at y = c. Both scales "log", xlabel containing "param", ylabel containing "loss",
    and a legend.
    """
    order = np.argsort(n)
    n, loss = np.asarray(n, dtype=np.float64)[order], np.asarray(loss, dtype=np.float64)[order]
    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    ax.plot(n, loss, marker="o", linestyle="none", label="observed")
    xs = np.geomspace(n[0], n_max, 200)
    ax.plot(xs, power_law(xs, *params), label="fit")
    if params[2] > 0:
        ax.axhline(params[2], linestyle=":", color="gray", label="irreducible")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("non-embedding parameters N")
    ax.set_ylabel("loss (nats)")
    ax.legend()
    return fig

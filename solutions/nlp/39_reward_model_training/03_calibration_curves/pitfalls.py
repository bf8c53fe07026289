"""Plausible wrong versions of the calibration functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from calibration import _check, calibration_curve


@pitfall(replaces="calibration_curve", why="np.digitize on the inner edges: an edge value goes to the upper bin")
def upper_bin_on_edges(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _check(y, p, n_bins)
    ids = np.digitize(p, np.linspace(0, 1, n_bins + 1)[1:-1])
    counts = np.bincount(ids, minlength=n_bins)
    keep = counts > 0
    pos = np.bincount(ids, weights=y.astype(float), minlength=n_bins)
    conf = np.bincount(ids, weights=p, minlength=n_bins)
    return pos[keep] / counts[keep], conf[keep] / counts[keep], counts[keep]


@pitfall(replaces="calibration_curve", why="reports the bin centres instead of the mean prediction in each bin")
def bin_centres(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _check(y, p, n_bins)
    ids = np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], p)
    counts = np.bincount(ids, minlength=n_bins)
    keep = counts > 0
    pos = np.bincount(ids, weights=y.astype(float), minlength=n_bins)
    centres = (np.arange(n_bins) + 0.5) / n_bins
    return pos[keep] / counts[keep], centres[keep], counts[keep]


@pitfall(replaces="calibration_curve", why="keeps empty bins as 0/0 = NaN (or zeros) instead of leaving them out")
def keeps_empty_bins(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _check(y, p, n_bins)
    ids = np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], p)
    counts = np.bincount(ids, minlength=n_bins)
    pos = np.bincount(ids, weights=y.astype(float), minlength=n_bins)
    conf = np.bincount(ids, weights=p, minlength=n_bins)
    safe = np.maximum(counts, 1)
    return pos / safe, conf / safe, counts


@pitfall(replaces="expected_calibration_error", why="averages the bins' gaps without weighting them by their counts")
def unweighted_ece(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> float:
    frac, mean_p, _ = calibration_curve(y, p, n_bins)
    return float(np.abs(frac - mean_p).mean())


@pitfall(replaces="expected_calibration_error", why="signed gaps: over- and under-confident bins cancel out")
def signed_ece(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> float:
    frac, mean_p, counts = calibration_curve(y, p, n_bins)
    return float(abs((counts * (frac - mean_p)).sum() / counts.sum()))


@pitfall(replaces="fit_temperature", why="multiplies the margins by T instead of dividing: returns 1/T")
def inverse_temperature(margins: np.ndarray, y: np.ndarray) -> float:
    if margins.shape != y.shape or margins.ndim != 1 or len(y) == 0:
        raise ValueError("bad input")
    from scipy.optimize import minimize_scalar
    sign = np.where(y, 1.0, -1.0)
    res = minimize_scalar(lambda lt: np.logaddexp(0, -sign * margins * np.exp(lt)).mean(),
                          bounds=(np.log(1e-2), np.log(1e2)), method="bounded", options={"xatol": 1e-10})
    return float(np.exp(res.x))


@pitfall(replaces="fit_temperature", why="a grid of ten temperatures: the optimum is only found to a factor of ~1.7")
def coarse_grid(margins: np.ndarray, y: np.ndarray) -> float:
    if margins.shape != y.shape or margins.ndim != 1 or len(y) == 0:
        raise ValueError("bad input")
    sign = np.where(y, 1.0, -1.0)
    grid = np.logspace(-2, 2, 10)
    return float(grid[np.argmin([np.logaddexp(0, -sign * margins / t).mean() for t in grid])])


@pitfall(replaces="plot_calibration", why="plots each curve with the axes swapped (predicted on y, observed on x)")
def swapped_axes(curves: dict[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], "--", label="perfectly calibrated")
    for name, (frac, mean_p) in curves.items():
        ax.plot(frac, mean_p, marker="o", label=name)
    ax.set_xlabel("fraction preferred")
    ax.set_ylabel("mean predicted probability")
    ax.legend()
    return fig

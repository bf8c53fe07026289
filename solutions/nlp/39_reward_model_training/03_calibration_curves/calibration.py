"""Reference solution for nlp-39-3."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from scipy.optimize import minimize_scalar


def _check(y: np.ndarray, p: np.ndarray, n_bins: int) -> None:
    if n_bins < 1:
        raise ValueError(f"n_bins must be >= 1, got {n_bins}")
    if y.shape != p.shape or y.ndim != 1 or len(y) == 0:
        raise ValueError(f"need non-empty 1-D y and p of one shape, got {y.shape}, {p.shape}")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("probabilities must lie in [0, 1]")


def calibration_curve(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _check(y, p, n_bins)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.searchsorted(edges[1:-1], p)                 # (lo, hi]: an edge value goes to the lower bin
    counts = np.bincount(bins, minlength=n_bins)
    pos = np.bincount(bins, weights=y, minlength=n_bins)
    conf = np.bincount(bins, weights=p, minlength=n_bins)
    keep = counts > 0
    return pos[keep] / counts[keep], conf[keep] / counts[keep], counts[keep]


def expected_calibration_error(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> float:
    frac, mean_p, counts = calibration_curve(y, p, n_bins)
    return float((counts * np.abs(frac - mean_p)).sum() / counts.sum())


def fit_temperature(margins: np.ndarray, y: np.ndarray) -> float:
    if margins.shape != y.shape or margins.ndim != 1 or len(y) == 0:
        raise ValueError("need non-empty 1-D margins and y of one shape")
    sign = np.where(y, 1.0, -1.0)

    def nll(log_t: float) -> float:
        return float(np.logaddexp(0.0, -sign * margins / np.exp(log_t)).mean())

    res = minimize_scalar(nll, bounds=(np.log(1e-2), np.log(1e2)), method="bounded", options={"xatol": 1e-10})
    return float(np.exp(res.x))


def plot_calibration(curves: dict[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    for name, (frac, mean_p) in curves.items():
        ax.plot(mean_p, frac, marker="o", label=name)
    ax.set_xlabel("mean predicted probability")
    ax.set_ylabel("fraction preferred")
    ax.legend()
    return fig

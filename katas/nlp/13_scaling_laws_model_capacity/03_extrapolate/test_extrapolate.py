"""Tests for nlp-13-3, fitting a saturating power law and extrapolating it.

References: data generated from a known law L(N) = a N^-alpha + c (the fit must recover it, from
any order of the points, including nearly flat curves where a bare scipy.optimize.curve_fit call
from its default start diverges); scipy.optimize.curve_fit started at the true parameters on noisy
data (your fit must be at least as good in squared error); the closed-form inverse of the law; and
the figure's scales, labels and line data.
"""
import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import curve_fit

from grader.strategies import dims, seeds
from grader.testing import assert_close, describe_call

LAWS = {"a_exp": st.floats(0.0, 3.0), "alpha": st.floats(0.05, 1.0), "c": st.floats(0.0, 3.0),
        "lo": st.integers(2, 4), "hi": st.integers(6, 9), "k": st.integers(4, 9), "seed": seeds()}


def law(n: np.ndarray, a: float, alpha: float, c: float) -> np.ndarray:
    return a * np.asarray(n, dtype=np.float64) ** (-alpha) + c


def sizes(lo: int, hi: int, k: int, seed: int) -> np.ndarray:
    """k sizes spread geometrically over [10^lo, 10^hi], in a shuffled order."""
    return np.random.default_rng(seed).permutation(np.geomspace(10.0 ** lo, 10.0 ** hi, k))


def sse(params, n: np.ndarray, loss: np.ndarray) -> float:
    return float(np.sum((law(n, *params) - loss) ** 2))


@settings(max_examples=15)  # ~15 ms per fit
@given(**LAWS)
@example(a_exp=math.log10(8.1), alpha=0.48, c=0.4, lo=4, hi=7, k=6, seed=0)     # curve_fit(f, n, loss) diverges here
@example(a_exp=math.log10(34.3), alpha=0.95, c=0.43, lo=4, hi=9, k=5, seed=1)   # ... and here
@example(a_exp=math.log10(406.4), alpha=0.34, c=1.69, lo=6, hi=9, k=4, seed=2)  # Chinchilla's L(N) part
def test_fit_recovers_a_known_law(kata, a_exp, alpha, c, lo, hi, k, seed):
    a = 10.0 ** a_exp
    n = sizes(lo, hi, k, seed)
    loss = law(n, a, alpha, c)
    assume(loss.max() - loss.min() > 1e-3 * loss.max())       # the curve must visibly bend over the range
    call = describe_call("fit_power_law", n, loss) + f" for data from a={a:.6g}, alpha={alpha:.6g}, c={c:.6g}"
    got = tuple(float(x) for x in kata.fit_power_law(n, loss))
    assert len(got) == 3, f"{call} returned {got}, expected (a, alpha, c)"
    # exact data: the minimum has zero error, any decent 1-D search for alpha gets within 1e-3
    assert_close(got[1], alpha, rtol=1e-3, atol=0, name="alpha", call=call)
    assert_close(got[0], a, rtol=1e-2, atol=0, name="a", call=call)
    assert_close(got[2], c, rtol=1e-3, atol=1e-3, name="c (irreducible loss)", call=call)
    far = 10.0 * n.max()
    assert_close(law(far, *got), law(far, a, alpha, c), rtol=1e-4, atol=0,
                 name=f"extrapolated loss at N = {far:.3g}", call=call)


def brute_force_alpha(n: np.ndarray, loss: np.ndarray, steps: int = 20001) -> float:
    """The alpha of ALPHA_RANGE = (0.01, 2.0), on a grid of `steps` values including both ends, whose
    least-squares (a, c) gives the smallest squared error (closed-form simple regression per alpha)."""
    alphas = np.linspace(0.01, 2.0, steps)[:, None]
    x = n[None, :] ** -alphas
    xc, lc = x - x.mean(axis=1, keepdims=True), loss - loss.mean()
    slope = (xc @ lc) / (xc * xc).sum(axis=1)
    return float(alphas[np.argmin(((lc[None, :] - slope[:, None] * xc) ** 2).sum(axis=1)), 0])


@settings(max_examples=8)  # ~10 ms per fit and brute force
@given(a_exp=st.floats(-0.5, 2.0), alpha=st.one_of(st.floats(0.002, 0.015), st.floats(1.98, 3.0)),
       c=st.floats(0.0, 2.0), lo=st.integers(1, 2), hi=st.integers(3, 5), k=st.integers(4, 8), seed=seeds())
@example(a_exp=math.log10(0.4), alpha=0.0123, c=0.11, lo=2, hi=5, k=5, seed=0)   # inside the first grid cell
@example(a_exp=math.log10(5.0), alpha=0.004, c=0.5, lo=1, hi=5, k=6, seed=1)     # below the range: alpha = 0.01
@example(a_exp=math.log10(4.6), alpha=1.9966, c=0.2, lo=1, hi=3, k=6, seed=2)    # inside the last grid cell
@example(a_exp=2.0, alpha=3.0, c=1.0, lo=1, hi=4, k=6, seed=3)                   # above the range: alpha = 2.0
def test_fit_searches_all_of_alpha_range_up_to_its_ends(kata, a_exp, alpha, c, lo, hi, k, seed):
    """A law whose alpha lies at or beyond an end of ALPHA_RANGE: the constrained minimum is there."""
    a = 10.0 ** a_exp
    n = sizes(lo, hi, k, seed)
    loss = law(n, a, alpha, c)
    assume(loss.max() - loss.min() > 1e-2 * loss.max())       # the curve must clearly bend over the range
    call = describe_call("fit_power_law", n, loss) + f" for data from a={a:.6g}, alpha={alpha:.6g}, c={c:.6g}"
    got = tuple(float(x) for x in kata.fit_power_law(n, loss))
    want = brute_force_alpha(n, loss)
    assert 0.01 - 1e-9 <= got[1] <= 2.0 + 1e-9, f"{call} returned alpha={got[1]:.6g}, outside ALPHA_RANGE (0.01, 2.0)"
    # the grid's spacing is 1e-4: the best grid alpha is within 5e-5 of the constrained minimum
    assert_close(got[1], want, rtol=1e-3, atol=1e-4, name="alpha (brute force over ALPHA_RANGE, ends included)",
                 call=call)


@settings(max_examples=10)
@given(**LAWS, noise=st.sampled_from([0.002, 0.005, 0.01]))
@example(a_exp=math.log10(406.4), alpha=0.34, c=1.69, lo=3, hi=8, k=8, seed=0, noise=0.01)
def test_fit_is_as_good_as_curve_fit_on_noisy_data(kata, a_exp, alpha, c, lo, hi, k, seed, noise):
    a = 10.0 ** a_exp
    n = sizes(lo, hi, k, seed)
    clean = law(n, a, alpha, c)
    assume(clean.max() - clean.min() > 0.2 * clean.min())     # enough signal that the optimum is well defined
    loss = clean * (1 + noise * np.random.default_rng(seed + 1).standard_normal(k))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ref, _ = curve_fit(law, n, loss, p0=(a, alpha, c), maxfev=20000)
        except RuntimeError:                                     # the reference itself did not converge
            ref = (math.nan,) * 3
    assume(0.02 < ref[1] < 1.9)                                  # the optimum lies inside ALPHA_RANGE
    call = describe_call("fit_power_law", n, loss) + f" (law a={a:.4g}, alpha={alpha:.3g}, c={c:.3g}, {noise:.1%} noise)"
    got = tuple(float(x) for x in kata.fit_power_law(n, loss))
    got_sse, ref_sse = sse(got, n, loss), sse(ref, n, loss)
    # scipy started at the truth finds the global optimum; yours must match its squared error
    assert got_sse <= ref_sse * (1 + 1e-4) + 1e-14, (
        f"{call} returned {got} with squared error {got_sse:.6g}; curve_fit started at the true parameters "
        f"found {tuple(np.round(ref, 6))} with {ref_sse:.6g}: minimise the squared error of the loss itself")


@given(a_exp=st.floats(0.0, 3.0), alpha=st.floats(0.05, 1.0), c=st.floats(0.0, 3.0),
       gap=st.one_of(st.floats(-1.0, 0.0), st.floats(0.01, 2.0)))
@example(a_exp=math.log10(406.4), alpha=0.34, c=1.69, gap=0.31)
@example(a_exp=1.0, alpha=0.5, c=2.0, gap=0.0)
def test_size_for_loss_inverts_the_law(kata, a_exp, alpha, c, gap):
    a = 10.0 ** a_exp
    target = c + gap
    call = describe_call("size_for_loss", (a, alpha, c), target)
    got = kata.size_for_loss((a, alpha, c), target)
    if gap <= 0:
        assert got == math.inf, f"{call} returned {got}: no size reaches a loss at or below c, expected math.inf"
        return
    want = (a / gap) ** (1 / alpha)   # at most (1e3 / 0.01)^20 = 1e100: no overflow
    assert_close(got, want, rtol=1e-9, atol=0, name="size", call=call)
    assert_close(law(got, a, alpha, c), target, rtol=1e-9, atol=1e-12, name="L(size) (should be the target)",
                 call=call)


@settings(max_examples=10)
@given(**LAWS, held=dims(1, 3), bump=st.booleans())
@example(a_exp=2.0, alpha=0.3, c=1.5, lo=3, hi=8, k=7, seed=0, held=2, bump=True)
def test_holdout_extrapolation_fits_the_small_and_predicts_the_large(kata, a_exp, alpha, c, lo, hi, k, seed, held, bump):
    a = 10.0 ** a_exp
    n = sizes(lo, hi, k + held, seed)
    loss = law(n, a, alpha, c)
    if bump:   # the largest models do better than the law: extrapolation must miss them
        loss = loss * np.where(n >= np.sort(n)[-held], 0.9, 1.0)
    order = np.argsort(n)
    small_loss = loss[order][:-held]
    assume(small_loss.max() - small_loss.min() > 1e-3 * small_loss.max())
    call = describe_call("holdout_extrapolation", n, loss, held) + " (sizes in shuffled order)"
    params, predicted = kata.holdout_extrapolation(n, loss, held)
    # exact law on the small sizes: the fit recovers it, and predicts the law (not the bump) for the large ones
    assert_close(np.array(params, dtype=float)[[1]], [alpha], rtol=1e-3, atol=0,
                 name="alpha fitted on the smaller sizes", call=call)
    assert_close(predicted, law(np.sort(n)[-held:], a, alpha, c), rtol=1e-4, atol=0,
                 name=f"predictions for the {held} largest sizes (in increasing order)", call=call)


@settings(max_examples=10)  # each figure costs ~60 ms to build
@given(k=dims(3, 8), c=st.sampled_from([0.0, 0.5, 1.5, -0.1]), seed=seeds())
@example(k=5, c=1.5, seed=0)
@example(k=4, c=0.5, seed=1)    # 0 < c < 1: still a floor to draw
@example(k=4, c=0.0, seed=2)    # c = 0: no floor
def test_plot_scaling_shows_points_fit_and_floor(kata, k, c, seed):
    n = sizes(3, 7, k, seed)
    params = (200.0, 0.3, c)
    loss = law(n, *params) * (1 + 0.01 * np.random.default_rng(seed).standard_normal(k))
    n_max = 1e10
    fig = kata.plot_scaling(n, loss, params, n_max)
    try:
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 1, f"plot_scaling drew on {len(axes)} axes, expected 1"
        ax = axes[0]
        assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log"), (
            f"scales are {ax.get_xscale()!r}/{ax.get_yscale()!r}, expected log-log")
        assert "param" in ax.get_xlabel().lower() and "loss" in ax.get_ylabel().lower(), (
            f"labels are {ax.get_xlabel()!r} / {ax.get_ylabel()!r}")
        assert ax.get_legend() is not None, "plot_scaling drew no legend"
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        assert {"observed", "fit"} <= set(lines), f"lines are labelled {sorted(lines)}, expected 'observed' and 'fit'"
        obs, fit = lines["observed"], lines["fit"]
        assert obs.get_linestyle() in ("None", "none", ""), f"the observed points are joined by a line ({obs.get_linestyle()!r})"
        order = np.argsort(n)
        assert_close(np.asarray(obs.get_xdata(), dtype=float), n[order], rtol=0, atol=0, name="observed x data",
                     call="plot_scaling")
        assert_close(np.asarray(obs.get_ydata(), dtype=float), loss[order], rtol=0, atol=0, name="observed y data",
                     call="plot_scaling")
        xs = np.asarray(fit.get_xdata(), dtype=float)
        assert_close(xs, np.geomspace(n.min(), n_max, 200), rtol=1e-12, atol=0,
                     name="fit x data (200 sizes from min(n) to n_max)", call="plot_scaling")
        assert_close(np.asarray(fit.get_ydata(), dtype=float), law(xs, *params), rtol=1e-12, atol=0,
                     name="fit y data", call="plot_scaling")
        if c > 0:
            assert "irreducible" in lines, f"c = {c} > 0 but no line labelled 'irreducible' (lines: {sorted(lines)})"
            assert_close(np.asarray(lines["irreducible"].get_ydata(), dtype=float), [c, c], rtol=0, atol=0,
                         name="irreducible line y data", call="plot_scaling")
        else:
            assert "irreducible" not in lines, f"c = {c} <= 0, yet a line labelled 'irreducible' was drawn (only if c > 0)"
    finally:
        plt.close(fig)


def test_how_small_can_you_go_with_chinchilla(kata):
    """Hoffmann et al.'s fitted L(N) = 1.69 + 406.4 / N^0.34 (infinite data): 2.0 nats needs ~3.3e7 parameters,
    and halving the gap to the irreducible loss costs 2^(1/0.34) ~ 7.7x the parameters."""
    params = (406.4, 0.34, 1.69)
    n2 = kata.size_for_loss(params, 2.0)
    assert_close(n2, (406.4 / 0.31) ** (1 / 0.34), rtol=1e-9, atol=0, name="size for 2.0 nats",
                 call="size_for_loss((406.4, 0.34, 1.69), 2.0)")
    ratio = kata.size_for_loss(params, 1.69 + 0.155) / n2
    assert_close(ratio, 2 ** (1 / 0.34), rtol=1e-9, atol=0, name="size ratio for half the gap",
                 call="size_for_loss((406.4, 0.34, 1.69), 1.845) / size_for_loss(..., 2.0)")
    assert kata.size_for_loss(params, 1.6) == math.inf, "below the irreducible 1.69 nats no size will do: expected inf"


def test_fit_worked_example_with_unsorted_sizes(kata):
    n = np.array([1e6, 1e3, 1e9, 1e4, 1e7])
    loss = law(n, 50.0, 0.25, 1.2)
    got = kata.fit_power_law(n, loss)
    assert_close(np.array(got, dtype=float), [50.0, 0.25, 1.2], rtol=1e-3, atol=0, name="(a, alpha, c)",
                 call=describe_call("fit_power_law", n, loss) + " (sizes unsorted)")


def test_fit_with_the_minimum_three_points(kata):
    n = np.array([1e3, 1e5, 1e7])
    loss = law(n, 30.0, 0.4, 0.8)
    got = kata.fit_power_law(n, loss)
    # three points, three parameters: an exact interpolation
    assert_close(law(n, *got), loss, rtol=1e-6, atol=0, name="fitted values at the three points",
                 call=describe_call("fit_power_law", n, loss))

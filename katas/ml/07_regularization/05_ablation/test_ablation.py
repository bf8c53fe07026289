"""Tests for ml-07-5, the regulariser ablation.

References: sklearn.linear_model.Ridge refitted for every alpha (coefficients, train and test MSE,
coefficient norm), on generated data with more features than is comfortable and on the bundled
diabetes data; the monotonicity that ridge guarantees (training error never falls and the
coefficient norm never grows as alpha grows); and the structure of the plotted Figure.
"""
import matplotlib.pyplot as plt
import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from sklearn.datasets import load_diabetes, make_regression
from sklearn.linear_model import Ridge as SkRidge

from grader.strategies import seeds
from grader.testing import assert_close, assert_no_alias, assert_shape, call_unmodified, describe_call


def make_split(seed: int, n_train: int, d: int, noise: float) -> tuple[np.ndarray, ...]:
    """Few training points for the number of features, so regularisation matters; offsets in X and
    y so that a penalised intercept shows."""
    X, y = make_regression(n_samples=n_train + 60, n_features=d, n_informative=max(1, d // 2), noise=noise,
                           random_state=seed)
    rng = np.random.default_rng(seed)
    X = X + rng.uniform(-3, 3, size=d)
    y = y + rng.uniform(-20, 20)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def make_alphas(seed: int, k: int, with_zero: bool) -> np.ndarray:
    alphas = np.geomspace(1e-3, 1e3, k)
    if with_zero:
        alphas[0] = 0.0
    return np.random.default_rng(seed).permutation(alphas)  # any order: results must follow it


def sklearn_curve(Xtr: np.ndarray, ytr: np.ndarray, Xte: np.ndarray, yte: np.ndarray,
                  alphas: np.ndarray) -> dict[str, np.ndarray]:
    out: dict[str, list] = {"train": [], "test": [], "norm": [], "coefs": []}
    for a in alphas:
        m = SkRidge(alpha=float(a), solver="svd").fit(Xtr, ytr)
        out["train"].append(np.mean((ytr - m.predict(Xtr)) ** 2))
        out["test"].append(np.mean((yte - m.predict(Xte)) ** 2))
        out["norm"].append(np.linalg.norm(m.coef_))
        out["coefs"].append(m.coef_)
    return {k: np.array(v) for k, v in out.items()}


@given(seed=seeds(), n=st.integers(3, 40), d=st.integers(1, 10), alpha=st.sampled_from([0.0, 1e-2, 1.0, 100.0]))
@example(seed=0, n=40, d=10, alpha=0.0)  # ordinary least squares
@example(seed=1, n=3, d=10, alpha=1.0)  # more features than samples
def test_ridge_fit_matches_sklearn(kata, seed, n, d, alpha):
    if alpha == 0.0:
        n = max(n, d + 2)  # least squares needs full column rank to be unique
    X, y, _, _ = make_split(seed, n, d, 10.0)
    call = describe_call("ridge_fit", X, y, alpha)
    coef, b = call_unmodified(kata.ridge_fit, X, y, alpha)
    ref = SkRidge(alpha=alpha, solver="svd").fit(X, y)
    assert_shape(coef, (d,), name="coef", call=call)
    scale = max(1.0, float(np.abs(ref.coef_).max()))
    # float64 solves of systems with condition number <= ~1e8.
    assert_close(coef, ref.coef_, rtol=0, atol=1e-7 * scale, name="coef (vs sklearn Ridge)", call=call)
    assert_close(float(b), float(ref.intercept_), rtol=0, atol=1e-6 * scale, name="intercept (unpenalised)",
                 call=call)


def check_curve(kata, Xtr, ytr, Xte, yte, alphas) -> None:
    call = describe_call("ablation_curve", Xtr, ytr, Xte, yte, alphas)
    got = call_unmodified(kata.ablation_curve, Xtr, ytr, Xte, yte, alphas)
    want = sklearn_curve(Xtr, ytr, Xte, yte, alphas)
    k, d = len(alphas), Xtr.shape[1]
    assert_close(got.alphas, alphas, rtol=0, atol=0, name="alphas (in the order given)", call=call)
    assert_no_alias(got.alphas, alphas, name="result.alphas", call=call)  # "a new array, never the caller's"
    assert_shape(got.coefs, (k, d), name="coefs", call=call)
    scale = max(1.0, float(np.abs(want["coefs"]).max()))
    assert_close(got.coefs, want["coefs"], rtol=0, atol=1e-7 * scale, name="coefs (row i: Ridge(alphas[i]))",
                 call=call)
    # MSEs of size up to ~1e4, computed from those coefficients.
    assert_close(got.train_mse, want["train"], rtol=1e-6, atol=1e-8, name="train_mse (mean squared error)",
                 call=call)
    assert_close(got.test_mse, want["test"], rtol=1e-6, atol=1e-8, name="test_mse (on the TEST set)", call=call)
    assert_close(got.coef_norm, want["norm"], rtol=1e-6, atol=1e-8, name="coef_norm (||coef||, no intercept)",
                 call=call)


@given(seed=seeds(), n_train=st.integers(5, 40), d=st.integers(1, 15), noise=st.sampled_from([1.0, 10.0, 50.0]),
       k=st.integers(1, 8))
@example(seed=2, n_train=12, d=15, noise=50.0, k=8)
@example(seed=3, n_train=5, d=1, noise=1.0, k=1)
def test_curve_matches_sklearn_per_alpha(kata, seed, n_train, d, noise, k):
    Xtr, ytr, Xte, yte = make_split(seed, n_train, d, noise)
    check_curve(kata, Xtr, ytr, Xte, yte, make_alphas(seed, k, with_zero=n_train > d + 1))


DIABETES = load_diabetes()


@given(n_train=st.integers(15, 100), k=st.integers(2, 8))
def test_curve_on_diabetes(kata, n_train, k):
    X, y = DIABETES.data, DIABETES.target
    check_curve(kata, X[:n_train], y[:n_train], X[300:], y[300:], make_alphas(n_train, k, with_zero=False))


@given(seed=seeds(), n_train=st.integers(5, 40), d=st.integers(1, 15), noise=st.sampled_from([1.0, 10.0, 50.0]),
       k=st.integers(2, 8))
@example(seed=4, n_train=10, d=12, noise=10.0, k=8)
def test_train_error_rises_and_norm_falls_with_alpha(kata, seed, n_train, d, noise, k):
    Xtr, ytr, Xte, yte = make_split(seed, n_train, d, noise)
    alphas = make_alphas(seed, k, with_zero=n_train > d + 1)
    res = kata.ablation_curve(Xtr, ytr, Xte, yte, alphas)
    order = np.argsort(res.alphas)
    train, norm = np.asarray(res.train_mse)[order], np.asarray(res.coef_norm)[order]
    call = describe_call("ablation_curve", Xtr, ytr, Xte, yte, alphas)
    tol_t, tol_n = 1e-9 * max(1.0, float(train.max())), 1e-9 * max(1.0, float(norm.max()))
    falls = np.flatnonzero(np.diff(train) < -tol_t)
    assert falls.size == 0, (f"{call}: training MSE fell from {train[falls[0]]:.6g} at alpha="
                             f"{res.alphas[order][falls[0]]:g} to {train[falls[0] + 1]:.6g} at a larger alpha; "
                             "a stronger penalty can only fit the training data worse")
    rises = np.flatnonzero(np.diff(norm) > tol_n)
    assert rises.size == 0, (f"{call}: ||coef|| grew from {norm[rises[0]]:.6g} to {norm[rises[0] + 1]:.6g} as "
                             "alpha grew; a stronger L2 penalty can only shrink it")


@given(seed=seeds(), n_train=st.integers(8, 30), d=st.integers(5, 15), k=st.integers(3, 8))
@example(seed=5, n_train=10, d=15, k=8)
def test_best_alpha_minimises_the_test_error(kata, seed, n_train, d, k):
    Xtr, ytr, Xte, yte = make_split(seed, n_train, d, 30.0)
    alphas = make_alphas(seed, k, with_zero=False)
    want = sklearn_curve(Xtr, ytr, Xte, yte, alphas)["test"]
    top2 = np.sort(want)[:2]
    assume(top2[1] - top2[0] > 1e-6 * top2[0])  # no near-tie for the best
    res = kata.ablation_curve(Xtr, ytr, Xte, yte, alphas)
    got = kata.best_alpha(res)
    expected = float(alphas[np.argmin(want)])
    assert got == expected, (f"best_alpha returned {got:g}, expected {expected:g} (smallest test MSE "
                             f"{want.min():.6g}); test MSE by alpha: "
                             f"{dict(zip(np.round(alphas, 6).tolist(), np.round(want, 3).tolist(), strict=True))}")


@given(k=st.integers(2, 6), first=st.integers(0, 4), gap=st.integers(1, 4), seed=seeds())
@example(k=3, first=0, gap=2, seed=0)
def test_best_alpha_tie_goes_to_the_first(kata, k, first, gap, seed):
    """Two alphas with exactly the same (smallest) test error: the first of them in the given order wins."""
    first, second = min(first, k - 1), min(first + gap, k)
    rng = np.random.default_rng(seed)
    alphas = rng.permutation(np.logspace(-2, 2, k + 1))
    test = rng.uniform(2.0, 9.0, size=k + 1)
    test[[first, second]] = 1.5
    zeros = np.zeros(k + 1)
    res = kata.AblationResult(alphas, test + 1, test, zeros, np.zeros((k + 1, 2)))
    got = call_unmodified(kata.best_alpha, res)
    assert got == alphas[first], (f"best_alpha returned {got:g}; alphas {alphas[first]:g} (position {first}) and "
                                  f"{alphas[second]:g} (position {second}) tie for the smallest test MSE: the first wins")


@settings(max_examples=5)  # each figure costs ~50 ms; its structure does not depend on the data
@given(seed=seeds(), k=st.integers(2, 6))
@example(seed=6, k=2)
def test_plot_structure(kata, seed, k):
    Xtr, ytr, Xte, yte = make_split(seed, 15, 10, 20.0)
    alphas = make_alphas(seed, k, with_zero=False)
    res = kata.ablation_curve(Xtr, ytr, Xte, yte, alphas)
    fig = kata.plot_ablation(res)
    try:
        assert isinstance(fig, Figure), f"plot_ablation returned {type(fig).__name__}, expected a matplotlib Figure"
        axes = fig.get_axes()
        assert len(axes) == 2, f"plot_ablation drew {len(axes)} axes, expected 2 (errors, coefficient norm)"
        left, right = axes
        for ax, name in ((left, "left"), (right, "right")):
            assert ax.get_xscale() == "log", f"the {name} axes has a {ax.get_xscale()!r} x axis, expected 'log'"
            assert "alpha" in ax.get_xlabel().lower(), f"the {name} axes' x label is {ax.get_xlabel()!r}"
        labels = {line.get_label() for line in left.get_lines()}
        assert {"train", "test", "best alpha"} <= labels, f"left axes has lines labelled {sorted(labels)}"
        assert "mse" in left.get_ylabel().lower(), f"left y label is {left.get_ylabel()!r}, expected it to name MSE"
        assert left.get_legend() is not None, "the left axes has no legend"
        sorted_alphas = np.sort(alphas)
        by_label = {line.get_label(): line for line in left.get_lines()}
        for label, values in (("train", res.train_mse), ("test", res.test_mse)):
            line = by_label[label]
            order = np.argsort(res.alphas)
            assert_close(np.asarray(line.get_xdata(), dtype=float), sorted_alphas, rtol=0, atol=0,
                         name=f"x data of the {label!r} line (alphas in increasing order)", call="plot_ablation(result)")
            assert_close(np.asarray(line.get_ydata(), dtype=float), np.asarray(values)[order], rtol=1e-12, atol=0,
                         name=f"y data of the {label!r} line", call="plot_ablation(result)")
        best = by_label["best alpha"]
        assert np.allclose(np.asarray(best.get_xdata(), dtype=float), kata.best_alpha(res)), (
            f"the 'best alpha' line is at x = {best.get_xdata()}, expected {kata.best_alpha(res):g}")
        assert len(right.get_lines()) == 1, f"right axes has {len(right.get_lines())} lines, expected 1 (||w||)"
        assert_close(np.asarray(right.get_lines()[0].get_ydata(), dtype=float),
                     np.asarray(res.coef_norm)[np.argsort(res.alphas)], rtol=1e-12, atol=0,
                     name="y data of the coefficient-norm line", call="plot_ablation(result)")
    finally:
        plt.close(fig)

"""Tests for dl-01-6, universal approximation with one hidden ReLU layer.

References: numpy.interp for the piecewise-linear interpolant the network must equal; the exact
interpolation error of x² (h²/4 at every midpoint) and the bound h² max|f''|/8 with its measured
O(width⁻²) decay; numpy.linalg.lstsq on your hidden features for the trained read-out.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import (
    assert_close,
    assert_equal,
    assert_seeded,
    assert_shape,
    call_unmodified,
    describe_call,
)


@st.composite
def knots_and_values(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    m = draw(st.integers(2, 12))
    rng = np.random.default_rng(draw(seeds()))
    gaps = rng.uniform(0.05, 2.0, size=m - 1) * draw(st.sampled_from([1.0, 1e-3, 100.0]))
    knots = rng.uniform(-5, 5) + np.concatenate([[0.0], np.cumsum(gaps)])
    return knots, rng.standard_normal(m) * draw(st.sampled_from([1.0, 50.0]))


@given(kv=knots_and_values())
@example(kv=(np.array([0.0, 1.0]), np.array([2.0, -1.0])))
@example(kv=(np.array([-1.0, 0.0, 1.0]), np.array([1.0, 0.0, 1.0])))  # |x|: one kink of slope change 2
def test_network_equals_np_interp_on_the_knot_range(kata, kv):
    knots, values = kv
    call = describe_call("relu_interpolant", knots, values)
    params = call_unmodified(kata.relu_interpolant, knots, values, fn_name="relu_interpolant")
    H = len(knots) - 1
    for k in ("w1", "b1", "w2"):
        assert_shape(params[k], (H,), name=f"params[{k!r}] (one hidden unit per segment)", call=call)
    assert_shape(params["b2"], (), name="params['b2']", call=call)
    x = np.concatenate([knots, np.linspace(knots[0], knots[-1], 97)])
    scale = np.abs(values).max()
    # float64: slopes times distances, rounding relative to the largest value.
    assert_close(kata.mlp_1d(x, params), np.interp(x, knots, values), rtol=1e-9, atol=1e-9 * scale,
                 name="N(x) on [knots[0], knots[-1]] (vs np.interp)", call=call)


@given(m=st.integers(0, 1))
def test_interpolant_needs_two_knots(kata, m):
    with pytest.raises(ValueError):
        kata.relu_interpolant(np.arange(m, dtype=float), np.zeros(m))


@given(bad=st.sampled_from(["tie", "decreasing", "shape"]))
@example(bad="tie")
def test_interpolant_rejects_bad_knots(kata, bad):
    knots = {"tie": np.array([0.0, 1.0, 1.0, 2.0]), "decreasing": np.array([0.0, 2.0, 1.0, 3.0]),
             "shape": np.array([0.0, 1.0, 2.0, 3.0])}[bad]
    values = np.zeros(3) if bad == "shape" else np.zeros(4)
    with pytest.raises(ValueError):
        kata.relu_interpolant(knots, values)


@given(a=st.integers(-4, 3).map(float), length=st.sampled_from([0.5, 1.0, 2.0, 8.0]), width=st.integers(1, 40))
@example(a=0.0, length=1.0, width=1)
def test_error_of_x_squared_is_h2_over_4_at_midpoints(kata, a, length, width):
    """For f = x², linear interpolation errs by exactly h²/4 at the middle of every segment and 0 at knots."""
    b, h = a + length, length / width
    call = describe_call("max_interpolation_error", "x**2", a, b, width, n_grid=2 * width + 1)
    got = kata.max_interpolation_error(np.square, a, b, width, n_grid=2 * width + 1)
    assert_close(got, h * h / 4, rtol=1e-9, atol=1e-12, name="max error on a grid through every midpoint (h²/4)",
                 call=call)
    at_knots = kata.max_interpolation_error(np.square, a, b, width, n_grid=width + 1)
    assert_close(at_knots, 0.0, rtol=0, atol=1e-9 * max(a * a, b * b),
                 name="max error on a grid of the knots only (0)",
                 call=describe_call("max_interpolation_error", "x**2", a, b, width, n_grid=width + 1))


@given(omega=st.sampled_from([1.0, 2.0, 5.0]), a=st.sampled_from([-3.0, 0.0]), width=st.integers(1, 64))
def test_error_respects_the_h2_bound(kata, omega, a, width):
    b = a + 2 * np.pi

    def f(x: np.ndarray) -> np.ndarray:
        return np.sin(omega * x)

    h = (b - a) / width
    got = kata.max_interpolation_error(f, a, b, width)
    bound = h * h * omega ** 2 / 8
    assert got <= bound * (1 + 1e-9) + 1e-12, (f"max_interpolation_error(sin({omega}x), width={width}) = {got:.4g} "
                                                f"exceeds the bound h² max|f''| / 8 = {bound:.4g}")


@given(omega=st.sampled_from([1.0, 3.0]))
def test_error_falls_as_width_squared(kata, omega):
    """Measured: doubling the width three times (8 → 64) divides the error by about 4³; slope −2 in log-log."""
    widths = np.array([8, 16, 32, 64])
    errs = np.array([kata.max_interpolation_error(lambda x: np.sin(omega * x), 0.0, 2 * np.pi, int(w))
                     for w in widths])
    slope = np.polyfit(np.log(widths), np.log(errs), 1)[0]
    assert np.all(np.diff(errs) < 0) and -2.2 < slope < -1.8, (
        f"errors {errs} at widths {widths}: log-log slope {slope:.2f}, expected ≈ -2 for a smooth f")


@given(width=st.integers(-3, 0))
def test_error_needs_a_positive_width(kata, width):
    with pytest.raises(ValueError):
        kata.max_interpolation_error(np.sin, 0.0, 1.0, width)


def features(params: dict, x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.maximum(np.multiply.outer(x, params["w1"]) + params["b1"], 0.0), np.ones(len(x))])


@given(seed=seeds(), n=st.integers(2, 60), width=st.integers(1, 30))
@example(seed=0, n=2, width=5)
def test_random_features_follow_the_stream_and_fit_by_least_squares(kata, seed, n, width):
    rng = np.random.default_rng(seed + 1)
    x = np.sort(rng.uniform(-2, 2, n))
    y = np.sin(2 * x) + 0.1 * rng.standard_normal(n)
    call = describe_call("fit_random_relu_features", x, y, width, seed)
    params = call_unmodified(kata.fit_random_relu_features, x, y, width, seed, fn_name="fit_random_relu_features")
    u = np.random.default_rng(seed).random((width, 2))
    s = np.where(u[:, 1] < 0.5, -1.0, 1.0)
    t = x.min() + (x.max() - x.min()) * u[:, 0]
    assert_close(params["w1"], s, rtol=0, atol=0, name="w1 (the signs s from u[:, 1])", call=call)
    assert_close(params["b1"], -s * t, rtol=1e-12, atol=1e-12, name="b1 (−s·t, t from u[:, 0])", call=call)
    A = features(params, x)
    fitted = A @ np.linalg.lstsq(A, y, rcond=None)[0]
    # Least-squares fitted values are unique even when the coefficients are not.
    assert_close(kata.mlp_1d(x, params), fitted, rtol=1e-7, atol=1e-7,
                 name="N(x) at the training points (vs lstsq on your features)", call=call)
    assert_seeded(lambda sd: kata.fit_random_relu_features(x, y, width, sd)["b1"], seed, name="hidden units b1")


@settings(max_examples=10)
@given(seed=seeds())
def test_training_error_falls_with_width(kata, seed):
    """Measured: same seed, growing width; the fit of sin(3x) keeps improving and ends near the noise-free target."""
    x = np.linspace(-2, 2, 200)
    y = np.sin(3 * x)
    widths = [1, 2, 4, 8, 16, 32, 64]
    mse = [float(np.mean((kata.mlp_1d(x, kata.fit_random_relu_features(x, y, w, seed)) - y) ** 2)) for w in widths]
    increases = [(w, m0, m1) for w, m0, m1 in zip(widths[1:], mse, mse[1:], strict=False) if m1 > m0 * (1 + 1e-9) + 1e-12]
    assert not increases, f"training MSE rose with width (width, before, after): {increases}; all: {mse}"
    assert mse[-1] < 1e-2 * mse[0], f"training MSE by width {dict(zip(widths, np.round(mse, 6), strict=True))}"
    assert_equal(len(kata.fit_random_relu_features(x, y, 64, seed)["w2"]), 64, name="len(w2) for width 64")

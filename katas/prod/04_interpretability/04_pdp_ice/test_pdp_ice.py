"""Tests for prod-04-4, partial dependence and ICE curves.

References: sklearn.inspection.partial_dependence(kind="both", method="brute") for the grid, the
average and the individual curves, on fitted sklearn regressors; brute-force predictions one row
at a time for ICE; the closed form for an additive model (parallel ICE curves).
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.inspection import partial_dependence as sk_partial_dependence
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor
from sklearn.tree import DecisionTreeRegressor

from grader.strategies import seeds
from grader.testing import assert_close, assert_dtype, assert_no_alias, call_unmodified, describe_call

PERCENTILES = st.sampled_from([(0.05, 0.95), (0.0, 1.0), (0.1, 0.5), (0.25, 0.75)])


def fitted(kind: str, seed: int, n: int, d: int, levels: int | None) -> tuple[object, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    if levels is not None:                    # a discrete feature 0
        X[:, 0] = rng.integers(0, levels, size=n)
    y = np.sin(2 * X[:, 0]) * X[:, -1] + X.sum(axis=1) + 0.1 * rng.normal(size=n)
    model = {"tree": DecisionTreeRegressor(max_depth=4, random_state=0),
             "knn": KNeighborsRegressor(n_neighbors=3), "linear": LinearRegression()}[kind]
    return model.fit(X, y), X


@st.composite
def setups(draw: st.DrawFn) -> tuple[object, np.ndarray, int, int, tuple[float, float]]:
    d = draw(st.integers(1, 4))
    levels = draw(st.sampled_from([None, 3, 7]))
    model, X = fitted(draw(st.sampled_from(["tree", "knn", "linear"])), draw(seeds()), draw(st.integers(8, 40)), d,
                      levels)
    return model, X, draw(st.integers(0, d - 1)), draw(st.sampled_from([2, 3, 7, 20])), draw(PERCENTILES)


@settings(max_examples=20)
@given(setup=setups())
def test_matches_sklearn_partial_dependence(kata, setup):
    model, X, feature, res, pct = setup
    call = describe_call("partial_dependence", model.predict, X, feature, grid_resolution=res, percentiles=pct)
    grid, average, individual = call_unmodified(kata.partial_dependence, model.predict, X, feature,
                                                grid_resolution=res, percentiles=pct)
    ref = sk_partial_dependence(model, X, [feature], kind="both", grid_resolution=res, percentiles=pct,
                                method="brute")
    # the same predictions, averaged: rounding only
    assert_close(grid, ref["grid_values"][0], rtol=1e-12, atol=1e-12, name="grid", call=call)
    assert_close(individual, ref["individual"][0], rtol=1e-10, atol=1e-10, name="individual (ICE)", call=call)
    assert_close(average, ref["average"][0], rtol=1e-10, atol=1e-10, name="average (PD)", call=call)


@given(seed=seeds(), n_unique=st.integers(2, 9), pct=PERCENTILES)
@example(seed=0, n_unique=5, pct=(0.05, 0.95))      # exactly grid_resolution distinct values: the linspace
@example(seed=1, n_unique=4, pct=(0.05, 0.95))      # one fewer: the distinct values themselves
def test_grid_uses_unique_values_below_the_resolution(kata, seed, n_unique, pct):
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.permutation(np.resize(rng.normal(size=n_unique), 30)), rng.normal(size=30)])
    call = describe_call("feature_grid", X, 0, grid_resolution=5, percentiles=pct)
    got = call_unmodified(kata.feature_grid, X, 0, grid_resolution=5, percentiles=pct)
    ref = sk_partial_dependence(LinearRegression().fit(X, X[:, 1]), X, [0], grid_resolution=5, percentiles=pct,
                                method="brute")
    assert_close(got, ref["grid_values"][0], rtol=1e-12, atol=1e-12, name="grid", call=call)


@settings(max_examples=5)
@given(seed=seeds())
def test_defaults(kata, seed):
    model, X = fitted("tree", seed, 120, 2, None)
    call = describe_call("partial_dependence", model.predict, X, 1)
    grid, average, _ = kata.partial_dependence(model.predict, X, 1)
    ref = sk_partial_dependence(model, X, [1], kind="average", method="brute")   # 100 points, (0.05, 0.95)
    assert_close(grid, ref["grid_values"][0], rtol=1e-12, atol=1e-12, name="grid with the defaults", call=call)
    assert_close(average, ref["average"][0], rtol=1e-10, atol=1e-10, name="average with the defaults", call=call)
    assert_close(kata.feature_grid(X, 1), grid, rtol=0, atol=0, name="feature_grid with the defaults",
                 call=describe_call("feature_grid", X, 1))


@given(seed=seeds(), n=st.integers(1, 6), g=st.integers(1, 5), d=st.integers(1, 3))
def test_ice_matches_row_by_row_predictions(kata, seed, n, g, d):
    rng = np.random.default_rng(seed)
    X, grid, w = rng.normal(size=(n, d)), rng.normal(size=g), rng.normal(size=d)
    f = lambda z: np.tanh(z @ w) + z[:, 0] * z[:, -1]
    feature = int(rng.integers(0, d))
    call = describe_call("ice_curves", f, X, feature, grid)
    got = call_unmodified(kata.ice_curves, f, X, feature, grid)
    want = np.empty((n, g))
    for i in range(n):
        for j in range(g):
            row = X[i].copy()
            row[feature] = grid[j]
            want[i, j] = f(row[None])[0]
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="ICE curves", call=call)


@given(seed=seeds(), n=st.integers(1, 6), g=st.integers(1, 5))
def test_center_ice(kata, seed, n, g):
    curves = np.random.default_rng(seed).normal(size=(n, g))
    call = describe_call("center_ice", curves)
    got = call_unmodified(kata.center_ice, curves)
    assert_no_alias(got, curves, call=call)
    assert_close(got, curves - curves[:, :1], rtol=0, atol=1e-15, name="centred curves", call=call)


@given(seed=seeds(), d=st.integers(2, 4))
def test_additive_model_has_parallel_ice_curves(kata, seed, d):
    """f(x) = g(x_0) + h(x_rest): every c-ICE curve of feature 0 is g(grid) - g(grid[0]), and PD = g + mean h."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(25, d))
    f = lambda z: np.sin(3 * z[:, 0]) + np.square(z[:, 1:]).sum(axis=1)
    grid, average, individual = kata.partial_dependence(f, X, 0, grid_resolution=6)
    call = describe_call("partial_dependence", f, X, 0, grid_resolution=6)
    shape = np.sin(3 * grid)
    assert_close(kata.center_ice(individual), np.broadcast_to(shape - shape[0], individual.shape), rtol=0, atol=1e-12,
                 name="centred ICE curves of an additive model", call=call)
    assert_close(average, shape + np.square(X[:, 1:]).sum(axis=1).mean(), rtol=0, atol=1e-12, name="PD curve",
                 call=call)


def test_rejects_bad_grid_arguments(kata):
    X = np.random.default_rng(0).normal(size=(20, 2))
    cases = [({"grid_resolution": 1}, "grid_resolution=1"), ({"percentiles": (0.5, 0.5)}, "equal percentiles"),
             ({"percentiles": (0.9, 0.1)}, "reversed percentiles"), ({"percentiles": (-0.1, 0.5)}, "a percentile < 0"),
             ({"percentiles": (0.5, 1.5)}, "a percentile > 1")]
    for name in ("feature_grid", "partial_dependence"):
        for kwargs, why in cases:
            args = (X, 0) if name == "feature_grid" else (lambda z: z[:, 0], X, 0)
            with pytest.raises(ValueError):
                getattr(kata, name)(*args, **kwargs)
                pytest.fail(f"{name} with {why} returned instead of raising ValueError")


@given(seed=seeds(), n=st.integers(1, 6), d=st.integers(1, 3))
def test_integer_data_and_float32_predictions(kata, seed, n, d):
    """Integer X, a fractional grid and a float32 model: the rows are float64 and so is the result."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 5, size=(n, d))
    grid = np.array([0.25, 1.5, 2.75])
    f = lambda z: (z.sum(axis=1) ** 2 / 3).astype(np.float32)
    call = describe_call("ice_curves", f, X, 0, grid)
    got = call_unmodified(kata.ice_curves, f, X, 0, grid)
    assert_dtype(got, np.float64, name="ICE curves", call=call)
    rows = np.repeat(X[:, None, :].astype(np.float64), 3, axis=1)
    rows[:, :, 0] = grid
    want = (rows.sum(axis=2) ** 2 / 3).astype(np.float32)
    assert_close(got, want, rtol=0, atol=0, name="ICE curves on integer data", call=call)
    g = kata.feature_grid(X, 0)
    assert_dtype(g, np.float64, name="grid", call=describe_call("feature_grid", X, 0))

"""Tests for ml-02-3, L2-regularized logistic regression and its decision boundary.

References: central finite differences of the objective (its gradient); sklearn's
LogisticRegression(C=C) solved to machine precision with newton-cholesky (the same objective, so the
same unique optimum), compared within tol/μ; the regularization path (‖w‖ grows with C); the boundary
points checked against the line equation of sklearn-fitted coefficients; the probability grid against
sklearn's predict_proba on the same points; the figure's structure.
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from scipy.special import expit
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

CS = st.floats(-2.0, 2.0).map(lambda e: float(10**e))  # C from 0.01 to 100, log-uniform


def blobs(seed: int, n: int, d: int, std: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    X, y = make_blobs(n_samples=n, n_features=d, centers=2, cluster_std=std, random_state=seed)
    return X, y


def sklearn_fit(X: np.ndarray, y: np.ndarray, C: float) -> LogisticRegression:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LogisticRegression(C=C, solver="newton-cholesky", tol=1e-12, max_iter=500).fit(X, y)


def reference_objective(theta: np.ndarray, X: np.ndarray, y: np.ndarray, C: float) -> float:
    z = X @ theta[:-1] + theta[-1]
    return C * float(np.sum(np.logaddexp(0.0, z) - y * z)) + 0.5 * float(theta[:-1] @ theta[:-1])


def hessian_min_eigenvalue(X: np.ndarray, theta: np.ndarray, C: float) -> float:
    Xt = np.column_stack([X, np.ones(len(X))])
    p = expit(Xt @ theta)
    H = C * (Xt * (p * (1 - p))[:, None]).T @ Xt + np.diag(np.append(np.ones(X.shape[1]), 0.0))
    return float(np.linalg.eigvalsh(H)[0])


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(1, 4), C=CS)
@example(seed=0, n=1, d=1, C=1.0)
def test_objective_value_and_gradient(kata, seed, n, d, C):
    X, y = blobs(seed, n, d)
    rng = np.random.default_rng(seed)
    w, b = rng.normal(size=d), float(rng.normal())
    call = describe_call("objective", w, b, X, y, C)
    value, gw, gb = call_unmodified(kata.objective, w, b, X, y, C)
    theta = np.append(w, b)
    assert_close(value, reference_objective(theta, X, y, C), rtol=1e-10, atol=1e-12,
                 name="F = C·Σ log-loss + ½‖w‖² (intercept not penalized)", call=call)
    h = 1e-5 * max(1.0, float(np.max(np.abs(theta))))
    fd = np.array([(reference_objective(theta + h * e, X, y, C) - reference_objective(theta - h * e, X, y, C)) / (2 * h)
                   for e in np.eye(d + 1)])
    # Central differences: O(h²) truncation plus O(ε·F/h) rounding, about 1e-6 relative here.
    scale = max(1.0, float(np.max(np.abs(fd))))
    assert_shape(gw, (d,), name="grad_w", call=call)
    assert_close(gw, fd[:d], rtol=1e-5, atol=1e-5 * scale, name="grad_w (vs finite differences)", call=call)
    assert_close(gb, fd[d], rtol=1e-5, atol=1e-5 * scale, name="grad_b (vs finite differences)", call=call)


@given(seed=seeds(), n=st.integers(10, 60), d=st.integers(1, 4), C=CS, std=st.sampled_from([1.0, 2.5, 5.0]))
@example(seed=1, n=10, d=2, C=100.0, std=1.0)  # nearly separable and weakly penalized: large weights
@example(seed=2, n=30, d=3, C=0.01, std=5.0)  # strongly penalized: weights near zero
def test_matches_sklearn_logistic_regression_with_C(kata, seed, n, d, C, std):
    X, y = blobs(seed, n, d, std)
    ref = sklearn_fit(X, y, C)
    theta = np.append(ref.coef_[0], ref.intercept_)
    tol = 1e-8
    call = describe_call(f"L2LogisticRegression(C={C:.4g}, tol={tol}).fit", X, y)
    model = kata.L2LogisticRegression(C=C, tol=tol, max_iter=500)
    assert call_unmodified(model.fit, X, y) is model, f"{call} must return self"
    assert_shape(model.coef_, (1, d), name="coef_", call=call)
    assert_shape(model.intercept_, (1,), name="intercept_", call=call)
    assert 1 <= model.n_iter_ <= 500, f"{call}: n_iter_ = {model.n_iter_}, expected 1..max_iter (w = 0 is not optimal)"
    # ‖θ − θ*‖ <= ‖∇F‖/μ (μ: smallest Hessian eigenvalue at the optimum), with 3× room.
    err = 3 * tol / hessian_min_eigenvalue(X, theta, C) + 1e-9 * max(1.0, float(np.max(np.abs(theta))))
    assert_close(model.coef_, ref.coef_, rtol=0, atol=err, name="coef_ (vs LogisticRegression(C))", call=call)
    assert_close(model.intercept_, ref.intercept_, rtol=0, atol=err, name="intercept_ (vs LogisticRegression(C))",
                 call=call)
    X_new = blobs(seed + 1, 10, d, std)[0]
    reach = float(np.max(np.linalg.norm(np.column_stack([X_new, np.ones(10)]), axis=1)))
    assert_close(model.predict_proba(X_new), ref.predict_proba(X_new), rtol=0, atol=reach * err,
                 name="predict_proba", call=call)
    clear = np.abs(ref.decision_function(X_new)) > reach * err
    assert_equal(model.predict(X_new)[clear], ref.predict(X_new)[clear], name="predict", call=call)


@given(seed=seeds(), n=st.integers(10, 60), d=st.integers(1, 3), C=CS, factor=st.floats(1.5, 100.0))
def test_weights_grow_with_C(kata, seed, n, d, C, factor):
    """Less regularization never shrinks the solution: ‖w(C)‖ is non-decreasing in C."""
    X, y = blobs(seed, n, d)
    small = call_unmodified(kata.L2LogisticRegression(C=C).fit, X, y)
    large = call_unmodified(kata.L2LogisticRegression(C=C * factor).fit, X, y)
    n_small, n_large = np.linalg.norm(small.coef_), np.linalg.norm(large.coef_)
    assert n_small <= n_large * (1 + 1e-6) + 1e-9, (
        f"L2LogisticRegression(C={C:.4g}) has ‖w‖ = {n_small:.6g} but C={C * factor:.4g} has ‖w‖ = {n_large:.6g}: "
        "a larger C is a weaker penalty and can only let the weights grow. Is C multiplying the loss?")


@given(seed=seeds(), angle=st.floats(0.0, 3.14159), offset=st.floats(-3.0, 3.0), num=st.integers(2, 50))
@example(seed=3, angle=0.0, offset=1.0, num=5)  # w₁ = 0: a vertical boundary
@example(seed=4, angle=1.5707963, offset=-1.0, num=5)  # w₀ ≈ 0: a horizontal boundary
def test_decision_boundary_points_solve_the_line_equation(kata, seed, angle, offset, num):
    rng = np.random.default_rng(seed)
    scale = float(rng.uniform(0.5, 5.0))
    coef = np.array([[np.cos(angle), np.sin(angle)]]) * scale
    if angle == 0.0:
        coef[0, 1] = 0.0  # exactly vertical
    intercept = np.array([offset * scale])
    xlim, ylim = (-4.0, 3.0), (-2.0, 5.0)
    call = describe_call("decision_boundary", coef, intercept, xlim, ylim, num=num)
    with np.errstate(all="ignore"):
        pts = np.asarray(call_unmodified(kata.decision_boundary, coef, intercept, xlim, ylim, num=num))
    assert_shape(pts, (num, 2), name="boundary points", call=call)
    w0, w1 = coef[0]
    # The points solve w·p + b = 0 to float64 rounding of numbers of size ~10.
    assert_close(pts @ coef[0] + intercept[0], np.zeros(num), rtol=0, atol=1e-9 * scale,
                 name="w·p + b at the returned points (should be 0)", call=call)
    if abs(w1) >= abs(w0):
        assert_close(pts[:, 0], np.linspace(*xlim, num), rtol=0, atol=1e-12,
                     name="x column (|w₁| >= |w₀|: x runs over linspace(*xlim, num))", call=call)
    else:
        assert_close(pts[:, 1], np.linspace(*ylim, num), rtol=0, atol=1e-12,
                     name="y column (steep boundary: y runs over linspace(*ylim, num))", call=call)
    with pytest.raises(ValueError):
        kata.decision_boundary(np.zeros((1, 2)), intercept, xlim, ylim, num=num)


# A fixed sklearn model (fitted once, at import): the grid is tested independently of your fit.
GRID_MODEL = sklearn_fit(*blobs(7, 40, 2), C=1.0)


@given(nx=st.integers(2, 30), ny=st.integers(2, 30), x0=st.floats(-10.0, 0.0), y0=st.floats(-10.0, 0.0),
       width=st.floats(1.0, 20.0), height=st.floats(1.0, 20.0))
@example(nx=7, ny=3, x0=-5.0, y0=-2.0, width=10.0, height=4.0)  # nx != ny: a transposed grid has the wrong shape
def test_probability_grid_matches_predict_proba(kata, nx, ny, x0, y0, width, height):
    xlim, ylim = (x0, x0 + width), (y0, y0 + height)
    call = describe_call("probability_grid", GRID_MODEL, xlim, ylim, nx=nx, ny=ny)
    xx, yy, P = call_unmodified(kata.probability_grid, GRID_MODEL, xlim, ylim, nx=nx, ny=ny)
    for name, arr in (("xx", xx), ("yy", yy), ("P", P)):
        assert_shape(arr, (ny, nx), name=f"{name} (rows follow y, columns follow x)", call=call)
    assert_close(xx[0], np.linspace(*xlim, nx), rtol=0, atol=1e-12, name="xx[0, :]", call=call)
    assert_close(yy[:, 0], np.linspace(*ylim, ny), rtol=0, atol=1e-12, name="yy[:, 0]", call=call)
    want = GRID_MODEL.predict_proba(np.column_stack([np.asarray(xx).ravel(), np.asarray(yy).ravel()]))[:, 1]
    assert_close(P, want.reshape(ny, nx), rtol=0, atol=1e-12, name="P (= P(y=1) at each grid point)", call=call)


@settings(max_examples=4)  # drawing a contour plot costs ~0.1 s; a few examples check the structure
@given(seed=seeds(), C=CS)
def test_plot_decision_boundary_structure(kata, seed, C):
    X, y = blobs(seed, 30, 2)
    model = call_unmodified(kata.L2LogisticRegression(C=C).fit, X, y)
    xlim, ylim = (float(X[:, 0].min()) - 1, float(X[:, 0].max()) + 1), (float(X[:, 1].min()) - 1, float(X[:, 1].max()) + 1)
    call = describe_call("plot_decision_boundary", model, X, y, xlim, ylim)
    fig = kata.plot_decision_boundary(model, X, y, xlim, ylim)
    assert isinstance(fig, Figure), f"{call} returned {type(fig).__name__}, expected a matplotlib Figure"
    ax = fig.get_axes()[0]
    lines = ax.get_lines()
    assert len(lines) == 1, f"{call}: the first axes has {len(lines)} lines, expected 1 (the boundary)"
    want = np.asarray(kata.decision_boundary(model.coef_, model.intercept_, xlim, ylim))
    assert_close(np.column_stack([lines[0].get_xdata(), lines[0].get_ydata()]), want, rtol=0, atol=1e-12,
                 name="boundary line data (= decision_boundary(coef_, intercept_, xlim, ylim))", call=call)
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 1 and len(scatters[0].get_offsets()) == len(X), (
        f"{call}: expected one scatter of the {len(X)} points, found {[len(c.get_offsets()) for c in scatters]}")
    assert_close(scatters[0].get_offsets(), X, rtol=0, atol=0, name="scatter offsets (the data)", call=call)
    assert any(isinstance(c, ContourSet) for c in ax.collections), f"{call}: no contourf of the probability grid"
    assert_close(ax.get_xlim(), xlim, rtol=0, atol=1e-12, name="x view limits", call=call)
    assert_close(ax.get_ylim(), ylim, rtol=0, atol=1e-12, name="y view limits", call=call)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("feature 0", "feature 1"), (
        f"{call}: axis labels {ax.get_xlabel()!r}, {ax.get_ylabel()!r}; expected 'feature 0', 'feature 1'")


@given(scale=st.sampled_from([0.5, 1.0, 4.0]), shift=st.integers(-3, 3))
@example(scale=1.0, shift=0)
def test_predict_gives_ints_and_a_zero_logit_is_class_0(kata, scale, shift):
    """predict is 1 where the logit is > 0: a point exactly on the boundary (logit 0) is class 0; labels are ints."""
    model = kata.L2LogisticRegression()
    model.coef_, model.intercept_ = np.array([[scale, -scale]]), np.array([0.0])  # the fitted attributes
    X = np.array([[shift, shift], [shift + 1.0, shift], [shift, shift + 1.0]], dtype=np.float64)  # logits 0, +, -
    call = describe_call("L2LogisticRegression.predict (coef_=[[s, -s]], intercept_=[0])", X)
    got = np.asarray(model.predict(X))
    assert got.dtype.kind in "iu", f"{call} returned dtype {got.dtype}; predict returns int labels 0 and 1"
    assert_equal(got, [0, 1, 0], name="predict (logit 0 -> 0, > 0 -> 1)", call=call)


@given(w=st.sampled_from([0.5, 1.0, 3.0]), sign=st.sampled_from([1.0, -1.0]), b=st.integers(-2, 2), num=st.integers(2, 9))
@example(w=1.0, sign=-1.0, b=0, num=3)
def test_decision_boundary_at_45_degrees_is_parametrised_by_x(kata, w, sign, b, num):
    """|w1| == |w0|: the docstring's rule (|w1| >= |w0|) parametrises the line by x over np.linspace(*xlim, num)."""
    coef, intercept = np.array([[w, sign * w]]), np.array([float(b)])
    xlim, ylim = (-4.0, 3.0), (-2.0, 5.0)
    call = describe_call("decision_boundary", coef, intercept, xlim, ylim, num=num)
    pts = np.asarray(kata.decision_boundary(coef, intercept, xlim, ylim, num=num))
    assert_close(pts[:, 0], np.linspace(*xlim, num), rtol=0, atol=1e-12,
                 name="x coordinates (|w1| == |w0|: x runs over np.linspace(*xlim, num))", call=call)

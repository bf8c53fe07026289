"""Tests for ml-07-1, ridge regression.

References: sklearn.linear_model.Ridge (solver="cholesky", with and without intercept) for both of
your solvers, on generated data and on the bundled diabetes data; torch autograd of the ridge
objective for the gradient; and the optimality condition (zero gradient) at your closed-form fit.
"""
import numpy as np
import pytest
import torch
from hypothesis import assume, example, given
from hypothesis import strategies as st
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge as SkRidge

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

ALPHAS = st.sampled_from([1e-3, 0.1, 1.0, 10.0, 100.0])


def make_data(seed: int, n: int, d: int, offset: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + rng.uniform(-offset, offset, size=d)
    y = X @ rng.normal(size=d) * 2 + rng.uniform(-5, 5) + rng.normal(size=n)
    return X, y


def sk_ridge(X: np.ndarray, y: np.ndarray, alpha: float, fit_intercept: bool) -> SkRidge:
    return SkRidge(alpha=alpha, fit_intercept=fit_intercept, solver="cholesky").fit(X, y)


def check_fit(kata, model, X: np.ndarray, y: np.ndarray, alpha: float, fit_intercept: bool, solver: str,
              rtol: float, atol: float) -> None:
    call = describe_call(f"Ridge(alpha={alpha:g}, fit_intercept={fit_intercept}, solver={solver!r}).fit", X, y)
    assert call_unmodified(model.fit, X, y) is model, f"{call} must return self"
    ref = sk_ridge(X, y, alpha, fit_intercept)
    assert_shape(model.coef_, ref.coef_.shape, name="coef_", call=call)
    assert_close(model.coef_, ref.coef_, rtol=rtol, atol=atol, name="coef_", call=call)
    assert_close(float(model.intercept_), float(ref.intercept_), rtol=rtol, atol=atol,
                 name="intercept_" + ("" if fit_intercept else " (must be 0 without an intercept)"), call=call)
    X_new = X[:4] * 0.5 + 1.0
    assert_close(model.predict(X_new), ref.predict(X_new), rtol=rtol, atol=atol * 10, name="predict(X_new)", call=call)


@given(seed=seeds(), n=st.integers(2, 40), d=st.integers(1, 8), alpha=ALPHAS, fit_intercept=st.booleans())
@example(seed=0, n=2, d=8, alpha=1e-3, fit_intercept=True)  # more features than samples: still unique
@example(seed=1, n=40, d=1, alpha=100.0, fit_intercept=False)
@example(seed=6, n=30, d=3, alpha=0.0, fit_intercept=True)  # alpha = 0 is allowed: ordinary least squares
def test_closed_form_matches_sklearn(kata, seed, n, d, alpha, fit_intercept):
    X, y = make_data(seed, n, d)
    # Both solve the same (d x d) SPD system in float64; cond <= ~1e7 here, so ~1e-9 relative.
    check_fit(kata, kata.Ridge(alpha, fit_intercept=fit_intercept), X, y, alpha, fit_intercept, "closed_form",
              rtol=1e-7, atol=1e-8)


DIABETES = load_diabetes()


@given(alpha=st.sampled_from([1e-3, 1e-2, 0.1, 1.0]), fit_intercept=st.booleans(), n=st.integers(20, 442))
@example(alpha=1e-3, fit_intercept=True, n=442)
def test_closed_form_matches_sklearn_on_diabetes(kata, alpha, fit_intercept, n):
    X, y = DIABETES.data[:n], DIABETES.target[:n]
    # Coefficients reach ~1e3 on these unit-norm columns: relative 1e-7.
    check_fit(kata, kata.Ridge(alpha, fit_intercept=fit_intercept), X, y, alpha, fit_intercept, "closed_form",
              rtol=1e-7, atol=1e-6)


def torch_loss(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, alpha: float) -> tuple[float, np.ndarray, float]:
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    r = torch.tensor(y) - torch.tensor(X) @ wt - bt
    loss = (r**2).sum() + alpha * (wt**2).sum()
    loss.backward()
    return float(loss.detach()), wt.grad.numpy(), float(bt.grad)


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(1, 6), alpha=ALPHAS)
@example(seed=2, n=1, d=1, alpha=1.0)
def test_loss_and_gradient_match_autograd(kata, seed, n, d, alpha):
    X, y = make_data(seed, n, d)
    rng = np.random.default_rng(seed + 1)
    w, b = rng.normal(size=d), float(rng.normal())
    call = describe_call("ridge_loss_and_grad", w, b, X, y, alpha)
    loss, gw, gb = call_unmodified(kata.ridge_loss_and_grad, w, b, X, y, alpha)
    want_loss, want_gw, want_gb = torch_loss(w, b, X, y, alpha)
    # float64 sums of n squares of size <= ~1e3.
    assert_close(float(loss), want_loss, rtol=1e-10, atol=1e-10, name="loss (sum of squares + alpha |w|^2)", call=call)
    assert_close(gw, want_gw, rtol=1e-9, atol=1e-9, name="dL/dw", call=call)
    assert_close(float(gb), want_gb, rtol=1e-9, atol=1e-9, name="dL/db", call=call)


@given(seed=seeds(), n=st.integers(2, 40), d=st.integers(1, 6), alpha=ALPHAS, fit_intercept=st.booleans())
@example(seed=3, n=10, d=3, alpha=1e-3, fit_intercept=True)
def test_gradient_vanishes_at_the_closed_form_solution(kata, seed, n, d, alpha, fit_intercept):
    X, y = make_data(seed, n, d)
    model = call_unmodified(kata.Ridge(alpha, fit_intercept=fit_intercept).fit, X, y)
    _, gw, gb = torch_loss(np.asarray(model.coef_, dtype=np.float64), float(model.intercept_), X, y, alpha)
    call = describe_call(f"Ridge(alpha={alpha:g}, fit_intercept={fit_intercept}).fit", X, y)
    # Gradient entries are sums of n terms of size |x| |r| ~ 1e2: zero to ~1e-9.
    scale = float(np.abs(X).max() * np.abs(y).max() * n)
    assert_close(gw, np.zeros(d), rtol=0, atol=1e-11 * scale, name="dL/dw at (coef_, intercept_)", call=call)
    if fit_intercept:
        assert_close(gb, 0.0, rtol=0, atol=1e-11 * scale, name="dL/db at (coef_, intercept_)", call=call)


def hessian_condition(X: np.ndarray, alpha: float, fit_intercept: bool) -> float:
    Xt = np.hstack([X, np.ones((len(X), 1))]) if fit_intercept else X
    H = Xt.T @ Xt + alpha * np.diag([1.0] * X.shape[1] + ([0.0] if fit_intercept else []))
    ev = np.linalg.eigvalsh(H)
    return float(ev[-1] / ev[0])


@given(seed=seeds(), n=st.integers(8, 40), d=st.integers(1, 4), alpha=st.sampled_from([0.1, 1.0, 10.0]),
       fit_intercept=st.booleans())
@example(seed=4, n=20, d=3, alpha=1.0, fit_intercept=True)
@example(seed=5, n=8, d=1, alpha=10.0, fit_intercept=False)
def test_gradient_descent_matches_sklearn(kata, seed, n, d, alpha, fit_intercept):
    X, y = make_data(seed, n, d, offset=0.5)
    # Gradient descent needs ~cond * log(1/tol) steps: keep the problem well conditioned.
    assume(hessian_condition(X, alpha, fit_intercept) < 60)
    model = kata.Ridge(alpha, fit_intercept=fit_intercept, solver="gd", max_iter=20000, tol=1e-9)
    # |grad| <= 1e-9 leaves the parameters within ~1e-9 / lambda_min(H) of the optimum.
    check_fit(kata, model, X, y, alpha, fit_intercept, "gd", rtol=1e-6, atol=1e-7)


@given(alpha=st.sampled_from([-1.0, -1e-3]), solver=st.sampled_from(["closed_form", "gd"]))
def test_rejects_bad_arguments(kata, alpha, solver):
    X, y = make_data(0, 10, 2)
    with pytest.raises(ValueError):
        kata.Ridge(alpha, solver=solver).fit(X, y)
    with pytest.raises(ValueError):
        kata.Ridge(1.0, solver="sgd").fit(X, y)

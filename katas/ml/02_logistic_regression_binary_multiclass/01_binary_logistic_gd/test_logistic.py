"""Tests for ml-02-1, binary logistic regression by gradient descent.

References: scipy.special.expit and sklearn.metrics.log_loss for the building blocks (plus a
float64 closed form of the log-loss where |logits| are too large for probabilities); the closed form
of the first gradient step; sklearn's LogisticRegression(C=np.inf), the unpenalized maximum-likelihood
fit (`penalty=None` before scikit-learn 1.8), solved to machine precision with newton-cholesky.
Your gradient descent stops at a gradient norm <= tol, so the coefficients are compared within
tol/μ, μ the smallest Hessian eigenvalue at the optimum (the strong-convexity bound).
"""
import warnings

import numpy as np
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from grader.strategies import arrays, seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call


def data(seed: int, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels drawn from a logistic model with moderate weights: overlapping classes, a finite MLE."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + rng.uniform(-1, 1, size=d)
    y = (rng.random(n) < expit(X @ rng.uniform(-1.5, 1.5, size=d) + rng.uniform(-1, 1))).astype(int)
    return X, y


def design(X: np.ndarray, fit_intercept: bool) -> np.ndarray:
    return np.column_stack([X, np.ones(len(X))]) if fit_intercept else X


def smoothness(X: np.ndarray, fit_intercept: bool) -> float:
    """L = λ_max(X̃ᵀX̃/n)/4 bounds the Hessian of the mean log-loss (σ' <= 1/4)."""
    Xt = design(X, fit_intercept)
    return float(np.linalg.eigvalsh(Xt.T @ Xt / len(X))[-1] / 4)


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + e^z) without overflow, written differently from np.logaddexp."""
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def sklearn_mle(X: np.ndarray, y: np.ndarray, fit_intercept: bool) -> LogisticRegression:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12, max_iter=200,
                                  fit_intercept=fit_intercept).fit(X, y)


@given(z=arrays(st.lists(st.integers(1, 6), min_size=0, max_size=3).map(tuple), min_value=-1000.0, max_value=1000.0))
@example(z=np.array([[-800.0, 0.0], [3.0, 800.0]]))  # "any shape": a matrix
@example(z=np.array(-1000.0))  # a 0-d array
@example(z=np.array([-1000.0, -745.0, -40.0, 0.0, 40.0, 745.0, 1000.0]))
def test_sigmoid_matches_expit_without_overflow(kata, z):
    call = describe_call("sigmoid", z)
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        try:
            got = call_unmodified(kata.sigmoid, z)
        except FloatingPointError as e:
            raise AssertionError(f"{call} overflowed ({e}): exp(-z) for z = -1000 is inf. Evaluate exp only "
                                 "of -|z|, and pick the formula by the sign of z") from None
    assert_shape(got, z.shape, call=call)
    # float64 closed form: 1e-12 relative; atol covers subnormal results near z = -745.
    assert_close(got, expit(z), rtol=1e-12, atol=1e-300, name="σ(z)", call=call)


@given(seed=seeds(), n=st.integers(1, 20), scale=st.sampled_from([1.0, 10.0, 30.0, 1000.0]))
@example(seed=0, n=2, scale=1000.0)
def test_log_loss_from_logits(kata, seed, n, scale):
    rng = np.random.default_rng(seed)
    z, y = rng.normal(size=n) * scale, rng.integers(0, 2, size=n)
    call = describe_call("log_loss_from_logits", z, y)
    with np.errstate(over="ignore"):
        got = call_unmodified(kata.log_loss_from_logits, z, y)
    # Exact even at |z| = 1000, where σ(z) is 0 or 1 in float64 and log σ(z) would be -inf.
    assert_close(got, np.mean(softplus(z) - y * z), rtol=1e-12, atol=1e-15, name="mean log-loss", call=call)
    if scale <= 1.0:  # |z| < ~5: 1 - σ(z) keeps its digits, so sklearn's log_loss of probabilities agrees
        assert_close(got, log_loss(y, expit(z), labels=[0, 1]), rtol=1e-9, atol=1e-12,
                     name="mean log-loss (vs sklearn.metrics.log_loss)", call=call)


@given(seed=seeds(), n=st.integers(2, 40), d=st.integers(1, 4), lr=st.floats(0.01, 2.0), fit_intercept=st.booleans())
@example(seed=1, n=2, d=1, lr=1.0, fit_intercept=True)
def test_first_step_from_zero(kata, seed, n, d, lr, fit_intercept):
    """From θ = 0 every σ is 1/2: the first step is θ₁ = lr · X̃ᵀ(y − 1/2) / n and J(θ₀) = log 2."""
    X, y = data(seed, n, d)
    call = describe_call(f"LogisticRegressionGD(lr={lr:g}, max_iter=1, tol=0, fit_intercept={fit_intercept}).fit",
                         X, y)
    model = kata.LogisticRegressionGD(lr=lr, max_iter=1, tol=0.0, fit_intercept=fit_intercept)
    assert call_unmodified(model.fit, X, y) is model, f"{call} must return self"
    theta = lr * design(X, fit_intercept).T @ (y - 0.5) / n
    assert_shape(model.coef_, (1, d), name="coef_ (sklearn's shape: one row)", call=call)
    assert_shape(model.intercept_, (1,), name="intercept_", call=call)
    assert_close(model.coef_[0], theta[:d], rtol=1e-12, atol=1e-14, name="coef_ after one step", call=call)
    assert_close(model.intercept_[0], theta[d] if fit_intercept else 0.0, rtol=1e-12, atol=1e-14,
                 name="intercept_ after one step", call=call)
    assert model.n_iter_ == 1, f"{call}: n_iter_ = {model.n_iter_}, expected 1"
    z1 = design(X, fit_intercept) @ np.append(theta, 0.0)[: design(X, fit_intercept).shape[1]]
    assert_close(model.loss_history_, [np.log(2), np.mean(softplus(z1) - y * z1)], rtol=1e-12, atol=1e-14,
                 name="loss_history_ ([J(θ₀) = log 2, J(θ₁)])", call=call)


@given(seed=seeds(), n=st.integers(40, 120), d=st.integers(1, 4), fit_intercept=st.booleans())
@example(seed=2, n=40, d=4, fit_intercept=True)
def test_matches_sklearn_unpenalized_logistic_regression(kata, seed, n, d, fit_intercept):
    X, y = data(seed, n, d)
    assume(0 < y.sum() < n)
    ref = sklearn_mle(X, y, fit_intercept)
    Xt = design(X, fit_intercept)
    theta = np.append(ref.coef_[0], ref.intercept_)[: Xt.shape[1]]
    p = expit(Xt @ theta)
    mu = np.linalg.eigvalsh((Xt * (p * (1 - p))[:, None]).T @ Xt / n)[0]
    assume(mu > 0.01)  # well-determined optimum (overlapping classes): GD gets there in ~1000 steps
    lr, tol = 1 / smoothness(X, fit_intercept), 1e-7
    call = describe_call(f"LogisticRegressionGD(lr={lr:.4g}, max_iter=20000, tol={tol}, "
                         f"fit_intercept={fit_intercept}).fit", X, y)
    model = call_unmodified(kata.LogisticRegressionGD(lr=lr, max_iter=20_000, tol=tol, fit_intercept=fit_intercept).fit, X, y)
    assert model.n_iter_ < 20_000, f"{call} ran out of iterations: is the gradient averaged and its sign right?"
    # ‖θ − θ*‖ <= ‖∇J‖/μ <= tol/μ near the optimum; 3× covers the Hessian changing over that ball.
    err = 3 * tol / mu + 1e-10
    assert_close(model.coef_, ref.coef_, rtol=0, atol=err, name="coef_ (vs LogisticRegression(C=inf))", call=call)
    assert_close(model.intercept_, ref.intercept_ if fit_intercept else [0.0], rtol=0, atol=err,
                 name="intercept_", call=call)
    X_new = data(seed + 1, 15, d)[0]
    proba = model.predict_proba(X_new)
    assert_shape(proba, (15, 2), name="predict_proba", call=call)
    # σ is 1/4-Lipschitz: probabilities move by at most ‖x̃‖·err/4.
    p_err = err * float(np.max(np.linalg.norm(design(X_new, True), axis=1))) / 4
    assert_close(proba, ref.predict_proba(X_new), rtol=0, atol=p_err,
                 name="predict_proba (columns [P(y=0), P(y=1)])", call=call)
    margin = np.abs(ref.decision_function(X_new)) > 1e-4  # points on the boundary may go either way
    assert_equal(model.predict(X_new)[margin], ref.predict(X_new)[margin], name="predict", call=call)
    assert_close(model.decision_function(X_new), ref.decision_function(X_new), rtol=0,
                 atol=err * float(np.max(np.linalg.norm(design(X_new, True), axis=1))), name="decision_function",
                 call=call)


@given(seed=seeds(), n=st.integers(5, 60), d=st.integers(1, 4), frac=st.floats(0.05, 0.99))
@example(seed=3, n=20, d=2, frac=0.99)
def test_loss_never_rises_for_lr_below_2_over_L(kata, seed, n, d, frac):
    """J is convex and L-smooth with L = λ_max(X̃ᵀX̃/n)/4, so any lr < 2/L decreases it at every step."""
    X, y = data(seed, n, d)
    lr = frac * 2 / smoothness(X, True)
    call = describe_call(f"LogisticRegressionGD(lr={lr:.4g}, max_iter=60, tol=0).fit", X, y)
    model = call_unmodified(kata.LogisticRegressionGD(lr=lr, max_iter=60, tol=0.0).fit, X, y)
    hist = np.asarray(model.loss_history_)
    assert len(hist) == model.n_iter_ + 1 == 61, (
        f"{call}: loss_history_ has {len(hist)} entries, n_iter_ = {model.n_iter_}; expected 61 and 60")
    rises = np.flatnonzero(np.diff(hist) > 1e-12)  # rounding of equal values only
    assert rises.size == 0, f"{call}: the loss rose at step {rises[0]}: {hist[rises[0]]:.8g} -> {hist[rises[0] + 1]:.8g}"
    assert hist[-1] < hist[0], f"{call}: the loss did not decrease: {hist[0]:.6g} -> {hist[-1]:.6g}"


@given(scale=st.sampled_from([0.5, 1.0, 4.0]), shift=st.integers(-3, 3))
@example(scale=1.0, shift=0)
def test_predict_gives_ints_and_a_zero_logit_is_class_0(kata, scale, shift):
    """predict is 1 where the logit is > 0: a point exactly on the boundary (logit 0) is class 0; labels are ints."""
    model = kata.LogisticRegressionGD()
    model.coef_, model.intercept_ = np.array([[scale, -scale]]), np.array([0.0])  # the fitted attributes
    X = np.array([[shift, shift], [shift + 1.0, shift], [shift, shift + 1.0]], dtype=np.float64)  # logits 0, +, -
    call = describe_call("LogisticRegressionGD.predict (coef_=[[s, -s]], intercept_=[0])", X)
    got = np.asarray(model.predict(X))
    assert got.dtype.kind in "iu", f"{call} returned dtype {got.dtype}; predict returns int labels 0 and 1"
    assert_equal(got, [0, 1, 0], name="predict (logit 0 -> 0, > 0 -> 1)", call=call)

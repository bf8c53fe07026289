"""Tests for ml-02-2, softmax (multinomial) regression.

References: scipy.special.softmax and logsumexp, sklearn.metrics.log_loss; the closed form of the
first gradient step; sklearn's multinomial LogisticRegression(C=np.inf) solved to machine precision
(newton-cholesky), compared within tol/μ with μ the smallest Hessian eigenvalue on the subspace the
fit lives in; and the K = 2 case against binary logistic regression.

The multinomial model is over-parametrised: adding the same vector to every class's weights changes
no probability. From a zero start, gradient descent keeps Σ_k w_k = 0, and so does sklearn; the tests
still compare coefficients after centring them over the classes, which is what is identifiable.
"""
import warnings

import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp
from scipy.special import softmax as scipy_softmax
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

LABEL_SETS = st.sampled_from([None, (3, 5, 9, 11), (-1, 7, 2, 4)])  # None: 0..K-1


def data(seed: int, n: int, d: int, K: int, labels: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Labels drawn from a softmax model with moderate weights: overlapping classes, a finite MLE."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.7, 1.5, size=d) + rng.uniform(-0.5, 0.5, size=d)
    P = scipy_softmax(X @ rng.uniform(-1.5, 1.5, size=(d, K)) + rng.uniform(-0.5, 0.5, size=K), axis=1)
    idx = (rng.random(n)[:, None] > np.cumsum(P, axis=1)).sum(axis=1).clip(0, K - 1)
    idx[:K] = np.arange(K)  # every class present
    return X, (np.asarray(labels)[:K][idx] if labels else idx)


def design(X: np.ndarray) -> np.ndarray:
    return np.column_stack([X, np.ones(len(X))])


def centred(W: np.ndarray) -> np.ndarray:
    return W - W.mean(axis=0, keepdims=True)


def sklearn_mle(X: np.ndarray, y: np.ndarray) -> LogisticRegression:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12, max_iter=200).fit(X, y)


def restricted_min_eigenvalue(X: np.ndarray, P: np.ndarray) -> float:
    """Smallest Hessian eigenvalue of the mean cross-entropy on the sum-zero subspace (the fit's subspace)."""
    Xt, (n, K) = design(X), P.shape
    S = np.einsum("ik,kl->ikl", P, np.eye(K)) - np.einsum("ik,il->ikl", P, P)
    H = np.einsum("ikl,ia,ib->kalb", S, Xt, Xt).reshape(K * Xt.shape[1], K * Xt.shape[1]) / n
    C = np.eye(K) - 1 / K  # projector onto Σ_k θ_k = 0, per feature
    Q = np.linalg.qr(np.kron(C, np.eye(Xt.shape[1])))[0][:, : (K - 1) * Xt.shape[1]]
    return float(np.linalg.eigvalsh(Q.T @ H @ Q)[0])


@given(seed=seeds(), n=st.integers(1, 10), K=st.integers(2, 6), scale=st.sampled_from([1.0, 30.0, 1000.0]))
@example(seed=0, n=2, K=3, scale=1000.0)
def test_softmax_matches_scipy_without_overflow(kata, seed, n, K, scale):
    Z = np.random.default_rng(seed).normal(size=(n, K)) * scale
    call = describe_call("softmax", Z)
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        try:
            got = call_unmodified(kata.softmax, Z)
        except FloatingPointError as e:
            raise AssertionError(f"{call} overflowed ({e}): subtract each row's maximum before exp") from None
    assert_shape(got, (n, K), call=call)
    # float64 closed form; atol for entries that underflow to ~0.
    assert_close(got, scipy_softmax(Z, axis=1), rtol=1e-12, atol=1e-300, name="softmax over classes (axis 1)",
                 call=call)


@given(seed=seeds(), n=st.integers(1, 10), K=st.integers(2, 6), scale=st.sampled_from([1.0, 30.0, 1000.0]))
@example(seed=1, n=3, K=3, scale=1000.0)
def test_cross_entropy_from_logits(kata, seed, n, K, scale):
    rng = np.random.default_rng(seed)
    Z, y = rng.normal(size=(n, K)) * scale, rng.integers(0, K, size=n)
    call = describe_call("cross_entropy_from_logits", Z, y)
    with np.errstate(over="ignore", under="ignore"):
        got = call_unmodified(kata.cross_entropy_from_logits, Z, y)
    want = np.mean(logsumexp(Z, axis=1) - Z[np.arange(n), y])
    assert_close(got, want, rtol=1e-12, atol=1e-14, name="mean cross-entropy (vs scipy logsumexp)", call=call)
    if scale == 1.0:  # probabilities keep their digits: sklearn's log_loss agrees
        assert_close(got, log_loss(y, scipy_softmax(Z, axis=1), labels=np.arange(K)), rtol=1e-9, atol=1e-12,
                     name="mean cross-entropy (vs sklearn.metrics.log_loss)", call=call)


@given(seed=seeds(), n=st.integers(4, 40), d=st.integers(1, 3), K=st.integers(2, 4), lr=st.floats(0.01, 2.0),
       labels=LABEL_SETS)
@example(seed=2, n=4, d=1, K=3, lr=1.0, labels=(3, 5, 9, 11))
def test_first_step_from_zero(kata, seed, n, d, K, lr, labels):
    """From zero every class has probability 1/K: J(θ₀) = log K and W₁ = lr (Y − 1/K)ᵀ X / n."""
    X, y = data(seed, n, d, K, labels)
    call = describe_call(f"SoftmaxRegressionGD(lr={lr:g}, max_iter=1, tol=0).fit", X, y)
    model = kata.SoftmaxRegressionGD(lr=lr, max_iter=1, tol=0.0)
    assert call_unmodified(model.fit, X, y) is model, f"{call} must return self"
    classes = np.unique(y)
    assert_equal(model.classes_, classes, name="classes_ (np.unique(y))", call=call)
    Y = (y[:, None] == classes[None, :]).astype(float)
    theta = lr * (Y - 1 / K).T @ design(X) / n
    assert_shape(model.coef_, (K, d), name="coef_", call=call)
    assert_close(model.coef_, theta[:, :d], rtol=1e-12, atol=1e-14, name="coef_ after one step", call=call)
    assert_close(model.intercept_, theta[:, d], rtol=1e-12, atol=1e-14, name="intercept_ after one step", call=call)
    Z1 = design(X) @ theta.T
    assert_close(model.loss_history_, [np.log(K), np.mean(logsumexp(Z1, axis=1) - (Z1 * Y).sum(axis=1))],
                 rtol=1e-12, atol=1e-14, name="loss_history_ ([log K, J(θ₁)])", call=call)


@settings(max_examples=15)  # every example is a full gradient-descent fit (hundreds of steps)
@given(seed=seeds(), n=st.integers(40, 100), d=st.integers(1, 3), K=st.integers(3, 4), labels=LABEL_SETS)
@example(seed=3, n=40, d=3, K=4, labels=(-1, 7, 2, 4))
def test_matches_sklearn_multinomial_logistic_regression(kata, seed, n, d, K, labels):
    X, y = data(seed, n, d, K, labels)
    ref = sklearn_mle(X, y)
    mu = restricted_min_eigenvalue(X, ref.predict_proba(X))
    assume(mu > 0.01)  # a well-determined optimum (overlapping classes): GD gets there in ~1000 steps
    Xt = design(X)
    lr, tol = 2 / np.linalg.eigvalsh(Xt.T @ Xt / n)[-1], 1e-6  # 1/L with L = λ_max(X̃ᵀX̃/n)/2
    call = describe_call(f"SoftmaxRegressionGD(lr={lr:.4g}, max_iter=20000, tol={tol}).fit", X, y)
    model = call_unmodified(kata.SoftmaxRegressionGD(lr=lr, max_iter=20_000, tol=tol).fit, X, y)
    assert model.n_iter_ < 20_000, f"{call} ran out of iterations: is the gradient averaged and its sign right?"
    # It stopped on tol, so the gradient at the returned (W, b), all K*(d+1) entries together, is <= tol.
    Y = (y[:, None] == np.unique(y)[None, :]).astype(float)
    R = scipy_softmax(X @ np.asarray(model.coef_).T + model.intercept_, axis=1) - Y
    norm = float(np.sqrt(np.sum((R.T @ X / n) ** 2) + np.sum(R.mean(axis=0) ** 2)))
    assert norm <= tol * (1 + 1e-6), (f"{call} stopped after {model.n_iter_} steps with a gradient norm of "
                                      f"{norm:.3g} > tol: the norm is over W and b together, summed, not averaged")
    # ‖θ − θ*‖ <= ‖∇J‖/μ near the optimum; 3× covers the Hessian changing over that small ball.
    err = 3 * tol / mu + 1e-10
    assert_close(centred(model.coef_), centred(ref.coef_), rtol=0, atol=err,
                 name="coef_ centred over classes (vs LogisticRegression(C=inf))", call=call)
    assert_close(model.intercept_ - model.intercept_.mean(), centred(ref.intercept_[:, None])[:, 0], rtol=0,
                 atol=err, name="intercept_ centred over classes", call=call)
    X_new = data(seed + 1, 12, d, K)[0]
    reach = float(np.max(np.linalg.norm(design(X_new), axis=1)))
    proba = model.predict_proba(X_new)
    assert_shape(proba, (12, K), name="predict_proba", call=call)
    # Each logit moves by at most ‖x̃‖·err; softmax is 1-Lipschitz in the max norm of logit differences.
    assert_close(proba, ref.predict_proba(X_new), rtol=0, atol=2 * reach * err, name="predict_proba", call=call)
    top2 = np.sort(ref.decision_function(X_new), axis=1)[:, -2:]
    clear = top2[:, 1] - top2[:, 0] > 1e-4  # skip points on a decision boundary
    assert_equal(model.predict(X_new)[clear], ref.predict(X_new)[clear], name="predict (class labels)", call=call)


@settings(max_examples=15)  # every example is a full gradient-descent fit
@given(seed=seeds(), n=st.integers(40, 100), d=st.integers(1, 3))
@example(seed=4, n=40, d=2)
def test_two_classes_reduce_to_binary_logistic_regression(kata, seed, n, d):
    """With K = 2, softmax(z₀, z₁)₁ = σ(z₁ − z₀): the same model as binary logistic regression."""
    X, y = data(seed, n, d, 2)
    ref = sklearn_mle(X, y)
    Xt = design(X)
    p = ref.predict_proba(X)[:, 1]
    mu = np.linalg.eigvalsh((Xt * (p * (1 - p))[:, None]).T @ Xt / n)[0]
    assume(mu > 0.01)
    lr, tol = 2 / np.linalg.eigvalsh(Xt.T @ Xt / n)[-1], 1e-6
    call = describe_call(f"SoftmaxRegressionGD(lr={lr:.4g}, max_iter=20000, tol={tol}).fit", X, y)
    model = call_unmodified(kata.SoftmaxRegressionGD(lr=lr, max_iter=20_000, tol=tol).fit, X, y)
    # On the sum-zero subspace v = w₁ − w₀ moves √2× as far as θ while the curvature is 2μ (μ: binary
    # Hessian), so ‖Δv‖ <= tol/(√2 μ); 3 tol/μ leaves room for the Hessian changing near the optimum.
    err = 3 * tol / mu + 1e-10
    assert_shape(model.coef_, (2, d), name="coef_ (two rows for two classes)", call=call)
    assert_close(model.coef_[1] - model.coef_[0], ref.coef_[0], rtol=0, atol=err,
                 name="coef_[1] - coef_[0] (vs the binary coef_)", call=call)
    assert_close(model.intercept_[1] - model.intercept_[0], ref.intercept_[0], rtol=0, atol=err,
                 name="intercept_[1] - intercept_[0] (vs the binary intercept_)", call=call)

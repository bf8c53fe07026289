"""Tests for ml-05-1, Gaussian naive Bayes.

Reference: sklearn.naive_bayes.GaussianNB fitted on the same data with the same priors and
var_smoothing: fitted attributes, log-probabilities, probabilities, predictions and scores. Features
have very different scales, so smoothing by the largest variance differs from smoothing each
feature by its own; some queries lie far from every class, where densities underflow.
"""
import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.naive_bayes import GaussianNB as SkGaussianNB

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

LABEL_SETS = st.sampled_from([(0, 1), (0, 1, 2), (3, 7, 10), ("ham", "spam"), ("a", "b", "c", "d")])
VAR_SMOOTHINGS = st.sampled_from([1e-9, 1e-3, 0.1, 1.0])
# Means and variances of <= 40 float64 values: sklearn accumulates them the same way to ~1e-15.
RTOL, ATOL = 1e-9, 1e-12


def make_data(seed, n, d, labels, far):
    rng = np.random.default_rng(seed)
    scales = 10.0 ** rng.uniform(-1, 1, size=d)  # features on very different scales
    y = np.array(labels)[rng.integers(len(labels), size=n)]
    y[: len(labels)] = labels  # every class present
    centres = {lab: rng.normal(scale=2.0, size=d) for lab in labels}
    X = (np.stack([centres[lab] for lab in y]) + rng.normal(size=(n, d))) * scales
    Q = (rng.normal(scale=2.0, size=(6, d)) + (200.0 if far else 0.0)) * scales
    return X, y, Q


def fitted_pair(kata, X, y, priors, var_smoothing):
    model = call_unmodified(lambda X: kata.GaussianNB(priors=priors, var_smoothing=var_smoothing).fit(X, y), X, fn_name="fit")  # labels may be strings: X is watched
    ref = SkGaussianNB(priors=priors, var_smoothing=var_smoothing).fit(X, y)
    return model, ref


@given(seed=seeds(), n=st.integers(4, 40), d=st.integers(1, 4), labels=LABEL_SETS, var_smoothing=VAR_SMOOTHINGS,
       use_priors=st.booleans())
@example(seed=0, n=4, d=1, labels=("a", "b", "c", "d"), var_smoothing=1e-9, use_priors=False)  # one sample per class
@example(seed=1, n=30, d=3, labels=(3, 7, 10), var_smoothing=1.0, use_priors=False)
def test_fitted_attributes_match_sklearn(kata, seed, n, d, labels, var_smoothing, use_priors):
    X, y, _ = make_data(seed, n, d, labels, far=False)
    priors = np.random.default_rng(seed).dirichlet(np.ones(len(labels))) if use_priors else None
    call = describe_call(f"GaussianNB(priors={'p' if use_priors else None}, var_smoothing={var_smoothing}).fit", X, y)
    model, ref = fitted_pair(kata, X, y, priors, var_smoothing)
    assert_equal(np.asarray(model.classes_), ref.classes_, name="classes_", call=call)
    assert_close(model.class_count_, ref.class_count_, rtol=0, atol=0, name="class_count_", call=call)
    assert_close(model.class_prior_, ref.class_prior_, rtol=RTOL, atol=ATOL, name="class_prior_", call=call)
    assert_close(model.epsilon_, ref.epsilon_, rtol=RTOL, atol=ATOL,
                 name="epsilon_ (var_smoothing × the largest feature variance)", call=call)
    assert_close(model.theta_, ref.theta_, rtol=RTOL, atol=ATOL, name="theta_ (class means)", call=call)
    assert_close(model.var_, ref.var_, rtol=RTOL, atol=ATOL, name="var_ (class variances + epsilon_)", call=call)


@given(seed=seeds(), n=st.integers(4, 40), d=st.integers(1, 4), labels=LABEL_SETS, var_smoothing=VAR_SMOOTHINGS,
       use_priors=st.booleans(), far=st.booleans())
@example(seed=2, n=20, d=2, labels=("ham", "spam"), var_smoothing=1e-9, use_priors=False, far=True)
@example(seed=3, n=40, d=4, labels=(0, 1, 2), var_smoothing=0.1, use_priors=True, far=False)
def test_probabilities_and_predictions_match_sklearn(kata, seed, n, d, labels, var_smoothing, use_priors, far):
    X, y, Q = make_data(seed, n, d, labels, far)
    priors = np.random.default_rng(seed).dirichlet(np.ones(len(labels))) if use_priors else None
    model, ref = fitted_pair(kata, X, y, priors, var_smoothing)
    call = describe_call(f"GaussianNB(var_smoothing={var_smoothing}).fit(X, y).predict_log_proba", Q)
    want_log = ref.predict_log_proba(Q)
    # Log-probabilities can reach -1e6 for far queries: relative tolerance, plus an absolute one
    # for the near-zero log-probabilities of the winning class.
    assert_close(model.predict_log_proba(Q), want_log, rtol=1e-8, atol=1e-9, name="log-probabilities", call=call)
    assert_close(model.predict_proba(Q), np.exp(want_log), rtol=1e-8, atol=1e-12, name="probabilities",
                 call=call.replace("predict_log_proba", "predict_proba"))
    assert_equal(np.asarray(model.predict(Q)), ref.predict(Q), name="predicted labels",
                 call=call.replace("predict_log_proba", "predict"))
    got_score = model.score(X, y)
    assert abs(got_score - ref.score(X, y)) < 1e-12, (
        f"{call.replace('predict_log_proba', 'score')} on the training data returned {got_score}, "
        f"sklearn's score is {ref.score(X, y)}")


@given(seed=seeds(), n=st.integers(4, 30), d=st.integers(1, 3), labels=LABEL_SETS)
@example(seed=4, n=10, d=2, labels=(0, 1))
def test_joint_log_likelihood_is_prior_plus_gaussian_log_densities(kata, seed, n, d, labels):
    """The unnormalised score from its definition, with scipy-free closed-form Gaussians."""
    X, y, Q = make_data(seed, n, d, labels, far=False)
    model = kata.GaussianNB(var_smoothing=1e-2).fit(X, y)
    ref = SkGaussianNB(var_smoothing=1e-2).fit(X, y)
    want = np.log(ref.class_prior_) + np.stack([
        (-0.5 * np.log(2 * np.pi * ref.var_[c]) - 0.5 * (Q - ref.theta_[c]) ** 2 / ref.var_[c]).sum(axis=1)
        for c in range(len(ref.classes_))], axis=1)
    call = describe_call("GaussianNB(var_smoothing=0.01).fit(X, y).joint_log_likelihood", Q)
    assert_close(model.joint_log_likelihood(Q), want, rtol=1e-9, atol=1e-9, name="joint log-likelihood", call=call)

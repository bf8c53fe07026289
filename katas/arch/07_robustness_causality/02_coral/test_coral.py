"""Tests for arch-07-2, CORAL feature alignment.

References: numpy.cov for the loss; scipy.linalg.sqrtm / inv for the whitening and re-colouring;
the aligned features' mean and covariance (exactly the target's when eps = 0); a measured effect: a
scikit-learn LogisticRegression trained on the source domain classifies a linearly shifted target
domain better after CORAL maps the target onto the source statistics.
"""
import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def domains(seed: int, n_s: int, n_t: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    source = rng.standard_normal((n_s, d)) @ rng.standard_normal((d, d)) + rng.standard_normal(d)
    target = rng.standard_normal((n_t, d)) @ rng.standard_normal((d, d)) * 3 + rng.standard_normal(d) * 5
    return source, target


@given(n_s=st.integers(2, 30), n_t=st.integers(2, 30), d=st.integers(1, 5), seed=seeds())
def test_loss_is_the_scaled_covariance_gap(kata, n_s, n_t, d, seed):
    s, t = domains(seed, n_s, n_t, d)
    call = describe_call("coral_loss", s, t)
    got = call_unmodified(kata.coral_loss, s, t, fn_name="coral_loss")
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
    gap = np.atleast_2d(np.cov(s, rowvar=False)) - np.atleast_2d(np.cov(t, rowvar=False))
    assert_close(got, np.linalg.norm(gap, "fro") ** 2 / (4 * d * d), rtol=1e-10, atol=1e-12, call=call)


@given(n_s=st.integers(2, 30), n_t=st.integers(2, 30), d=st.integers(1, 4), eps=st.sampled_from([0.0, 0.1, 1.0, 5.0]),
       seed=seeds())
def test_align_matches_sqrtm(kata, n_s, n_t, d, eps, seed):
    if eps == 0.0:
        n_s, n_t = max(n_s, d + 3), max(n_t, d + 3)     # full-rank covariances
    s, t = domains(seed, n_s, n_t, d)
    call = describe_call("coral_align", s, t, eps=eps)
    got = call_unmodified(kata.coral_align, s, t, eps=eps, fn_name="coral_align")
    c_s = np.atleast_2d(np.cov(s, rowvar=False)) + eps * np.eye(d)
    c_t = np.atleast_2d(np.cov(t, rowvar=False)) + eps * np.eye(d)
    a = np.linalg.inv(np.real(scipy.linalg.sqrtm(c_s))) @ np.real(scipy.linalg.sqrtm(c_t))
    want = (s - s.mean(0)) @ a + t.mean(0)
    assert_close(got, want, rtol=1e-6, atol=1e-6, name="aligned source", call=call)


@given(n_s=st.integers(7, 30), n_t=st.integers(2, 30), d=st.integers(1, 4), seed=seeds())
def test_eps_zero_copies_the_target_statistics(kata, n_s, n_t, d, seed):
    s, t = domains(seed, n_s, n_t, d)
    out = kata.coral_align(s, t, eps=0.0)
    call = describe_call("coral_align", s, t, eps=0.0)
    assert_close(out.mean(0), t.mean(0), rtol=1e-8, atol=1e-8, name="mean of the aligned source", call=call)
    assert_close(np.atleast_2d(np.cov(out, rowvar=False)), np.atleast_2d(np.cov(t, rowvar=False)), rtol=1e-6,
                 atol=1e-6, name="covariance of the aligned source", call=call)


def test_default_eps_is_one(kata):
    s, t = domains(3, 12, 9, 3)
    c_s, c_t = np.cov(s, rowvar=False) + np.eye(3), np.cov(t, rowvar=False) + np.eye(3)
    want = (s - s.mean(0)) @ np.linalg.inv(np.real(scipy.linalg.sqrtm(c_s))) @ np.real(scipy.linalg.sqrtm(c_t)) \
        + t.mean(0)
    assert_close(kata.coral_align(s, t), want, rtol=1e-6, atol=1e-6, name="aligned source with eps = 1",
                 call=describe_call("coral_align", s, t))


@given(fn=st.sampled_from(["coral_loss", "coral_align"]), bad=st.sampled_from(["dims", "one_source", "one_target",
                                                                              "rank1"]))
def test_rejects_bad_shapes(kata, fn, bad):
    s, t = np.zeros((5, 3)), np.ones((4, 3))
    if bad == "dims":
        t = np.ones((4, 2))
    elif bad == "one_source":
        s = np.zeros((1, 3))
    elif bad == "one_target":
        t = np.ones((1, 3))
    else:
        s = np.zeros(5)
    with pytest.raises(ValueError):
        getattr(kata, fn)(s, t)
        pytest.fail(f"{fn} with {bad} returned instead of raising ValueError")


def test_align_rejects_negative_eps(kata):
    with pytest.raises(ValueError):
        kata.coral_align(np.random.default_rng(0).standard_normal((5, 2)), np.ones((4, 2)), eps=-0.5)
        pytest.fail("coral_align(eps=-0.5) returned instead of raising ValueError")


@settings(max_examples=5)
@given(seed=seeds())
def test_alignment_recovers_accuracy_under_domain_shift(kata, seed):
    """Source: two Gaussian classes. Target: the same classes with rescaled features (a gain change per
    sensor) and an offset. CORAL matches second-order statistics; a rotation it could not undo."""
    rng = np.random.default_rng(seed)
    n, d = 400, 2
    y_s, y_t = rng.integers(0, 2, n), rng.integers(0, 2, n)
    means = np.array([[-1.5, 0.0], [1.5, 0.0]])
    x_s = means[y_s] + rng.standard_normal((n, d))
    gains = np.diag([rng.uniform(0.3, 0.5), rng.uniform(2.0, 3.0)])
    offset = np.array([rng.choice([-1, 1]) * rng.uniform(2.5, 4.0), rng.uniform(-3, 3)])
    x_t = (means[y_t] + rng.standard_normal((n, d))) @ gains + offset
    clf = LogisticRegression().fit(x_s, y_s)
    raw = clf.score(x_t, y_t)
    aligned = clf.score(kata.coral_align(x_t, x_s, eps=0.0), y_t)
    assert aligned >= 0.85 and aligned > raw + 0.1, (
        f"a source-trained classifier scores {raw:.3f} on the raw target and {aligned:.3f} on the CORAL-aligned "
        f"target: aligning the target's mean and covariance to the source's should recover accuracy")

"""Tests for dl-07-4, the Fréchet distance and the Inception Score.

References: numpy.cov and scipy.linalg.sqrtm for the FID of random covariances; closed forms in one
dimension ((μ1 − μ2)² + (σ1 − σ2)²) and for commuting covariances (Σ(√a − √b)² over eigenvalues);
scipy.stats.entropy for the KL divergences of the Inception Score, and its bounds 1 ≤ IS ≤ K.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import linalg
from scipy.stats import entropy

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call


def spd(rng: np.random.Generator, d: int, rank: int | None = None) -> np.ndarray:
    A = rng.standard_normal((d, rank or d))
    return A @ A.T + (0 if rank else 0.1 * np.eye(d))


@given(seed=seeds(), n=st.integers(2, 30), d=st.integers(1, 5))
@example(seed=0, n=2, d=1)
def test_stats_match_numpy_cov(kata, seed, n, d):
    X = np.random.default_rng(seed).standard_normal((n, d)) * np.arange(1, d + 1) + 3
    call = describe_call("gaussian_stats", X)
    mu, sigma = call_unmodified(kata.gaussian_stats, X, fn_name="gaussian_stats")
    assert_shape(mu, (d,), name="mu", call=call)
    assert_shape(sigma, (d, d), name="sigma", call=call)
    assert_close(mu, X.mean(axis=0), rtol=1e-12, atol=1e-12, name="mu", call=call)
    assert_close(sigma, np.atleast_2d(np.cov(X, rowvar=False)), rtol=1e-10, atol=1e-12,
                 name="sigma (np.cov: n − 1 in the denominator)", call=call)


@given(seed=seeds(), d=st.integers(1, 6), same=st.booleans())
@example(seed=1, d=3, same=True)
def test_fid_matches_sqrtm_formula(kata, seed, d, same):
    rng = np.random.default_rng(seed)
    mu1, mu2 = rng.standard_normal(d), rng.standard_normal(d)
    s1 = spd(rng, d)
    s2 = s1.copy() if same else spd(rng, d)
    if same:
        mu2 = mu1.copy()
    call = describe_call("frechet_distance", mu1, s1, mu2, s2)
    got = kata.frechet_distance(mu1, s1, mu2, s2)
    want = np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2 * np.real(linalg.sqrtm(s1 @ s2)))
    scale = np.trace(s1) + np.trace(s2) + 1
    assert_close(got, want, rtol=1e-7, atol=1e-8 * scale, name="FID (vs scipy.linalg.sqrtm)", call=call)
    if same:
        assert abs(got) < 1e-6 * scale, f"{call}: the distance of a Gaussian to itself is {got}, expected 0"


@given(m1=st.floats(-3, 3), m2=st.floats(-3, 3), v1=st.floats(0.01, 4), v2=st.floats(0.01, 4))
def test_fid_in_one_dimension(kata, m1, m2, v1, v2):
    got = kata.frechet_distance(np.array([m1]), np.array([[v1]]), np.array([m2]), np.array([[v2]]))
    want = (m1 - m2) ** 2 + (np.sqrt(v1) - np.sqrt(v2)) ** 2
    assert_close(got, want, rtol=1e-9, atol=1e-10, name="1-D FID ((μ1 − μ2)² + (σ1 − σ2)²)",
                 call=describe_call("frechet_distance", [m1], [[v1]], [m2], [[v2]]))


@given(seed=seeds(), d=st.integers(1, 6))
def test_fid_of_commuting_covariances(kata, seed, d):
    """Σ1 = Q diag(a) Qᵀ, Σ2 = Q diag(b) Qᵀ share eigenvectors: the trace term is Σ(√a − √b)²,
    which an elementwise √(Σ1 ⊙ Σ2) or √Σ1·√Σ2 computed wrongly would miss."""
    rng = np.random.default_rng(seed)
    Q = np.linalg.qr(rng.standard_normal((d, d)))[0]
    a, b = rng.uniform(0.1, 4, d), rng.uniform(0.1, 4, d)
    mu = rng.standard_normal(d)
    got = kata.frechet_distance(mu, Q @ np.diag(a) @ Q.T, mu, Q @ np.diag(b) @ Q.T)
    assert_close(got, np.sum((np.sqrt(a) - np.sqrt(b)) ** 2), rtol=1e-7, atol=1e-9,
                 name="FID of commuting covariances (Σ(√a − √b)²)", call=describe_call("frechet_distance", mu, "Σ1", mu, "Σ2"))


@st.composite
def prob_rows(draw: st.DrawFn) -> np.ndarray:
    rng = np.random.default_rng(draw(seeds()))
    n, K = draw(st.integers(1, 24)), draw(st.integers(2, 6))
    logits = rng.standard_normal((n, K)) * draw(st.sampled_from([0.1, 2.0, 30.0]))
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    return P / P.sum(axis=1, keepdims=True)


@given(P=prob_rows(), data=st.data())
@example(P=np.eye(4), data=None)                     # four confident, distinct classes: IS = K = 4
@example(P=np.full((5, 3), 1 / 3), data=None)        # no confidence: IS = 1
def test_inception_score_matches_entropy(kata, P, data):
    splits = 1 if data is None else data.draw(st.integers(1, len(P)), label="splits")
    call = describe_call(f"inception_score(splits={splits})", P)
    mean, std = call_unmodified(kata.inception_score, P, splits=splits, fn_name="inception_score")
    scores = []
    for part in np.array_split(P, splits):
        marginal = part.mean(axis=0)
        scores.append(np.exp(np.mean([entropy(row, marginal) for row in part])))
    assert_close(mean, np.mean(scores), rtol=1e-9, atol=1e-12, name="mean IS over splits (vs scipy entropy)", call=call)
    assert_close(std, np.std(scores), rtol=1e-7, atol=1e-9, name="std of IS over splits (ddof=0)", call=call)
    K = P.shape[1]
    assert 1 - 1e-9 <= mean <= K + 1e-9, f"{call} = {mean}, outside [1, K = {K}]"


@given(splits=st.sampled_from([0, -1, 6, 10]))
def test_bad_splits_raise(kata, splits):
    with pytest.raises(ValueError):
        kata.inception_score(np.full((5, 3), 1 / 3), splits=splits)

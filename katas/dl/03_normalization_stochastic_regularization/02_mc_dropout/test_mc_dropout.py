"""Tests for dl-03-2, MC dropout.

References: the dropout mask is specified exactly (rng.random(shape) >= p) and recomputed here;
exact_moments is checked against brute-force enumeration of all 2^H dropout masks; MC estimates
are checked against those exact moments, with errors measured in Monte Carlo standard errors and
their 1/√T decay measured.
"""
import itertools

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, assert_shape, call_unmodified, describe_call

P = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9])


def make(seed: int, n: int, D: int, H: int, K: int) -> tuple[dict, np.ndarray]:
    rng = np.random.default_rng(seed)
    params = {"W1": rng.standard_normal((H, D)), "b1": rng.standard_normal(H) * 0.5,
              "W2": rng.standard_normal((K, H)), "b2": rng.standard_normal(K)}
    return params, rng.standard_normal((n, D))


def brute_force_moments(params: dict, x: np.ndarray, p: float) -> tuple[np.ndarray, np.ndarray]:
    h = np.maximum(x @ params["W1"].T + params["b1"], 0.0)
    H = h.shape[1]
    m1 = m2 = 0.0
    for keep in itertools.product([0, 1], repeat=H):
        k = np.array(keep, dtype=float)
        prob = np.prod(np.where(k == 1, 1 - p, p))
        f = (h * k / (1 - p)) @ params["W2"].T + params["b2"]
        m1, m2 = m1 + prob * f, m2 + prob * f * f
    return m1, m2 - m1 * m1


@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=6), seed=seeds(), p=P)
@example(shape=(4,), seed=0, p=0.0)
def test_dropout_mask_and_scale(kata, shape, seed, p):
    x = np.random.default_rng(seed + 1).standard_normal(shape)
    call = describe_call(f"dropout(p={p})", x, "np.random.default_rng(seed)")
    got = call_unmodified(kata.dropout, x, p, np.random.default_rng(seed), fn_name="dropout")
    keep = np.random.default_rng(seed).random(shape) >= p
    assert_shape(got, shape, call=call)
    assert_close(got, np.where(keep, x / (1 - p), 0.0), rtol=1e-15, atol=0,
                 name="dropout(x): x / (1 − p) where rng.random(shape) >= p, else 0", call=call)


@settings(report_multiple_bugs=False)
@given(p=st.sampled_from([-0.1, 1.0, 1.5]), which=st.sampled_from(["dropout", "mc_dropout_predict", "exact_moments"]))
@example(p=1.0, which="dropout")
@example(p=1.0, which="mc_dropout_predict")
@example(p=1.0, which="exact_moments")
def test_invalid_p_raises(kata, p, which):
    params, x = make(0, 2, 2, 2, 1)
    args = {"dropout": (x, p, np.random.default_rng(0)), "mc_dropout_predict": (params, x, p, 5, 0),
            "exact_moments": (params, x, p)}[which]
    with pytest.raises(ValueError):
        getattr(kata, which)(*args)


@given(T=st.integers(-2, 0))
def test_T_below_one_raises(kata, T):
    params, x = make(0, 2, 2, 2, 1)
    with pytest.raises(ValueError):
        kata.mc_dropout_predict(params, x, 0.5, T, 0)


@given(seed=seeds(), n=st.integers(1, 4), D=st.integers(1, 3), H=st.integers(1, 7), K=st.integers(1, 3), p=P)
@example(seed=1, n=1, D=1, H=1, K=1, p=0.5)
def test_exact_moments_match_enumeration_of_all_masks(kata, seed, n, D, H, K, p):
    params, x = make(seed, n, D, H, K)
    call = describe_call(f"exact_moments(p={p})", params, x)
    mean, var = call_unmodified(kata.exact_moments, params, x, p, fn_name="exact_moments")
    want_mean, want_var = brute_force_moments(params, x, p)
    assert_shape(mean, (n, K), name="mean", call=call)
    assert_close(mean, want_mean, rtol=1e-9, atol=1e-10, name="mean (vs all 2^H masks)", call=call)
    assert_close(var, want_var, rtol=1e-7, atol=1e-9, name="variance (vs all 2^H masks)", call=call)


@settings(max_examples=5)  # 10 000 forward passes per example
@given(seed=seeds(), p=st.sampled_from([0.1, 0.5]), tau=st.one_of(st.none(), st.sampled_from([0.5, 4.0])))
def test_mc_estimates_converge_to_the_exact_moments(kata, seed, p, tau):
    params, x = make(seed, 8, 3, 6, 3)
    T = 10_000
    call = describe_call(f"mc_dropout_predict(p={p}, T={T}, seed={seed}, tau={tau})", params, x)
    mean, var = call_unmodified(kata.mc_dropout_predict, params, x, p, T, seed, tau=tau, fn_name="mc_dropout_predict")
    want_mean, want_var = brute_force_moments(params, x, p)
    assert_shape(mean, (8, 3), name="mean", call=call)
    assert_shape(var, (8, 3), name="variance", call=call)
    se = np.sqrt(want_var / T)
    z = np.abs(mean - want_mean) / np.where(se > 0, se, 1.0)
    assert np.all(np.where(se > 0, z < 6, np.abs(mean - want_mean) < 1e-9)), (
        f"{call}: the MC mean is {z.max():.1f} standard errors from the exact predictive mean "
        f"(largest gap {np.abs(mean - want_mean).max():.3g}): is the dropout scaled by 1 / (1 − p)?")
    noise = 0.0 if tau is None else 1.0 / tau
    # Sample variance of 10 000 draws: relative s.e. √((κ − 1)/T) ≲ 0.03 for these Bernoulli sums.
    assert_close(var - noise, want_var, rtol=0.2, atol=1e-9,
                 name="MC variance minus 1/tau (vs the exact predictive variance)", call=call)


@settings(max_examples=5)
@given(seed=seeds())
def test_mc_error_falls_as_one_over_sqrt_T(kata, seed):
    """Measured: 100× more passes, about 10× less error (RMS over 32 outputs), as Monte Carlo promises."""
    params, x = make(seed, 16, 3, 6, 2)
    want = brute_force_moments(params, x, 0.5)[0]
    errs = [float(np.sqrt(np.mean((kata.mc_dropout_predict(params, x, 0.5, T, seed + i)[0] - want) ** 2)))
            for i, T in enumerate((50, 5000))]
    assert 3 < errs[0] / errs[1] < 30, f"RMS error {errs[0]:.3g} at T=50, {errs[1]:.3g} at T=5000: expected a ratio ≈ 10"


@given(seed=seeds(), tau=st.one_of(st.none(), st.sampled_from([0.25, 2.0])))
def test_one_pass_has_zero_variance_plus_noise(kata, seed, tau):
    params, x = make(seed, 3, 2, 4, 2)
    _, var = kata.mc_dropout_predict(params, x, 0.5, 1, seed, tau=tau)
    assert_close(var, np.full((3, 2), 0.0 if tau is None else 1 / tau), rtol=0, atol=1e-15,
                 name="variance of a single pass (0, plus 1/tau)",
                 call=describe_call(f"mc_dropout_predict(p=0.5, T=1, tau={tau})", params, x))


@given(seed=seeds(), tau=st.sampled_from([0.5, 3.0]))
def test_tau_adds_the_model_noise(kata, seed, tau):
    params, x = make(seed, 3, 2, 4, 2)
    m0, v0 = kata.mc_dropout_predict(params, x, 0.3, 20, seed)
    m1, v1 = kata.mc_dropout_predict(params, x, 0.3, 20, seed, tau=tau)
    call = describe_call(f"mc_dropout_predict(p=0.3, T=20, tau={tau})", params, x)
    assert_close(m1, m0, rtol=0, atol=0, name="mean (tau does not change it)", call=call)
    assert_close(v1 - v0, np.full_like(v0, 1 / tau), rtol=1e-9, atol=1e-12, name="variance(tau) − variance(None)",
                 call=call)


@given(seed=seeds())
def test_equal_rows_get_independent_masks_and_the_seed_is_used(kata, seed):
    params, x = make(seed, 1, 3, 6, 2)
    params["W1"] *= 0.1
    params["b1"] = np.abs(params["b1"]) + 1.0  # every hidden unit active: the output varies with the mask
    xx = np.repeat(x, 2, axis=0)
    mean, _ = kata.mc_dropout_predict(params, xx, 0.5, 3, seed)
    assert not np.allclose(mean[0], mean[1]), ("mc_dropout_predict gave two identical rows identical MC means: "
                                               "every row needs its own dropout masks")
    assert_seeded(lambda s: kata.mc_dropout_predict(params, xx, 0.5, 3, s), seed, name="MC mean and variance")

"""Tests for prod-02-6, Bayesian optimisation with a GP surrogate and expected improvement.

References: sklearn's GaussianProcessRegressor with a fixed ConstantKernel * RBF and alpha = noise
(posterior mean and std); expected improvement against numerical integration of E[max(best - xi - Y, 0)]
with scipy.integrate.quad; propose() against the argmax of that reference; the whole loop against
random search with the same budget on the Forrester function (minimum -6.0207 at x = 0.7572).
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import integrate, stats
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, call_unmodified, describe_call


def sklearn_posterior(x, y, xs, length_scale, noise, signal_var):
    gp = GaussianProcessRegressor(ConstantKernel(signal_var, "fixed") * RBF(length_scale, "fixed"), alpha=noise,
                                  optimizer=None).fit(x, y)
    return gp.predict(xs, return_std=True)


@st.composite
def gp_data(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(draw(seeds()))
    n, m, d = draw(st.integers(1, 8)), draw(st.integers(1, 6)), draw(st.integers(1, 3))
    x = rng.random((n, d))
    return x, np.sin(6 * x).sum(axis=1) + 0.1 * rng.standard_normal(n), np.r_[rng.random((m, d)), x[:1]]


@given(data=gp_data(), length_scale=st.sampled_from([0.1, 0.3, 1.0]), noise=st.sampled_from([1e-6, 1e-2, 0.5]),
       signal_var=st.sampled_from([0.5, 1.0, 4.0]))
def test_gp_posterior_matches_sklearn(kata, data, length_scale, noise, signal_var):
    x, y, xs = data
    call = describe_call("gp_posterior", x, y, xs, length_scale=length_scale, noise=noise, signal_var=signal_var)
    mu, sigma = call_unmodified(kata.gp_posterior, x, y, xs, length_scale=length_scale, noise=noise, signal_var=signal_var)
    want_mu, want_sigma = sklearn_posterior(x, y, xs, length_scale, noise, signal_var)
    # both solve with a Cholesky factor; with noise 1e-6 the condition number reaches ~1e6: 1e-6 absolute
    assert_close(mu, want_mu, rtol=1e-6, atol=1e-6, name="posterior mean", call=call)
    assert_close(sigma, want_sigma, rtol=1e-5, atol=2e-5, name="posterior std", call=call)


@given(data=gp_data())
def test_gp_posterior_defaults(kata, data):
    x, y, xs = data
    mu, sigma = kata.gp_posterior(x, y, xs)
    want_mu, want_sigma = sklearn_posterior(x, y, xs, 1.0, 1e-6, 1.0)
    call = describe_call("gp_posterior", x, y, xs) + "  (length_scale=1, noise=1e-6, signal_var=1)"
    # a length scale of 1 on [0, 1) data is badly conditioned: looser absolute tolerance
    assert_close(mu, want_mu, rtol=1e-4, atol=1e-4, name="posterior mean", call=call)
    assert_close(sigma, want_sigma, rtol=1e-3, atol=1e-3, name="posterior std", call=call)


@given(seed=seeds())
def test_gp_posterior_without_noise_interpolates(kata, seed):
    x = np.linspace(0, 1, 4)[:, None] + np.random.default_rng(seed).uniform(0, 0.05, (4, 1))
    y = np.sin(5 * x[:, 0])
    call = describe_call("gp_posterior", x, y, x, length_scale=0.3, noise=0.0)
    mu, sigma = kata.gp_posterior(x, y, x, length_scale=0.3, noise=0.0)
    # noise 0 is allowed: the posterior passes through the data with no uncertainty left there
    assert_close(mu, y, rtol=1e-6, atol=1e-6, name="mean at the training points", call=call)
    assert_close(sigma, np.zeros(4), rtol=0, atol=1e-4, name="std at the training points", call=call)


def test_gp_posterior_rejects_bad_inputs(kata):
    x, y = np.zeros((3, 2)), np.zeros(3)
    for args, kwargs, why in [((x, y, np.zeros((2, 3))), {}, "test points with 3 columns for 2"),
                              ((x, np.zeros(4), x), {}, "4 targets for 3 points"), ((x[0], y, x), {}, "a 1-D x_train"),
                              ((x, y, x[0]), {}, "a 1-D x_test"),
                              ((x, y, x), {"length_scale": 0.0}, "length_scale=0"),
                              ((np.arange(3.0)[:, None], y, x[:, :1]), {"noise": -1e-9}, "noise<0"),
                              ((x, y, x), {"signal_var": 0.0}, "signal_var=0")]:
        with pytest.raises(ValueError):
            kata.gp_posterior(*args, **kwargs)
            pytest.fail(f"gp_posterior with {why} returned instead of raising ValueError")


def ei_by_integration(mu: float, sigma: float, best: float, xi: float) -> float:
    if sigma == 0:
        return max(best - mu - xi, 0.0)
    upper = best - xi
    val, _ = integrate.quad(lambda t: (upper - t) * stats.norm.pdf(t, mu, sigma), mu - 12 * sigma, upper) \
        if upper > mu - 12 * sigma else (0.0, 0.0)
    return val


@given(mu=st.lists(st.floats(-3, 3, width=32), min_size=1, max_size=5), sigma_seed=seeds(),
       best=st.floats(-2, 2, width=32), xi=st.sampled_from([0.0, 0.01, 0.5]))
@example(mu=[0.0, 1.0, -1.0], sigma_seed=0, best=0.0, xi=0.0)
def test_expected_improvement_matches_integration(kata, mu, sigma_seed, best, xi):
    mu = np.array(mu, dtype=np.float64)
    sigma = np.random.default_rng(sigma_seed).choice([0.0, 0.05, 0.5, 2.0], size=mu.size)
    call = describe_call("expected_improvement", mu, sigma, best, xi=xi)
    got = call_unmodified(kata.expected_improvement, mu, sigma, best, xi=xi)
    want = np.array([ei_by_integration(m, s, best, xi) for m, s in zip(mu, sigma, strict=True)])
    # quad's error estimate is below 1e-9 on these smooth integrands
    assert_close(got, want, rtol=1e-6, atol=1e-8, name="EI", call=call)


def test_expected_improvement_default_xi(kata):
    mu, sigma = np.array([0.3, -0.2, 0.0]), np.array([0.5, 0.0, 1.0])
    want = np.array([ei_by_integration(m, s, 0.1, 0.0) for m, s in zip(mu, sigma, strict=True)])
    assert_close(kata.expected_improvement(mu, sigma, 0.1), want, rtol=1e-6, atol=1e-8, name="EI",
                 call=describe_call("expected_improvement", mu, sigma, 0.1))


def test_expected_improvement_rejects_bad_inputs(kata):
    for args, why in [((np.zeros(2), np.ones(3), 0.0), "shapes (2,) and (3,)"), ((np.zeros(3), np.ones(1), 0.0), "shapes (3,) and (1,)"), ((np.zeros(2), np.array([1.0, -0.1]), 0.0), "sigma < 0")]:
        with pytest.raises(ValueError):
            kata.expected_improvement(*args)
            pytest.fail(f"expected_improvement with {why} returned instead of raising ValueError")


@given(data=gp_data(), length_scale=st.sampled_from([0.1, 0.3]), noise=st.sampled_from([1e-6, 0.3, 3.0]),
       xi=st.sampled_from([0.0, 0.1, 1.0]))
@example(data=(np.array([[0.1], [0.5], [0.55]]), np.array([0.0, 1.0, -1.0]), np.array([[0.3], [0.52], [0.7], [0.9]])),
         length_scale=0.3, noise=1e-2, xi=0.0)
def test_propose_picks_the_largest_ei(kata, data, length_scale, noise, xi):
    x, y, cand = data
    call = describe_call("propose", x, y, cand, length_scale=length_scale, noise=noise, xi=xi)
    got = call_unmodified(kata.propose, x, y, cand, length_scale=length_scale, noise=noise, xi=xi)
    mu, sd = sklearn_posterior(x, y, cand, length_scale, noise, 1.0)
    ei = np.array([ei_by_integration(m, s, y.min(), xi) for m, s in zip(mu, sd, strict=True)])
    assert 0 <= int(got) < len(cand), f"{call}: index {got} outside [0, {len(cand)})"
    # the chosen candidate's EI must be the maximum up to the reference's accuracy
    assert ei[int(got)] >= ei.max() - 1e-6 * (1 + ei.max()), f"{call}: chose {got} (EI {ei[int(got)]:.6g}), best is {ei.argmax()} (EI {ei.max():.6g})"


def test_propose_defaults_and_ties(kata):
    x, y = np.array([[0.5]]), np.array([1.0])
    cand = np.array([[0.5], [0.9], [0.1], [0.9]])     # 0.1 and 0.9 are symmetric: equal EI, first one wins
    got = kata.propose(x, y, cand)
    assert_equal(int(got), 1, name="index", call=describe_call("propose", x, y, cand) + "  (ties -> the first)")


def forrester(x: np.ndarray) -> float:
    return float((6 * x[0] - 2) ** 2 * np.sin(12 * x[0] - 4))


@settings(max_examples=3)
@given(seed=seeds())
def test_bayes_opt_beats_random_search(kata, seed):
    calls = []

    def f(x: np.ndarray) -> float:
        calls.append(np.array(x, copy=True))
        return forrester(x)

    call = describe_call("bayes_opt", "forrester", np.zeros(1), np.ones(1), n_init=3, n_iter=10, seed=seed)
    xs, ys = kata.bayes_opt(f, np.zeros(1), np.ones(1), n_init=3, n_iter=10, seed=seed)
    assert_equal(len(calls), 13, name="number of f evaluations", call=call)
    assert_equal(np.asarray(xs).shape, (13, 1), name="X shape", call=call)
    assert_close(np.asarray(ys), np.array([forrester(c) for c in calls]), rtol=0, atol=0, name="y (f at X, in order)", call=call)
    assert_close(np.asarray(xs), np.array(calls), rtol=0, atol=0, name="X (the points f was called at)", call=call)
    # random search with 13 points reaches within 0.05 of the minimum ~ 20% of the time; BO almost always
    assert ys.min() < -5.97, f"{call}: best value {ys.min():.4f} after 13 evaluations, expected < -5.97 (minimum -6.0207)"


def test_bayes_opt_respects_bounds_and_budget(kata):
    lower, upper = np.array([-5.0, 0.0]), np.array([10.0, 15.0])
    xs, ys = kata.bayes_opt(lambda x: float(np.sum(x ** 2)), lower, upper, n_init=4, n_iter=3, n_candidates=16, seed=1)
    assert np.asarray(xs).shape == (7, 2) and np.asarray(ys).shape == (7,), f"shapes {np.asarray(xs).shape}, {np.asarray(ys).shape}"
    assert np.all((xs >= lower) & (xs < upper)), f"points outside the box: {xs}"
    xs0, _ = kata.bayes_opt(lambda x: 0.0, lower, upper, n_init=2, n_iter=0, seed=1)   # a flat function: std 0 is fine
    assert np.asarray(xs0).shape == (2, 2), f"n_iter=0 should give the n_init random points, got shape {np.asarray(xs0).shape}"


def test_bayes_opt_defaults_and_candidates(kata):
    xs, _ = kata.bayes_opt(forrester, np.zeros(1), np.ones(1))
    assert np.asarray(xs).shape == (13, 1), f"bayes_opt(f, 0, 1) made {len(xs)} evaluations, expected 3 + 10"
    # one candidate per iteration: each proposal is the single uniform draw after the init points
    rng = np.random.default_rng(5)
    init = rng.random((2, 1))
    xs, _ = kata.bayes_opt(forrester, np.zeros(1), np.ones(1), n_init=2, n_iter=2, n_candidates=1, seed=5)
    want = np.r_[init, rng.random((1, 1)), rng.random((1, 1))]
    assert_close(np.asarray(xs), want, rtol=0, atol=1e-15, name="X", call="bayes_opt(forrester, 0, 1, n_init=2, n_iter=2, n_candidates=1, seed=5)")


def reference_loop(f, lower, upper, n_init, n_iter, n_candidates, length_scale, seed):
    rng = np.random.default_rng(seed)
    units = list(rng.random((n_init, lower.size)))
    ys = [f(lower + u * (upper - lower)) for u in units]
    for _ in range(n_iter):
        y = np.array(ys)
        z = (y - y.mean()) / (y.std() if y.std() > 0 else 1.0)
        cand = rng.random((n_candidates, lower.size))
        mu, sd = sklearn_posterior(np.array(units), z, cand, length_scale, 1e-6, 1.0)
        g = z.min() - mu
        ei = np.where(sd > 0, g * stats.norm.cdf(g / np.where(sd > 0, sd, 1)) + sd * stats.norm.pdf(g / np.where(sd > 0, sd, 1)),
                      np.maximum(g, 0))
        units.append(cand[np.argmax(ei)])
        ys.append(f(lower + units[-1] * (upper - lower)))
    return lower + np.array(units) * (upper - lower), np.array(ys)


def small_bowl(x: np.ndarray) -> float:
    return float(0.01 * np.sum((x - 0.3) ** 2) + 0.001 * np.sin(9 * x).sum())     # spread far below 1


@settings(max_examples=10)
@given(seed=seeds(), n_init=st.integers(1, 3), n_iter=st.integers(0, 3), n_candidates=st.sampled_from([1, 5, 40]),
       length_scale=st.sampled_from([0.1, 0.2, 0.5]), f=st.sampled_from([forrester, small_bowl]))
@example(seed=0, n_init=1, n_iter=2, n_candidates=40, length_scale=0.2, f=small_bowl)
def test_bayes_opt_follows_the_loop(kata, seed, n_init, n_iter, n_candidates, length_scale, f):
    lower, upper = (np.zeros(1), np.ones(1)) if f is forrester else (np.array([-1.0, 0.5]), np.array([2.0, 1.5]))
    call = describe_call("bayes_opt", f.__name__, lower, upper, n_init=n_init, n_iter=n_iter, n_candidates=n_candidates,
                         length_scale=length_scale, seed=seed)
    xs, ys = kata.bayes_opt(f, lower, upper, n_init=n_init, n_iter=n_iter, n_candidates=n_candidates,
                            length_scale=length_scale, seed=seed)
    want_x, want_y = reference_loop(f, lower, upper, n_init, n_iter, n_candidates, length_scale, seed)
    assert_close(np.asarray(xs), want_x, rtol=1e-9, atol=1e-12, name="evaluated points, in order", call=call)
    assert_close(np.asarray(ys), want_y, rtol=1e-9, atol=1e-12, name="values", call=call)


@given(seed=seeds())
def test_bayes_opt_is_seeded(kata, seed):
    assert_seeded(lambda s: kata.bayes_opt(forrester, np.zeros(1), np.ones(1), n_init=2, n_iter=2, n_candidates=32, seed=s)[0],
                  seed, name="evaluated points")


def test_bayes_opt_rejects_bad_inputs(kata):
    for kwargs, why in [({"n_init": 0}, "n_init=0"), ({"n_iter": -1}, "n_iter=-1"), ({"n_candidates": 0}, "n_candidates=0"),
                        ({"n_init": 0, "n_iter": 0}, "n_init=0, n_iter=0"), ({"n_candidates": 0, "n_iter": 0}, "n_candidates=0, n_iter=0")]:
        with pytest.raises(ValueError):
            kata.bayes_opt(forrester, np.zeros(1), np.ones(1), **kwargs)
            pytest.fail(f"bayes_opt with {why} returned instead of raising ValueError")

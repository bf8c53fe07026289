"""Tests for found-04-1, gradient descent on quadratics and Armijo backtracking.

References: the closed form x_k − x* = (I − lr·A)^k (x0 − x*) evaluated through numpy.linalg.eigh,
x* = numpy.linalg.solve(A, b); the contraction bound (κ−1)/(κ+1) measured on every step and attained
along the extreme eigenvectors; and the Armijo condition checked for every accepted step, together
with the rule that the step before it (t/β) failed.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call


def spd(seed: int, n: int, log10_cond: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.logspace(0, log10_cond, n) * rng.uniform(0.5, 3.0)  # λ_min is not 1
    A = (q * lam) @ q.T
    return (A + A.T) / 2, lam, q


@given(n=st.integers(1, 5), seed=seeds(), steps=st.integers(0, 30), lr_frac=st.sampled_from([0.1, 0.5, 1.0]))
@example(n=3, seed=0, steps=0, lr_frac=0.5)
def test_gd_quadratic_matches_the_closed_form(kata, n, seed, steps, lr_frac):
    A, lam, q = spd(seed, n, 2.0)
    rng = np.random.default_rng(seed + 1)
    b, x0 = rng.standard_normal(n), rng.standard_normal(n)
    lr = lr_frac * 2 / lam[-1]
    call = describe_call("gd_quadratic", A, b, x0, lr, steps)
    xs = call_unmodified(kata.gd_quadratic, A, b, x0, lr, steps)
    assert_shape(xs, (steps + 1, n), name="iterates", call=call)
    x_star = np.linalg.solve(A, b)
    w, V = np.linalg.eigh(A)
    k = np.arange(steps + 1)[:, None]
    want = x_star + ((1 - lr * w) ** k * ((x0 - x_star) @ V)) @ V.T
    assert_close(xs, want, rtol=1e-9, atol=1e-9, name="x_k = x* + (I − lr A)^k (x0 − x*)", call=call)


@given(n=st.integers(2, 5), seed=seeds(), log10_cond=st.sampled_from([0.5, 1.0, 2.0]))
@example(n=2, seed=0, log10_cond=2.0)
def test_optimal_step_contracts_at_the_predicted_rate(kata, n, seed, log10_cond):
    A, lam, q = spd(seed, n, log10_cond)
    step, rate = kata.optimal_rate(A)
    kappa = lam[-1] / lam[0]
    assert_close([step, rate], [2 / (lam[0] + lam[-1]), (kappa - 1) / (kappa + 1)], rtol=1e-9, atol=0,
                 name="(step, rate)", call=describe_call("optimal_rate", A))
    b = np.random.default_rng(seed).standard_normal(n)
    x_star = np.linalg.solve(A, b)
    xs = kata.gd_quadratic(A, b, x_star + np.random.default_rng(seed + 2).standard_normal(n), step, 20)
    errs = np.linalg.norm(xs - x_star, axis=1)
    assert np.all(errs[1:] <= rate * errs[:-1] * (1 + 1e-9) + 1e-12), "an error shrank by less than (κ−1)/(κ+1)"
    for j in (0, -1):  # along an extreme eigenvector the bound is attained exactly
        ys = kata.gd_quadratic(A, b, x_star + q[:, j], step, 5)
        ratios = np.linalg.norm(ys[1:] - x_star, axis=1) / np.linalg.norm(ys[:-1] - x_star, axis=1)
        assert_close(ratios, np.full(5, rate), rtol=1e-6, atol=0, name="per-step error ratio along an extreme eigenvector",
                     call=describe_call("gd_quadratic", A, b, "x* + q", step, 5))


def test_too_large_a_step_diverges(kata):
    A, b = np.diag([1.0, 10.0]), np.zeros(2)
    xs = kata.gd_quadratic(A, b, np.ones(2), 0.21, 30)  # 0.21 > 2 / λ_max = 0.2
    assert np.linalg.norm(xs[-1]) > 10, f"lr = 0.21 > 2/λmax should diverge, but ‖x_30‖ = {np.linalg.norm(xs[-1]):.3g}"


def rosen(x: np.ndarray) -> float:
    return float(np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))


def rosen_grad(x: np.ndarray) -> np.ndarray:
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return g


@given(seed=seeds(), beta=st.sampled_from([0.3, 0.5, 0.8]), c=st.sampled_from([1e-4, 0.1, 0.4]),
       t0=st.sampled_from([1.0, 0.1]))
@example(seed=0, beta=0.5, c=1e-4, t0=1.0)
def test_armijo_step_is_the_first_that_passes(kata, seed, beta, c, t0):
    x = np.random.default_rng(seed).uniform(-1.5, 1.5, 3)
    g = rosen_grad(x)
    call = describe_call("armijo_step", "rosenbrock", g, x, t0=t0, beta=beta, c=c)
    t = call_unmodified(kata.armijo_step, rosen, g, x, t0=t0, beta=beta, c=c)
    armijo = lambda s: rosen(x - s * g) <= rosen(x) - c * s * (g @ g)
    k = np.log(t / t0) / np.log(beta)
    assert np.isclose(k, round(k), atol=1e-9) and round(k) >= 0, f"{call} returned t = {t}, not t0·beta^k"
    assert armijo(t), f"{call} returned t = {t}, which fails the Armijo condition"
    assert t == t0 or not armijo(t / beta), f"{call} returned t = {t}, but the larger t/beta = {t / beta} already passes"


def test_armijo_step_raises_when_nothing_works(kata):
    f = lambda x: float(x @ x)
    with pytest.raises(ValueError):
        kata.armijo_step(f, np.array([-1.0, 0.0]), np.array([1.0, 0.0]), max_halvings=10)  # −g points uphill
        pytest.fail("armijo_step with an ascent direction returned instead of raising ValueError")
    for kwargs in ({"t0": 0.0}, {"beta": 1.0}, {"c": 0.0}, {"beta": 0.0}, {"c": 1.0}, {"t0": 0.5, "beta": 1.0}):
        with pytest.raises(ValueError):
            kata.armijo_step(f, np.array([2.0, 0.0]), np.array([1.0, 0.0]), **kwargs)
            pytest.fail(f"armijo_step(..., {kwargs}) returned instead of raising ValueError")


def test_armijo_equality_counts(kata):
    """x = (1, 0), g = (2, 0), c = 0.75: t = 1 and 0.5 fail; at t = 0.25 both sides are exactly 0.25."""
    t = kata.armijo_step(lambda x: float(x @ x), np.array([2.0, 0.0]), np.array([1.0, 0.0]), c=0.75)
    assert t == 0.25, f"armijo_step(..., c=0.75) returned {t}, expected 0.25 (f(x − tg) equal to the bound passes)"


def test_armijo_max_halvings(kata):
    f = lambda x: float(x @ x)
    x, g = np.array([1.0, 0.0]), np.array([2.0, 0.0])  # t = 1 overshoots to −1 (no decrease), t = 0.5 is exact
    assert kata.armijo_step(f, g, x, max_halvings=2) == 0.5, "armijo_step with max_halvings=2 must try t0 and t0·beta"
    with pytest.raises(ValueError):
        kata.armijo_step(f, g, x, max_halvings=1)
        pytest.fail("armijo_step(max_halvings=1) returned, but t0 = 1 fails and no other t may be tried")


@given(seed=seeds(), n=st.integers(2, 4))
@example(seed=0, n=2)
def test_gd_armijo_decreases_and_converges(kata, seed, n):
    x0 = np.random.default_rng(seed).uniform(-1.2, 1.2, n)
    call = describe_call("gd_armijo", "rosenbrock", "grad", x0, 40)
    xs, ts = call_unmodified(kata.gd_armijo, rosen, rosen_grad, x0, 40)
    assert xs.shape[0] == len(ts) + 1, f"{call}: {xs.shape[0]} iterates for {len(ts)} steps"
    fs = np.array([rosen(x) for x in xs])
    assert np.all(np.diff(fs) < 0), f"{call}: f increased at step {int(np.argmax(np.diff(fs) >= 0))}"
    for k, t in enumerate(ts):
        g = rosen_grad(xs[k])
        assert_close(xs[k + 1], xs[k] - t * g, rtol=1e-12, atol=1e-12, name=f"iterate {k + 1} = x − t·g", call=call)
        assert fs[k + 1] <= fs[k] - 1e-4 * t * (g @ g) + 1e-12, f"{call}: step {k} violates Armijo"
    A, b = np.diag([1.0, 4.0]), np.array([1.0, 1.0])
    xs, _ = kata.gd_armijo(lambda x: 0.5 * x @ A @ x - b @ x, lambda x: A @ x - b, np.zeros(2), 200)
    assert_close(xs[-1], np.linalg.solve(A, b), rtol=0, atol=1e-8, name="limit on a quadratic", call="gd_armijo(quadratic)")


def test_gd_armijo_stops_at_a_stationary_point(kata):
    xs, ts = kata.gd_armijo(lambda x: float(x @ x), lambda x: 2 * x, np.zeros(3), 10)
    assert xs.shape == (1, 3) and len(ts) == 0, f"gd_armijo from the minimiser took {len(ts)} steps, expected 0"


def test_gd_armijo_passes_its_parameters_on(kata):
    f, grad = (lambda x: float(x @ x)), (lambda x: 2 * x)
    _, ts = kata.gd_armijo(f, grad, np.ones(2), 1, t0=0.75, beta=0.25, c=0.9)
    f0, g = 2.0, np.array([2.0, 2.0])
    want = next(t for t in 0.75 * 0.25 ** np.arange(60) if f(np.ones(2) - t * g) <= f0 - 0.9 * t * (g @ g))
    assert_close(ts, [want], rtol=0, atol=0, name="the accepted step with t0=0.75, beta=0.25, c=0.9",
                 call="gd_armijo(x·x, x0=(1, 1), 1 step, t0=0.75, beta=0.25, c=0.9)")


def test_invalid_gd_arguments(kata):
    for lr, steps in ((0.0, 3), (-0.1, 3), (0.1, -1)):
        with pytest.raises(ValueError):
            kata.gd_quadratic(np.eye(2), np.zeros(2), np.ones(2), lr, steps)
            pytest.fail(f"gd_quadratic(lr={lr}, n_steps={steps}) returned instead of raising ValueError")
    for d in ([1.0, -1.0], [1.0, -0.5], [1.0, 0.0]):
        with pytest.raises(ValueError):
            kata.optimal_rate(np.diag(d))
            pytest.fail(f"optimal_rate(diag({d})) returned instead of raising ValueError: not positive definite")

"""Tests for found-04-3, Newton's method and BFGS.

References: scipy.optimize.minimize with method="BFGS" and "Newton-CG" on the Rosenbrock function
(scipy.optimize.rosen, rosen_der, rosen_hess): the same minimiser, and iteration counts of the same
order (BFGS within 3× scipy's count + 10; Newton fewer iterations than BFGS); a quadratic, which one
Newton step solves exactly; and the convergence flag and iteration count under small max_iter.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.optimize import minimize, rosen, rosen_der, rosen_hess

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

STARTS = [np.array([-1.2, 1.0]), np.zeros(4), np.array([2.0, -1.0, 0.5])]


@pytest.mark.parametrize("x0", STARTS, ids=["classic", "zeros4", "mixed3"])
def test_rosenbrock_against_scipy(kata, x0):
    ref = minimize(rosen, x0, jac=rosen_der, method="BFGS")
    call = describe_call("bfgs", "rosen", "rosen_der", x0)
    x, nit_bfgs, ok = call_unmodified(kata.bfgs, rosen, rosen_der, x0)
    assert ok is True, f"{call} did not converge"
    assert_close(x, ref.x, rtol=0, atol=1e-5, name="BFGS minimiser (all ones)", call=call)
    assert np.linalg.norm(rosen_der(x)) <= 1e-8, f"{call}: returned with ‖grad‖ = {np.linalg.norm(rosen_der(x)):.3g} > tol"
    assert nit_bfgs <= 3 * ref.nit + 10, (f"{call} took {nit_bfgs} iterations; scipy's BFGS took {ref.nit}: is H updated "
                                          "every step (otherwise it is steepest descent)?")
    call = describe_call("newton", "rosen", "rosen_der", "rosen_hess", x0)
    x, nit_newton, ok = call_unmodified(kata.newton, rosen, rosen_der, rosen_hess, x0)
    assert ok is True and np.linalg.norm(rosen_der(x)) <= 1e-10, f"{call} did not converge to tol 1e-10"
    assert_close(x, np.ones(len(x0)), rtol=0, atol=1e-8, name="Newton minimiser", call=call)
    assert nit_newton < nit_bfgs, f"Newton took {nit_newton} iterations, BFGS {nit_bfgs}: Newton should need fewer"


@given(n=st.integers(1, 6), seed=seeds())
@example(n=1, seed=0)
def test_newton_solves_a_quadratic_in_one_step(kata, n, seed):
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((n, n))
    A, b = M @ M.T + np.eye(n), rng.standard_normal(n)
    f, g, h = (lambda x: 0.5 * x @ A @ x - b @ x), (lambda x: A @ x - b), (lambda x: A)
    x, nit, ok = kata.newton(f, g, h, rng.standard_normal(n), tol=1e-9)
    assert ok and nit <= 1, f"newton on a quadratic took {nit} iterations (converged={ok}); one full step is exact"
    assert_close(x, np.linalg.solve(A, b), rtol=1e-9, atol=1e-9, name="minimiser A⁻¹b", call="newton(quadratic)")


@given(n=st.integers(2, 5), seed=seeds())
def test_bfgs_on_a_quadratic_matches_scipy(kata, n, seed):
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((n, n))
    A, b = M @ M.T + np.eye(n), rng.standard_normal(n)
    x, nit, ok = kata.bfgs(lambda x: 0.5 * x @ A @ x - b @ x, lambda x: A @ x - b, np.zeros(n), tol=1e-6)
    assert ok, "bfgs on a positive definite quadratic did not converge"
    assert_close(x, np.linalg.solve(A, b), rtol=0, atol=1e-5, name="minimiser A⁻¹b", call="bfgs(quadratic)")


def test_max_iter_and_tol(kata):
    x0 = np.array([-1.2, 1.0])
    for fn, args in ((kata.newton, (rosen, rosen_der, rosen_hess, x0)), (kata.bfgs, (rosen, rosen_der, x0))):
        x, nit, ok = fn(*args, max_iter=3)
        assert (nit, ok) == (3, False), f"{fn.__name__}(rosenbrock, max_iter=3) returned nit={nit}, converged={ok}; expected 3, False"
        x, nit, ok = fn(*args, tol=1e-2)
        x_tight, nit_tight, _ = fn(*args)
        assert ok and np.linalg.norm(rosen_der(x)) <= 1e-2 and nit < nit_tight, (
            f"{fn.__name__}(rosenbrock, tol=1e-2) should stop earlier ({nit} iterations) than with the default tol ({nit_tight})")
    x, nit, ok = kata.bfgs(rosen, rosen_der, np.ones(3))
    assert (nit, ok) == (0, True), f"bfgs started at the minimiser returned nit={nit}, converged={ok}; expected 0, True"
    x, nit, ok = kata.newton(rosen, rosen_der, rosen_hess, np.ones(3))
    assert (nit, ok) == (0, True), f"newton started at the minimiser returned nit={nit}, converged={ok}; expected 0, True"


def test_one_step_replays_the_recipe(kata):
    """max_iter=1: exactly one (damped) step from x0, with the given backtrack."""
    x0 = np.array([-1.2, 1.0])
    g = rosen_der(x0)
    p = -np.linalg.solve(rosen_hess(x0), g)
    p = p if g @ p < 0 else -g
    want = x0 + backtrack_ref(rosen, x0, rosen(x0), g, p) * p
    x, nit, ok = kata.newton(rosen, rosen_der, rosen_hess, x0, max_iter=1)
    assert_close(x, want, rtol=1e-12, atol=1e-12, name="x after one Newton step", call="newton(rosen, max_iter=1)")
    want = x0 + backtrack_ref(rosen, x0, rosen(x0), g, -g) * -g  # H = I: the first BFGS step is steepest descent
    x, nit, ok = kata.bfgs(rosen, rosen_der, x0, max_iter=1)
    assert_close(x, want, rtol=1e-12, atol=1e-12, name="x after one BFGS step", call="bfgs(rosen, max_iter=1)")


def test_tolerance_boundary_is_inclusive(kata):
    """At the minimiser ‖grad‖ is exactly 0: tol = 0 is met (<=), with or without iterations left."""
    for max_iter in (0, 5):
        for fn, args in ((kata.newton, (rosen, rosen_der, rosen_hess, np.ones(3))), (kata.bfgs, (rosen, rosen_der, np.ones(3)))):
            _, nit, ok = fn(*args, tol=0.0, max_iter=max_iter)
            assert (nit, ok) == (0, True), (f"{fn.__name__}(at the minimiser, tol=0, max_iter={max_iter}) returned "
                                            f"nit={nit}, converged={ok}; expected 0, True (‖g‖ = 0 <= tol)")


def backtrack_ref(f, x: np.ndarray, fx: float, g: np.ndarray, p: np.ndarray) -> float:
    slope, t = float(g @ p), 1.0
    for _ in range(60):
        if f(x + t * p) <= fx + 1e-4 * t * slope:
            return t
        t *= 0.5
    return 0.0


def test_newton_falls_back_when_the_hessian_is_indefinite(kata):
    """f = x⁴/4 − x²/2 + y²: at x = 0.1 the Hessian has −0.99 in the x direction; Newton's step would climb."""
    f = lambda z: z[0] ** 4 / 4 - z[0] ** 2 / 2 + z[1] ** 2
    g = lambda z: np.array([z[0] ** 3 - z[0], 2 * z[1]])
    h = lambda z: np.array([[3 * z[0] ** 2 - 1, 0.0], [0.0, 2.0]])
    x, nit, ok = kata.newton(f, g, h, np.array([0.1, 0.5]))
    assert ok and np.isclose(abs(x[0]), 1.0, atol=1e-8), f"newton from (0.1, 0.5) should reach a minimum (±1, 0), got {x}"

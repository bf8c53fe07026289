"""Tests for found-04-2, projections, Hessians and projected gradient descent.

References: optimality certificates — x is the projection of v onto a closed convex set C iff
x ∈ C and (v − x)·(y − x) <= 0 for every y ∈ C; for the simplex it suffices to check the vertices
e_j, for the ball the KKT form v − x = λ(x − c), λ >= 0 — and a brute-force grid search in 2-D;
analytic Hessians of quadratics and log-sum-exp, whose eigenvalues (numpy.linalg.eigvalsh) are >= 0.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_no_alias, call_unmodified, describe_call


@given(n=st.integers(1, 8), seed=seeds(), scale=st.sampled_from([0.1, 1.0, 10.0]))
@example(n=1, seed=0, scale=1.0)
@example(n=4, seed=1, scale=10.0)
def test_simplex_projection_is_certified(kata, n, seed, scale):
    v = np.random.default_rng(seed).standard_normal(n) * scale
    call = describe_call("project_simplex", v)
    x = call_unmodified(kata.project_simplex, v)
    assert np.all(x >= 0) and np.isclose(np.sum(x), 1.0, atol=1e-12), f"{call} = {x} is not in the simplex"
    worst = max(float((v - x) @ (e - x)) for e in np.eye(n))
    assert worst <= 1e-10 * max(1.0, scale), (f"{call} = {x} is not the closest point: (v − x)·(e_j − x) = {worst:.3g} > 0 "
                                               "for a vertex e_j (clipping and renormalising is not the projection)")


def test_simplex_projection_known_values(kata):
    for v, want in (([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), ([1.0, 1.0], [0.5, 0.5]), ([2.0, 0.0], [1.0, 0.0]),
                    ([0.5, 0.4, -3.0], [0.55, 0.45, 0.0])):
        assert_close(kata.project_simplex(np.array(v)), want, rtol=0, atol=1e-12, call=f"project_simplex({v})")


@given(n=st.integers(1, 6), seed=seeds(), radius=st.sampled_from([0.5, 1.0, 3.0]), centred=st.booleans(),
       scale=st.sampled_from([0.1, 1.0, 10.0]))
@example(n=2, seed=0, radius=1.0, centred=False, scale=0.1)  # inside: unchanged
def test_ball_projection_is_certified(kata, n, seed, radius, centred, scale):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(n) * scale
    c = rng.standard_normal(n) if centred else None
    call = describe_call("project_ball", v, radius, c)
    x = call_unmodified(kata.project_ball, v, radius, c)
    c0 = np.zeros(n) if c is None else c
    assert np.linalg.norm(x - c0) <= radius * (1 + 1e-12), f"{call} is outside the ball"
    if np.linalg.norm(v - c0) <= radius:
        assert_close(x, v, rtol=0, atol=0, name="a point inside stays put", call=call)
        assert_no_alias(x, v, call=call)
    else:
        assert_close(np.linalg.norm(x - c0), radius, rtol=1e-12, atol=0, name="‖x − c‖ (on the sphere)", call=call)
        lam = (v - x) @ (x - c0) / radius**2
        assert lam >= 0, f"{call}: v − x points back into the ball"
        assert_close(v - x, lam * (x - c0), rtol=1e-9, atol=1e-12, name="v − x parallel to x − c (KKT)", call=call)


def test_projections_beat_a_2d_grid(kata):
    g = np.linspace(-2, 2, 401)
    X, Y = np.meshgrid(g, g)
    pts = np.stack([X.ravel(), Y.ravel()], axis=1)
    rng = np.random.default_rng(0)
    for _ in range(5):
        v = rng.uniform(-2, 2, 2)
        for name, x, inside in (("project_ball", kata.project_ball(v, 1.0, np.array([0.3, -0.2])),
                                 np.linalg.norm(pts - [0.3, -0.2], axis=1) <= 1.0),
                                ("project_simplex", kata.project_simplex(v),
                                 np.isclose(pts.sum(axis=1), 1.0, atol=0.006) & np.all(pts >= 0, axis=1))):
            best = np.min(np.linalg.norm(pts[inside] - v, axis=1))
            assert np.linalg.norm(x - v) <= best + 1e-9, f"{name}({v}): a grid point is closer than your projection"


def logsumexp_hessian(x: np.ndarray) -> np.ndarray:
    p = np.exp(x - x.max())
    p /= p.sum()
    return np.diag(p) - np.outer(p, p)


@given(n=st.integers(1, 4), seed=seeds(), h=st.sampled_from([1e-3, 1e-4]))
@example(n=1, seed=0, h=1e-4)
def test_numerical_hessian(kata, n, seed, h):
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((n, n))
    A = M @ M.T
    x = rng.standard_normal(n)
    call = describe_call("numerical_hessian", "quadratic", x, h=h)
    H = call_unmodified(kata.numerical_hessian, lambda z: 0.5 * z @ A @ z + np.sin(z).sum(), x, h=h)
    want = A - np.diag(np.sin(x))
    assert_close(H, want, rtol=0, atol=1e-5 * max(1.0, np.abs(A).max()), name="Hessian of ½xᵀAx + Σ sin x", call=call)
    assert np.array_equal(H, np.asarray(H).T), f"{call} is not exactly symmetric"
    H = kata.numerical_hessian(lambda z: np.log(np.sum(np.exp(z))), x, h=h)
    assert_close(H, logsumexp_hessian(x), rtol=0, atol=1e-6, name="Hessian of log-sum-exp",
                 call=describe_call("numerical_hessian", "logsumexp", x, h=h))
    assert np.linalg.eigvalsh(H).min() >= -1e-6, "log-sum-exp is convex: its Hessian must be PSD"


def test_numerical_hessian_uses_h(kata):
    """For Σ x⁴ the four-point formula with step h gives exactly 12x² + 8h² on the diagonal."""
    x = np.array([0.5, -1.0])
    H = kata.numerical_hessian(lambda z: float(np.sum(z**4)), x, h=0.1)
    assert_close(np.diag(H), 12 * x**2 + 8 * 0.01, rtol=1e-9, atol=1e-9, name="diagonal with h = 0.1 (12x² + 8h²)",
                 call="numerical_hessian(Σ x⁴, [0.5, -1], h=0.1)")


def test_nonconvex_function_has_an_indefinite_hessian(kata):
    H = kata.numerical_hessian(lambda z: z[0] ** 2 - z[1] ** 2, np.array([0.3, -0.7]))
    lam = np.linalg.eigvalsh(H)
    assert lam.min() < -1 and lam.max() > 1, f"x² − y² has Hessian diag(2, −2); numerical_hessian gave eigenvalues {lam}"


@given(n=st.integers(2, 6), seed=seeds())
def test_pgd_reaches_the_constrained_minimum(kata, n, seed):
    rng = np.random.default_rng(seed)
    target = rng.standard_normal(n) * 2
    xs = kata.projected_gradient_descent(lambda x: x - target, kata.project_simplex, rng.standard_normal(n), 0.5, 80)
    assert xs.shape == (81, n), f"projected_gradient_descent returned shape {xs.shape}, expected (81, {n})"
    assert_close(xs[-1], kata.project_simplex(target), rtol=0, atol=1e-8,
                 name="min ½‖x − t‖² over the simplex = the projection of t", call="projected_gradient_descent(simplex)")
    for x in xs:
        assert np.all(x >= -1e-12) and np.isclose(x.sum(), 1.0), "an iterate left the simplex"
    A = np.diag(rng.uniform(1, 3, n))
    b = A @ (3 * np.ones(n))  # unconstrained minimum at (3, ..., 3), outside the unit ball
    xs = kata.projected_gradient_descent(lambda x: A @ x - b, kata.project_ball, np.zeros(n), 0.3, 300)
    x = xs[-1]
    g = A @ x - b
    assert_close(np.linalg.norm(x), 1.0, rtol=1e-8, atol=0, name="‖x*‖ (the constraint is active)", call="PGD(ball)")
    assert_close(-g / np.linalg.norm(g), x, rtol=0, atol=1e-6, name="−∇f(x*) along x* (KKT)", call="PGD(ball)")


def test_pgd_projects_the_start_and_validates(kata):
    xs = kata.projected_gradient_descent(lambda x: 0 * x, kata.project_simplex, np.array([3.0, 1.0]), 0.1, 0)
    assert_close(xs, [[1.0, 0.0]], rtol=0, atol=1e-12, name="x_0 = project(x0)", call="projected_gradient_descent(n_steps=0)")
    for lr, steps in ((0.0, 3), (0.1, -1)):
        with pytest.raises(ValueError):
            kata.projected_gradient_descent(lambda x: x, kata.project_ball, np.ones(2), lr, steps)
            pytest.fail(f"projected_gradient_descent(lr={lr}, n_steps={steps}) returned instead of raising ValueError")
    for fn, args in ((kata.project_simplex, (np.array([]),)), (kata.project_simplex, (np.ones((2, 2)),)),
                     (kata.project_ball, (np.ones(2), 0.0))):
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{fn.__name__}{args} returned instead of raising ValueError")

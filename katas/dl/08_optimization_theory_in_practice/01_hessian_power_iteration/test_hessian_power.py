"""Tests for dl-08-1, Hessian-vector products and power iteration.

References: torch.autograd.functional.hessian and torch.linalg.eigh on small MLP losses (the full
Hessian, affordable at a few dozen parameters); quadratics ½ xᵀAx whose Hessian is A; and the
stability threshold of gradient descent, lr < 2/λ_max, measured by running it.
"""
import torch
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def mlp_loss(seed: int, n_in: int = 2, hidden: int = 3):
    """A tiny tanh MLP's mean squared error on fixed data, as a function of its flat parameters."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(8, n_in, generator=g, dtype=torch.float64)
    y = torch.randn(8, generator=g, dtype=torch.float64)
    sizes = [(hidden, n_in), (hidden,), (1, hidden), (1,)]
    P = sum(int(torch.tensor(s).prod()) for s in sizes)

    def loss(theta: torch.Tensor) -> torch.Tensor:
        parts, i = [], 0
        for s in sizes:
            k = int(torch.tensor(s).prod())
            parts.append(theta[i:i + k].reshape(s))
            i += k
        W1, b1, W2, b2 = parts
        return ((torch.tanh(X @ W1.T + b1) @ W2.T + b2).squeeze(-1) - y).pow(2).mean()

    theta = torch.randn(P, generator=g, dtype=torch.float64)
    return loss, theta


@given(seed=seeds())
def test_hvp_matches_the_full_hessian(kata, seed):
    loss, theta = mlp_loss(seed)
    v = torch.randn(theta.numel(), generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    call = describe_call("hvp", "MLP loss", theta, v)
    got = call_unmodified(kata.hvp, loss, theta, v, fn_name="hvp")
    H = torch.autograd.functional.hessian(loss, theta)
    assert_close(got, H @ v, rtol=1e-9, atol=1e-11, name="H v (vs torch.autograd.functional.hessian)", call=call)


@given(seed=seeds(), d=st.integers(1, 6), negative=st.booleans())
@example(seed=0, d=3, negative=True)
def test_power_iteration_on_a_quadratic(kata, seed, d, negative):
    """½ xᵀ A x has Hessian A everywhere; eigenvalues spread so that the top one is well separated."""
    g = torch.Generator().manual_seed(seed)
    Q = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))[0]
    eig = torch.linspace(0.2, 1.0, d, dtype=torch.float64) * 3
    if negative:
        eig[-1] = -eig[-1]  # the largest magnitude is a negative curvature
    A = Q @ torch.diag(eig) @ Q.T

    def quad(x: torch.Tensor) -> torch.Tensor:
        return 0.5 * x @ A @ x

    theta = torch.randn(d, generator=g, dtype=torch.float64)
    lam, v = kata.top_hessian_eigenvalue(quad, theta, iters=500, tol=1e-13, seed=seed)
    call = describe_call("top_hessian_eigenvalue(½ xᵀAx, iters=500, tol=1e-13)", theta)
    assert_close(lam, float(eig[-1]), rtol=1e-6, atol=1e-9, name="λ of largest magnitude (sign kept)", call=call)
    assert_close(float(v.norm()), 1.0, rtol=1e-9, atol=0, name="‖v‖", call=call)
    assert_close(float((A @ v - lam * v).norm()), 0.0, rtol=0, atol=1e-3, name="‖A v − λ v‖", call=call)


@settings(max_examples=10)
@given(seed=seeds())
def test_power_iteration_matches_eigh_on_an_mlp(kata, seed):
    loss, theta = mlp_loss(seed)
    evals = torch.linalg.eigvalsh(torch.autograd.functional.hessian(loss, theta))
    mags = evals.abs().sort(descending=True).values
    assume(mags[1] < 0.9 * mags[0])  # a spectral gap: power iteration converges within the budget
    top = evals[evals.abs().argmax()]
    lam, _ = kata.top_hessian_eigenvalue(loss, theta, iters=1000, tol=1e-12, seed=seed)
    assert_close(lam, float(top), rtol=1e-5, atol=1e-8, name="top eigenvalue (vs eigh of the full Hessian)",
                 call=describe_call("top_hessian_eigenvalue(MLP loss, iters=1000)", theta))


@given(seed=seeds(), iters=st.integers(1, 3))
def test_iters_bounds_the_work_and_seed_sets_the_start(kata, seed, iters):
    """With iters = 1 the result is the Rayleigh quotient of the seeded start vector."""
    g = torch.Generator().manual_seed(seed + 7)
    A = torch.diag(torch.tensor([3.0, 1.0, -0.5], dtype=torch.float64))

    def quad(x: torch.Tensor) -> torch.Tensor:
        return 0.5 * x @ A @ x

    v = torch.randn(3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    v = v / v.norm()
    lam = None
    for _ in range(iters):
        w = A @ v
        lam = float(v @ w)
        v = w / w.norm()
    got, _ = kata.top_hessian_eigenvalue(quad, torch.randn(3, generator=g, dtype=torch.float64), iters=iters,
                                         tol=0.0, seed=seed)
    assert_close(got, lam, rtol=1e-10, atol=1e-12, name=f"λ after exactly {iters} product(s) from the seeded start",
                 call=describe_call(f"top_hessian_eigenvalue(iters={iters}, tol=0, seed={seed})"))


@given(seed=seeds(), tol=st.sampled_from([1e-3, 0.05, 0.3]))
@example(seed=0, tol=0.3)
def test_tol_stops_the_iteration_early(kata, seed, tol):
    """A loose tol stops the power iteration as soon as λ moves by at most tol·|λ|, before it has
    converged: the returned λ is that iterate's, as a twin of the documented loop computes it."""
    A = torch.diag(torch.tensor([3.0, 2.5, -0.5], dtype=torch.float64))  # ratio 5/6: slow convergence

    def quad(x: torch.Tensor) -> torch.Tensor:
        return 0.5 * x @ A @ x

    v = torch.randn(3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    v = v / v.norm()
    lam = None
    for _ in range(200):
        w = A @ v
        new = float(v @ w)
        v = w / w.norm()
        if lam is not None and abs(new - lam) <= tol * abs(new):
            lam = new
            break
        lam = new
    got, _ = kata.top_hessian_eigenvalue(quad, torch.ones(3, dtype=torch.float64), iters=200, tol=tol, seed=seed)
    assert_close(got, lam, rtol=1e-9, atol=1e-12, name=f"λ where the change first falls to tol·|λ| (tol={tol})",
                 call=describe_call(f"top_hessian_eigenvalue(iters=200, tol={tol}, seed={seed})"))


@given(a=st.sampled_from([1.0, -1.0, 2.5, 0.0]), seed=seeds())
@example(a=1.0, seed=0)   # ‖H v‖ = 1 exactly: still the eigenvalue 1, not a zero Hessian
@example(a=0.0, seed=1)   # a zero Hessian (a linear loss): λ = 0 and any unit v
def test_one_parameter_and_flat_losses(kata, a, seed):
    """P = 1: H = [a], every unit v is an eigenvector, λ = a exactly, and λ stops changing after the
    second product, so even tol = 0 stops at once (a call count far below iters)."""
    calls = []

    def loss(x: torch.Tensor) -> torch.Tensor:
        calls.append(1)
        return 0.5 * a * x @ x + 0.7 * x.sum()

    for P in (1, 3) if a == 0.0 else (1,):
        calls.clear()
        call = describe_call(f"top_hessian_eigenvalue(½·{a}·xᵀx + 0.7·Σx, iters=500, tol=0, seed={seed}), P={P}")
        lam, v = kata.top_hessian_eigenvalue(loss, torch.full((P,), 0.3, dtype=torch.float64), iters=500, tol=0.0,
                                             seed=seed)
        assert_close(lam, a, rtol=0, atol=1e-12, name="λ", call=call)
        assert_close(float(v.norm()), 1.0, rtol=1e-12, atol=0, name="‖v‖ (a unit vector, not nan)", call=call)
        assert len(calls) <= 50, (f"{call}: loss evaluated {len(calls)} times; λ no longer changes after the "
                                  "second product, so a change ≤ tol·|λ| = 0 must stop the iteration")


@given(seed=seeds(), factor=st.sampled_from([0.9, 1.1]))
def test_sharpness_sets_the_largest_stable_learning_rate(kata, seed, factor):
    """Measured: gradient descent on ½ xᵀAx converges when lr < 2/λ_max and blows up above it."""
    g = torch.Generator().manual_seed(seed)
    Q = torch.linalg.qr(torch.randn(4, 4, generator=g, dtype=torch.float64))[0]
    A = Q @ torch.diag(torch.tensor([0.5, 1.0, 2.0, 10.0], dtype=torch.float64)) @ Q.T

    def quad(x: torch.Tensor) -> torch.Tensor:
        return 0.5 * x @ A @ x

    x = torch.randn(4, generator=g, dtype=torch.float64)
    lam, _ = kata.top_hessian_eigenvalue(quad, x, iters=500, tol=1e-13, seed=seed)
    lr = factor * 2 / lam
    for _ in range(300):
        x = x - lr * (A @ x)
    blew_up = bool(x.norm() > 1e3)
    assert blew_up == (factor > 1), (f"with λ_max = {lam:.4g}, GD at lr = {factor} · 2/λ_max ended at ‖x‖ = "
                                     f"{float(x.norm()):.3g}: is λ_max right?")

"""Tests for ml-01-2, batch gradient descent for linear regression.

References: torch autograd and torch.optim.SGD on the full batch (the same loss, float64, step by
step); sklearn's LinearRegression for the minimiser GD must reach; numpy.linalg.eigvalsh for L, μ
and the textbook guarantees the loss curve must satisfy (monotone decrease for lr < 2/L, linear
convergence at rate max|1 - lr·λ|, divergence above 2/L).
"""
import numpy as np
import torch
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from sklearn.linear_model import LinearRegression

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

# torch.optim's first optimizer costs seconds of one-off imports: pay them at collection, not in a test.
torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)

# Everything is float64 and a few dozen steps long: the trajectories agree to rounding.
RTOL, ATOL = 1e-9, 1e-10


def data(seed: int, n: int, d: int, shift: float = 0.0, noise: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + shift * rng.uniform(-1, 1, size=d)
    y = X @ rng.uniform(-3, 3, size=d) + rng.uniform(-3, 3) + noise * rng.normal(size=n)
    return X, y


def design(X: np.ndarray, fit_intercept: bool) -> np.ndarray:
    return np.column_stack([X, np.ones(len(X))]) if fit_intercept else X


def hessian_eigenvalues(X: np.ndarray, fit_intercept: bool) -> np.ndarray:
    Xt = design(X, fit_intercept)
    return np.linalg.eigvalsh(Xt.T @ Xt / len(X))


def torch_gd(X: np.ndarray, y: np.ndarray, lr: float, steps: int, fit_intercept: bool):
    """Losses, gradient norms and final parameters of torch.optim.SGD on the full batch."""
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    w = torch.zeros(X.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=fit_intercept)
    params = [w, b] if fit_intercept else [w]
    opt = torch.optim.SGD(params, lr=lr)
    losses, norms = [], []
    for k in range(steps + 1):
        opt.zero_grad()
        loss = 0.5 * torch.mean((Xt @ w + b - yt) ** 2)
        loss.backward()
        losses.append(loss.item())
        norms.append(torch.sqrt(sum((p.grad ** 2).sum() for p in params)).item())
        if k < steps:
            opt.step()
    return np.array(losses), np.array(norms), w.detach().numpy(), b.detach().item()


def ols_optimum(X: np.ndarray, y: np.ndarray, fit_intercept: bool) -> tuple[np.ndarray, float, float]:
    ref = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    r = X @ ref.coef_ + ref.intercept_ - y
    return ref.coef_, float(ref.intercept_), float(r @ r / (2 * len(y)))


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(1, 5))
@example(seed=0, n=1, d=1)
def test_loss_and_gradient_match_autograd(kata, seed, n, d):
    X, y = data(seed, n, d, shift=3.0)
    rng = np.random.default_rng(seed + 1)
    w, b = rng.normal(size=d), float(rng.normal())
    call = describe_call("loss_and_gradient", X, y, w, b)
    loss, gw, gb = call_unmodified(kata.loss_and_gradient, X, y, w, b)
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    ref = 0.5 * torch.mean((torch.from_numpy(X) @ wt + bt - torch.from_numpy(y)) ** 2)
    ref.backward()
    assert_close(loss, ref.item(), rtol=RTOL, atol=ATOL, name="loss J = 1/(2n)‖Xw + b - y‖²", call=call)
    assert_shape(gw, (d,), name="grad_w", call=call)
    assert_close(gw, wt.grad, rtol=RTOL, atol=ATOL, name="grad_w", call=call)
    assert_close(gb, bt.grad, rtol=RTOL, atol=ATOL, name="grad_b", call=call)


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(1, 5), fit_intercept=st.booleans(),
       shift=st.sampled_from([0.0, 5.0]))
@example(seed=1, n=1, d=1, fit_intercept=True, shift=0.0)
def test_lipschitz_constant_is_the_largest_hessian_eigenvalue(kata, seed, n, d, fit_intercept, shift):
    X, _ = data(seed, n, d, shift=shift)
    call = describe_call("lipschitz_constant", X, fit_intercept=fit_intercept)
    want = hessian_eigenvalues(X, fit_intercept)[-1]
    assert_close(kata.lipschitz_constant(X, fit_intercept=fit_intercept), want, rtol=1e-10, atol=0,
                 name="L = λ_max(X̃ᵀX̃ / n)", call=call)


@given(seed=seeds(), n=st.integers(2, 30), d=st.integers(1, 4), steps=st.integers(0, 20),
       frac=st.floats(0.1, 0.95), fit_intercept=st.booleans())
@example(seed=2, n=5, d=2, steps=0, frac=0.5, fit_intercept=True)  # no step: only the start point
@example(seed=3, n=10, d=3, steps=1, frac=0.9, fit_intercept=True)
def test_trajectory_matches_torch_sgd(kata, seed, n, d, steps, frac, fit_intercept):
    X, y = data(seed, n, d, shift=2.0)
    lr = float(frac * 2 / hessian_eigenvalues(X, fit_intercept)[-1])
    # tol = -1 can never be reached, so exactly max_iter steps run (with tol = 0, a step that lands on
    # the optimum with a gradient of exactly 0, e.g. d = 1 at lr = 1/L, would end the run early).
    call = describe_call("batch_gradient_descent", X, y, lr=lr, max_iter=steps, tol=-1.0, fit_intercept=fit_intercept)
    got = call_unmodified(kata.batch_gradient_descent, X, y, lr=lr, max_iter=steps, tol=-1.0, fit_intercept=fit_intercept)
    losses, norms, w, b = torch_gd(X, y, lr, steps, fit_intercept)
    assert got.n_iter == steps, f"{call} took {got.n_iter} steps; expected max_iter={steps}"
    assert len(got.losses) == steps + 1, (
        f"{call}: {len(got.losses)} losses for {steps} steps; record the start point too (n_iter + 1 entries)")
    assert_close(got.losses, losses, rtol=RTOL, atol=ATOL, name="losses (vs torch.optim.SGD)", call=call)
    assert_close(got.grad_norms, norms, rtol=RTOL, atol=ATOL, name="grad_norms (vs torch autograd)", call=call)
    assert_close(got.coef, w, rtol=RTOL, atol=ATOL, name="coef", call=call)
    assert_close(got.intercept, b, rtol=RTOL, atol=ATOL, name="intercept", call=call)
    assert not got.converged, f"{call}: converged={got.converged!r}, but no gradient norm can be <= tol = -1"


@given(seed=seeds(), n=st.integers(3, 40), d=st.integers(1, 4), frac=st.floats(0.05, 0.99),
       shift=st.sampled_from([0.0, 3.0]), fit_intercept=st.booleans())
@example(seed=4, n=20, d=3, frac=0.99, shift=3.0, fit_intercept=True)  # just below 2/L: oscillating but falling
def test_loss_falls_monotonically_at_the_guaranteed_linear_rate(kata, seed, n, d, frac, shift, fit_intercept):
    """For lr < 2/L: J(w_k) - J* <= ρ^(2k) (J(w_0) - J*) with ρ = max_i |1 - lr·λ_i| < 1."""
    X, y = data(seed, n, d, shift=shift)
    lam = hessian_eigenvalues(X, fit_intercept)
    assume(lam[0] > 1e-3 * lam[-1])  # a strictly convex problem, so J* is unique and ρ < 1
    lr = float(frac * 2 / lam[-1])
    call = describe_call("batch_gradient_descent", X, y, lr=lr, max_iter=60, fit_intercept=fit_intercept)
    got = kata.batch_gradient_descent(X, y, lr=lr, max_iter=60, fit_intercept=fit_intercept)
    losses = np.asarray(got.losses)
    # Equal losses may differ by rounding once GD has converged: 1e-12 relative to J_0.
    slack = 1e-12 * max(losses[0], 1.0)
    rises = np.flatnonzero(np.diff(losses) > slack)
    assert rises.size == 0, (f"{call}: lr = {frac:.3g}·2/L, yet the loss rose at step {rises[0]}: "
                             f"{losses[rises[0]]:.6g} -> {losses[rises[0] + 1]:.6g}")
    rho = np.max(np.abs(1 - lr * lam))
    Xt = design(X, fit_intercept)
    r_star = Xt @ np.linalg.lstsq(Xt, y, rcond=None)[0] - y
    j_star = r_star @ r_star / (2 * n)
    bound = rho ** (2 * np.arange(len(losses))) * (losses[0] - j_star) + j_star
    over = np.flatnonzero(losses > bound + slack)
    assert over.size == 0, (f"{call}: at step {over[0]} the loss {losses[over[0]]:.6g} is above the guaranteed "
                            f"{bound[over[0]]:.6g} (J* = {j_star:.6g}, rate ρ = {rho:.4f})")


@given(seed=seeds(), n=st.integers(10, 40), d=st.integers(1, 4), fit_intercept=st.booleans(),
       noise=st.sampled_from([0.0, 0.5, 3.0]))
@example(seed=5, n=10, d=4, fit_intercept=True, noise=0.0)
def test_converges_to_the_ols_solution(kata, seed, n, d, fit_intercept, noise):
    X, y = data(seed, n, d, noise=noise)
    lam = hessian_eigenvalues(X, fit_intercept)
    assume(lam[0] > lam[-1] / 40)  # condition number <= 40: converges within ~1000 steps at lr = 1/L
    tol, lr = 1e-9, float(1 / lam[-1])
    call = describe_call("batch_gradient_descent", X, y, lr=lr, max_iter=5000, tol=tol, fit_intercept=fit_intercept)
    got = kata.batch_gradient_descent(X, y, lr=lr, max_iter=5000, tol=tol, fit_intercept=fit_intercept)
    norms = np.asarray(got.grad_norms)
    assert got.converged and norms[-1] <= tol, f"{call} did not converge: last gradient norm {norms[-1]:.3g}"
    assert np.all(norms[:-1] > tol), (
        f"{call}: grad_norms[{int(np.argmax(norms <= tol))}] <= tol already, but it went on to step {got.n_iter}: "
        "check the tolerance before stepping")
    assert len(norms) == got.n_iter + 1, (
        f"{call}: {len(norms)} gradient norms for n_iter={got.n_iter}; expected n_iter + 1 (one per iterate, the "
        "start point included). Did it step once more after recording the last point?")
    w_star, b_star, _ = ols_optimum(X, y, fit_intercept)
    # Strong convexity: ‖θ - θ*‖ <= ‖∇J(θ)‖ / μ with μ = λ_min; twice that covers sklearn's rounding.
    err = 2 * tol / lam[0] + 1e-10
    assert_close(got.coef, w_star, rtol=0, atol=err, name="coef (vs LinearRegression)", call=call)
    assert_close(got.intercept, b_star, rtol=0, atol=err, name="intercept (vs LinearRegression)", call=call)


@given(seed=seeds(), n=st.integers(2, 30), d=st.integers(1, 4), stop=st.integers(0, 8), fit_intercept=st.booleans())
@example(seed=6, n=2, d=1, stop=0, fit_intercept=True)  # tol equal to the very first gradient norm: no step at all
@example(seed=7, n=12, d=3, stop=5, fit_intercept=False)
def test_tol_is_inclusive(kata, seed, n, d, stop, fit_intercept):
    """A gradient norm exactly equal to tol counts as converged ("<= tol"): the run stops right there."""
    X, y = data(seed, n, d, shift=2.0)
    lr = float(0.5 / hessian_eigenvalues(X, fit_intercept)[-1])
    free = kata.batch_gradient_descent(X, y, lr=lr, max_iter=stop, tol=-1.0, fit_intercept=fit_intercept)
    norms = np.asarray(free.grad_norms)
    first = int(np.argmax(norms <= norms[-1]))  # the first iterate whose norm is at most the last one
    tol = float(norms[-1])
    call = describe_call("batch_gradient_descent", X, y, lr=lr, max_iter=stop + 5, tol=tol, fit_intercept=fit_intercept)
    got = kata.batch_gradient_descent(X, y, lr=lr, max_iter=stop + 5, tol=tol, fit_intercept=fit_intercept)
    assert got.n_iter == first and got.converged, (
        f"{call}: grad_norms[{first}] == tol exactly, so the run should stop there with converged=True; it took "
        f"{got.n_iter} steps, converged={got.converged!r}. The test is `norm <= tol`, not `norm < tol`")


@given(seed=seeds(), n=st.integers(3, 30), d=st.integers(1, 4), frac=st.floats(1.25, 2.0))
def test_step_above_2_over_L_diverges(kata, seed, n, d, frac):
    """lr = frac·2/L > 2/L: the error along the top eigenvector grows by |1 - lr·L| > 1 per step."""
    X, y = data(seed, n, d, shift=1.0)
    lam, vecs = np.linalg.eigh(design(X, True).T @ design(X, True) / n)
    w_star, b_star, _ = ols_optimum(X, y, True)
    # The start point's error must have a component along the top eigenvector to blow up.
    assume(abs(vecs[:, -1] @ np.append(w_star, b_star)) > 1e-2)
    lr = float(frac * 2 / lam[-1])
    call = describe_call("batch_gradient_descent", X, y, lr=lr, max_iter=40)
    with np.errstate(all="ignore"):
        got = kata.batch_gradient_descent(X, y, lr=lr, max_iter=40)
    losses = np.asarray(got.losses)
    assert not got.converged, f"{call} claims convergence at lr = {frac:.3g}·2/L"
    assert losses[-1] > 100 * losses[0], (
        f"{call}: lr = {frac:.3g}·2/L should diverge, but the loss went {losses[0]:.4g} -> {losses[-1]:.4g}")


@settings(max_examples=5)  # drawing a Figure costs ~0.1 s; a few examples check the structure
@given(seed=seeds(), steps=st.integers(1, 30))
def test_plot_loss_curve_draws_both_diagnostics(kata, seed, steps):
    X, y = data(seed, 12, 2)
    lr = 1 / hessian_eigenvalues(X, True)[-1]
    result = kata.batch_gradient_descent(X, y, lr=lr, max_iter=steps)
    fig = kata.plot_loss_curve(result)
    call = describe_call("plot_loss_curve", result)
    assert isinstance(fig, Figure), f"{call} returned {type(fig).__name__}, expected a matplotlib Figure"
    axes = fig.get_axes()
    assert len(axes) == 2, f"{call}: {len(axes)} axes, expected 2 (loss, gradient norm)"
    for ax, series, label in zip(axes, (result.losses, result.grad_norms), ("loss", "gradient norm"), strict=True):
        lines = ax.get_lines()
        assert len(lines) == 1, f"{call}: the {label} axes has {len(lines)} lines, expected 1"
        assert_equal(lines[0].get_xdata(), np.arange(steps + 1), name=f"x data of the {label} line", call=call)
        assert_close(lines[0].get_ydata(), series, rtol=0, atol=0, name=f"y data of the {label} line", call=call)
        assert ax.get_yscale() == "log", (
            f"{call}: the {label} axes uses a {ax.get_yscale()} y scale; use log, where linear convergence is a "
            "straight line")
        assert ax.get_xlabel() == "iteration" and ax.get_ylabel() == label, (
            f"{call}: the {label} axes is labelled x={ax.get_xlabel()!r}, y={ax.get_ylabel()!r}; expected "
            f"x='iteration', y={label!r}")

"""Tests for rl-03-5, TRPO's conjugate gradient and backtracking KL line search.

References: numpy.linalg.solve for conjugate gradient run to n iterations on drawn SPD matrices; for
k < n iterations, the exact Krylov-subspace minimiser (CG's k-th iterate minimises the A-norm error
over span{b, Ab, ..., A^(k-1) b}) computed with numpy; the Fisher-vector product against the full
Hessian of the KL from torch.autograd.functional.hessian; the natural step's quadratic KL equal to
max_kl; and the line search replayed, on a tabular softmax policy, with the KL constraint checked.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_no_alias, call_unmodified, describe_call


def spd(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, n))
    return M @ M.T + 0.5 * np.eye(n), rng.normal(size=n)


def counting(A: np.ndarray) -> tuple:
    calls = []

    def Avp(v: torch.Tensor) -> torch.Tensor:
        calls.append(1)
        return torch.as_tensor(A) @ v
    return Avp, calls


@given(n=st.integers(1, 7), seed=seeds(), extra=st.integers(0, 3))
def test_cg_solves_spd_systems(kata, n, seed, extra):
    A, b = spd(seed, n)
    Avp, calls = counting(A)
    bt = torch.as_tensor(b)
    call = describe_call("conjugate_gradient", "A @ v", bt, iters=2 * n + extra, residual_tol=1e-20)
    x = call_unmodified(kata.conjugate_gradient, Avp, bt, iters=2 * n + extra, residual_tol=1e-20,
                        fn_name="conjugate_gradient")
    # CG is exact after n steps in exact arithmetic; with a condition number up to ~1e3 the float64 error is tiny.
    assert_close(x, np.linalg.solve(A, b), rtol=1e-6, atol=1e-8, name="x (vs numpy.linalg.solve)", call=call)
    assert len(calls) <= 2 * n + extra, f"{call} called Avp {len(calls)} times, more than iters={2 * n + extra}"


@given(n=st.integers(2, 6), seed=seeds(), data=st.data())
def test_cg_iterates_minimise_over_the_krylov_subspace(kata, n, seed, data):
    k = data.draw(st.integers(1, n - 1), label="iters")
    A, b = spd(seed, n)
    K = np.stack([np.linalg.matrix_power(A, j) @ b for j in range(k)], axis=1)
    Q, _ = np.linalg.qr(K)
    want = Q @ np.linalg.solve(Q.T @ A @ Q, Q.T @ b)
    Avp, calls = counting(A)
    call = describe_call("conjugate_gradient", "A @ v", b, iters=k, residual_tol=1e-20)
    x = kata.conjugate_gradient(Avp, torch.as_tensor(b), iters=k, residual_tol=1e-20)
    assert_close(x, want, rtol=1e-5, atol=1e-7,
                 name=f"x after {k} iterations from x0 = 0 (vs the A-norm minimiser over the order-{k} Krylov subspace)",
                 call=call)
    assert len(calls) == k, f"{call} called Avp {len(calls)} times, expected exactly {k} (one per iteration)"


@given(seed=seeds(), scale=st.sampled_from([1e-4, 1e-8]))
def test_cg_stops_when_the_residual_is_small(kata, seed, scale):
    A, b = spd(seed, 4)
    b = b / np.linalg.norm(b) * scale  # r.r = scale^2 < residual_tol at the start
    Avp, calls = counting(A)
    x = kata.conjugate_gradient(Avp, torch.as_tensor(b), iters=10, residual_tol=scale)
    assert len(calls) == 0 and torch.all(x == 0), (
        f"conjugate_gradient with r.r = {scale ** 2:g} < residual_tol = {scale:g} at x0 = 0 should stop before any "
        f"iteration and return zeros; it made {len(calls)} products and returned {x.tolist()}")


def test_cg_iterates_when_the_residual_equals_the_tolerance(kata):
    """r.r = 1 exactly (b = [0.5] * 4) and residual_tol = 1: the stop rule r.r < residual_tol is strict, so CG
    makes its one iteration, x = (b.b / b.Ab) b."""
    A, _ = spd(3, 4)
    b = np.full(4, 0.5)
    Avp, calls = counting(A)
    x = kata.conjugate_gradient(Avp, torch.as_tensor(b), iters=1, residual_tol=1.0)
    assert len(calls) == 1, (f"conjugate_gradient(A @ v, b = [0.5] * 4, iters=1, residual_tol=1.0): r.r = 1.0 is not "
                             f"< residual_tol, so one iteration is due; it made {len(calls)} products")
    assert_close(x, (b @ b) / (b @ A @ b) * b, rtol=1e-12, atol=1e-14, name="x after one iteration",
                 call="conjugate_gradient(A @ v, b = [0.5] * 4, iters=1, residual_tol=1.0)")


def test_cg_rejects_zero_iterations(kata):
    with pytest.raises(ValueError):
        kata.conjugate_gradient(lambda v: v, torch.ones(2), iters=0)


def policy_problem(seed: int, n_s: int, n_a: int) -> dict:
    g = torch.Generator().manual_seed(seed)
    theta_old = torch.randn(n_s * n_a, generator=g, dtype=torch.float64)
    states = torch.randint(n_s, (32,), generator=g)
    actions = torch.randint(n_a, (32,), generator=g)
    adv = torch.randn(32, generator=g, dtype=torch.float64)
    old_logp = torch.log_softmax(theta_old.view(n_s, n_a), -1)

    def kl(theta: torch.Tensor) -> torch.Tensor:  # mean over states of KL(pi_old || pi_theta)
        logp = torch.log_softmax(theta.view(n_s, n_a), -1)
        return (old_logp.exp() * (old_logp - logp)).sum(-1).mean()

    def loss(theta: torch.Tensor) -> torch.Tensor:  # the negated importance-weighted surrogate
        logp = torch.log_softmax(theta.view(n_s, n_a), -1)
        return -(torch.exp(logp[states, actions] - old_logp[states, actions]) * adv).mean()

    return {"theta": theta_old, "kl": kl, "loss": loss}


@given(seed=seeds(), n_s=st.integers(1, 3), n_a=st.integers(2, 3), damping=st.sampled_from([0.0, 0.1]),
       at_old=st.booleans())
def test_fisher_vector_product_matches_the_kl_hessian(kata, seed, n_s, n_a, damping, at_old):
    p = policy_problem(seed, n_s, n_a)
    theta = p["theta"] if at_old else p["theta"] + 0.3
    v = torch.randn(n_s * n_a, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    H = torch.autograd.functional.hessian(p["kl"], theta)
    call = describe_call("fisher_vector_product", "kl", theta, v, damping=damping)
    got = call_unmodified(kata.fisher_vector_product, p["kl"], theta, v, damping=damping,
                          fn_name="fisher_vector_product")
    assert_close(got, H @ v + damping * v, rtol=1e-9, atol=1e-11,
                 name="F v (Hessian of the KL times v, plus damping * v)", call=call)


@given(seed=seeds(), n_s=st.integers(1, 3), max_kl=st.sampled_from([0.01, 0.05]) | st.floats(1e-4, 0.1),
       full_cg=st.booleans())
def test_natural_step_hits_the_kl_budget(kata, seed, n_s, max_kl, full_cg):
    n_a = 3
    p = policy_problem(seed, n_s, n_a)
    theta = p["theta"].clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(-p["loss"](theta), theta)
    F = torch.autograd.functional.hessian(p["kl"], p["theta"]) + 1e-3 * torch.eye(n_s * n_a, dtype=torch.float64)
    Fvp = lambda v: F @ v
    iters = n_s * n_a if full_cg else 1
    call = describe_call("natural_step", grad, "F v", max_kl, cg_iters=iters)
    step = kata.natural_step(grad, Fvp, max_kl, cg_iters=iters)
    assert_close(0.5 * step @ F @ step, max_kl, rtol=1e-8, atol=0,
                 name="quadratic KL 0.5 s^T F s of the step (must equal max_kl)", call=call)
    direction = torch.linalg.solve(F, grad) if full_cg else grad
    cos = float(step @ direction / (step.norm() * direction.norm()))
    assert cos > 1 - 1e-6, (f"{call}: the step is not along {'F^-1 g' if full_cg else 'g (one CG iteration)'}: "
                            f"cosine {cos:.6f}")


@given(max_kl=st.sampled_from([0.0, -0.01, -1.0]))
def test_natural_step_rejects_non_positive_max_kl(kata, max_kl):
    with pytest.raises(ValueError):
        kata.natural_step(torch.ones(2, dtype=torch.float64), lambda v: v, max_kl)


# One parameter t, full step 1: candidate t = frac exactly (frac = 1, 1/2, 1/4, ... is exact in float64).
# case: (loss slope, max_kl, expected_improve, max_backtracks, accept_ratio, accepted frac)
LINE_SEARCH_CASES = {
    "kl exactly max_kl is allowed": (-1.0, 1.0, 1.0, 10, 0.1, 1.0),
    "accepted on the last try": (-1.0, 1 / 64, 1.0, 4, 0.1, 0.125),  # kl = frac^2 <= 1/64 first at frac = 1/8
    "one try short": (-1.0, 1 / 64, 1.0, 3, 0.1, 0.0),
    "improvement exactly accept_ratio * frac * expected": (-1.0, 1.0, 1.0, 10, 1.0, 1.0),
    "improvement below accept_ratio * frac * expected": (-0.5, 1.0, 1.0, 10, 0.9, 0.0),
    "no improvement (improvement = 0 is not > 0)": (0.0, 1.0, 1.0, 10, 0.0, 0.0),
    "the loss got worse (expected_improve < 0)": (0.25, 1.0, -1.0, 10, 1.0, 0.0),
}


@given(case=st.sampled_from(sorted(LINE_SEARCH_CASES)))
def test_line_search_boundaries(kata, case):
    """The accept rule at its edges, on a one-parameter problem: loss(t) = slope * t, kl(t) = t^2."""
    slope, max_kl, expected, max_backtracks, accept_ratio, want = LINE_SEARCH_CASES[case]
    theta, step = torch.zeros(1, dtype=torch.float64), torch.ones(1, dtype=torch.float64)
    call = (f"backtracking_line_search(loss = {slope} * t, kl = t^2, theta=[0.], full_step=[1.], "
            f"expected_improve={expected}, max_kl={max_kl}, max_backtracks={max_backtracks}, "
            f"accept_ratio={accept_ratio})  [{case}]")
    new, frac = call_unmodified(kata.backtracking_line_search, lambda t: slope * t[0], lambda t: t[0] ** 2, theta,
                                step, expected, max_kl, max_backtracks=max_backtracks, accept_ratio=accept_ratio,
                                fn_name="backtracking_line_search")
    assert_equal(float(frac), want, name="accepted step fraction", call=call)
    assert_close(new, [want], rtol=0, atol=0, name="new parameters", call=call)
    if want == 0.0:
        assert_no_alias(new, theta, name="returned parameters (a copy of theta when nothing is accepted)", call=call)


def replay_line_search(loss, kl, theta, step, expected, max_kl, max_backtracks, accept_ratio) -> float:
    base, frac = loss(theta), 1.0
    for _ in range(max_backtracks):
        cand = theta + frac * step
        improve = base - loss(cand)
        if kl(cand) <= max_kl and improve > 0 and improve >= accept_ratio * frac * expected:
            return frac
        frac *= 0.5
    return 0.0


@settings(max_examples=20)
@given(seed=seeds(), n_s=st.integers(1, 3), step_kl=st.sampled_from([0.5, 0.05, 2.0]),
       max_kl=st.sampled_from([0.01, 0.001]), max_backtracks=st.integers(1, 12), accept_ratio=st.sampled_from([0.1, 0.0, 0.9]),
       uphill=st.booleans())
@example(seed=0, n_s=2, step_kl=2.0, max_kl=0.01, max_backtracks=10, accept_ratio=0.1, uphill=False)
@example(seed=0, n_s=2, step_kl=0.05, max_kl=0.01, max_backtracks=10, accept_ratio=0.1, uphill=True)  # all fail
def test_line_search_respects_the_kl_constraint(kata, seed, n_s, step_kl, max_kl, max_backtracks, accept_ratio,
                                                uphill):
    n_a = 3
    p = policy_problem(seed, n_s, n_a)
    theta = p["theta"].clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(-p["loss"](theta), theta)
    F = torch.autograd.functional.hessian(p["kl"], p["theta"]) + 1e-3 * torch.eye(n_s * n_a, dtype=torch.float64)
    s = torch.linalg.solve(F, grad)
    step = torch.sqrt(2 * step_kl / (s @ F @ s)) * s * (-1 if uphill else 1)
    expected = float(grad @ step)
    theta0 = p["theta"].clone()
    call = describe_call("backtracking_line_search", "loss", "kl", theta0, step, expected, max_kl,
                         max_backtracks=max_backtracks, accept_ratio=accept_ratio)
    new, frac = call_unmodified(kata.backtracking_line_search, p["loss"], p["kl"], theta0, step, expected, max_kl,
                                max_backtracks=max_backtracks, accept_ratio=accept_ratio,
                                fn_name="backtracking_line_search")
    want = replay_line_search(p["loss"], p["kl"], p["theta"], step, expected, max_kl, max_backtracks, accept_ratio)
    assert_equal(float(frac), want, name="accepted step fraction (first of 1, 1/2, 1/4, ... that passes; 0 if none)",
                 call=call)
    assert_close(new, p["theta"] + want * step, rtol=0, atol=1e-12, name="new parameters", call=call)
    if want > 0:
        assert float(p["kl"](new)) <= max_kl, f"{call}: KL {float(p['kl'](new)):.3g} exceeds max_kl {max_kl}"
        assert float(p["loss"](new)) < float(p["loss"](p["theta"])), f"{call}: the loss did not improve"

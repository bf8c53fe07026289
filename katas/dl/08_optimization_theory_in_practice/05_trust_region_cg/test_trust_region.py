"""Tests for dl-08-5, the trust-region step of TRPO.

References: numpy.linalg.solve for conjugate gradient; a softmax policy over a few actions for a
real constraint, with the exact mean KL between old and new action distributions and the Fisher of
that policy (so the quadratic model is an approximation and the line search has work to do); and
exact arithmetic of the step scaling and the backtracking schedule on quadratic toy problems.
"""
import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.special import log_softmax, softmax

from grader.strategies import seeds
from grader.testing import assert_close, assert_no_alias, call_unmodified, describe_call


def spd(seed: int, d: int, cond: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Q = np.linalg.qr(rng.standard_normal((d, d)))[0]
    return Q @ np.diag(np.geomspace(1.0, cond, d)) @ Q.T


@given(seed=seeds(), d=st.integers(1, 8), cond=st.sampled_from([1.0, 10.0, 1e3]))
@example(seed=0, d=5, cond=1e3)
def test_cg_solves_spd_systems(kata, seed, d, cond):
    A = spd(seed, d, cond)
    b = np.random.default_rng(seed + 1).standard_normal(d)
    call = describe_call(f"conjugate_gradient(iters={2 * d}, tol=1e-20)", "A @ v", b)
    x = call_unmodified(kata.conjugate_gradient, lambda v: A @ v, b, iters=2 * d, tol=1e-20, fn_name="conjugate_gradient")
    # CG is exact in d steps in exact arithmetic; 2d steps absorb rounding at condition 1e3.
    assert_close(x, np.linalg.solve(A, b), rtol=1e-6, atol=1e-8, name="x (vs numpy.linalg.solve)", call=call)


@given(seed=seeds(), d=st.integers(2, 6))
def test_cg_iters_bounds_the_work(kata, seed, d):
    """One CG iteration from x = 0 is the exact line search along b: x = (bᵀb / bᵀAb) b."""
    A = spd(seed, d, 10.0)
    b = np.random.default_rng(seed + 1).standard_normal(d)
    x = kata.conjugate_gradient(lambda v: A @ v, b, iters=1, tol=0.0)
    assert_close(x, (b @ b) / (b @ A @ b) * b, rtol=1e-10, atol=1e-12, name="x after one iteration",
                 call=describe_call("conjugate_gradient(iters=1)", "A @ v", b))


@given(case=st.sampled_from(["at tol", "below tol"]))
def test_cg_tol_stops_on_a_residual_below_it(kata, case):
    """b = (1, 2, 2): rᵀr = 9 exactly at x = 0. tol = 9 is not passed yet (one iteration, the line search
    along b); tol = 9.5 is, so x stays 0."""
    A = spd(3, 3, 10.0)
    b = np.array([1.0, 2.0, 2.0])
    tol = 9.0 if case == "at tol" else 9.5
    call = describe_call(f"conjugate_gradient(iters=1, tol={tol})", "A @ v", b)
    x = call_unmodified(kata.conjugate_gradient, lambda v: A @ v, b, iters=1, tol=tol, fn_name="conjugate_gradient")
    want = 9.0 / (b @ A @ b) * b if case == "at tol" else np.zeros(3)
    assert_close(x, want, rtol=1e-10, atol=1e-12, name=f"x (rᵀr = 9, tol = {tol}: strictly below stops)", call=call)


class SoftmaxPolicy:
    """π(a | s) = softmax(S_s θ) over K actions, for a few states; loss = −(advantage-weighted log-prob)."""

    def __init__(self, seed: int, n_states: int = 6, K: int = 3, d: int = 4) -> None:
        rng = np.random.default_rng(seed)
        self.S = rng.standard_normal((n_states, K, d))
        self.theta0 = rng.standard_normal(d) * 0.3
        self.actions = rng.integers(0, K, n_states)
        self.adv = rng.standard_normal(n_states)
        self.old = softmax(self.logits(self.theta0), axis=1)

    def logits(self, theta: np.ndarray) -> np.ndarray:
        return self.S @ theta

    def loss(self, theta: np.ndarray) -> float:  # the importance-weighted surrogate, negated
        p = softmax(self.logits(theta), axis=1)[np.arange(len(self.adv)), self.actions]
        return float(-np.mean(p / self.old[np.arange(len(self.adv)), self.actions] * self.adv))

    def grad(self, theta: np.ndarray, eps: float = 1e-6) -> np.ndarray:
        return np.array([(self.loss(theta + eps * e) - self.loss(theta - eps * e)) / (2 * eps)
                         for e in np.eye(len(theta))])

    def kl(self, theta: np.ndarray) -> float:  # mean KL(π_old ‖ π_new) over states
        lo, ln = log_softmax(self.logits(self.theta0), axis=1), log_softmax(self.logits(theta), axis=1)
        return float(np.mean(np.sum(np.exp(lo) * (lo - ln), axis=1)))

    def fvp(self, v: np.ndarray) -> np.ndarray:  # Fisher of the mean KL at θ0: mean Sᵀ (diag p − p pᵀ) S
        out = np.zeros_like(v)
        for Ss, p in zip(self.S, self.old, strict=True):
            out += Ss.T @ ((np.diag(p) - np.outer(p, p)) @ (Ss @ v))
        return out / len(self.S)


@given(seed=seeds(), max_kl=st.sampled_from([1e-3, 1e-2, 0.1, 0.5]))
@example(seed=1, max_kl=0.5)
def test_step_respects_the_kl_constraint_and_improves(kata, seed, max_kl):
    pol = SoftmaxPolicy(seed)
    theta = pol.theta0.copy()
    call = describe_call(f"trust_region_step(softmax policy, max_kl={max_kl})", theta)
    new, frac = call_unmodified(kata.trust_region_step, theta, pol.grad(theta), pol.fvp, pol.loss, pol.kl, max_kl,
                                fn_name="trust_region_step")
    if frac == 0.0:
        assert_close(new, theta, rtol=0, atol=0, name="θ when no step is accepted", call=call)
        return
    assert pol.kl(new) <= max_kl * (1 + 1e-12), f"{call}: KL(old ‖ new) = {pol.kl(new):.4g} > max_kl"
    assert pol.loss(new) < pol.loss(theta), f"{call}: the accepted step did not lower the surrogate loss"
    s = np.linalg.solve(np.stack([pol.fvp(e) for e in np.eye(4)], axis=1), -pol.grad(theta))
    full = np.sqrt(2 * max_kl / (s @ pol.fvp(s))) * s
    assert_close(new - theta, frac * full, rtol=1e-5, atol=1e-9, name="accepted step (f · β · F⁻¹(−g))", call=call)
    if frac < 1.0:  # the line search stops at the FIRST acceptable fraction: the previous one failed
        prev = theta + 2 * frac * full
        assert pol.kl(prev) > max_kl or pol.loss(prev) >= pol.loss(theta), (
            f"{call}: accepted fraction {frac}, but fraction {2 * frac} already satisfied the KL and improved the loss")


@given(seed=seeds(), d=st.integers(1, 5), max_kl=st.sampled_from([0.01, 0.1]),
       strict=st.sampled_from([0.5, 3, 20, 100, 500]), backtrack=st.sampled_from([0.5, 0.8]), one_cg=st.booleans())
@example(seed=2, d=3, max_kl=0.1, strict=100, backtrack=0.5, one_cg=False)  # f = 1/16 needs a 5th try: rejected
@example(seed=3, d=4, max_kl=0.1, strict=0.5, backtrack=0.5, one_cg=True)     # one CG step: the direction is −g
@example(seed=4, d=2, max_kl=0.01, strict=3, backtrack=0.8, one_cg=False)  # 0.8³ = 0.512, where 0.5 gives 0.5
def test_full_step_scaling_and_backtracking_schedule(kata, seed, d, max_kl, strict, backtrack, one_cg):
    """Quadratic KL = strict · ½ δᵀFδ: the full step has model KL exactly max_kl, so the first accepted
    fraction is the largest backtrack^j with backtrack^{2j} · strict <= 1 (none within 4 tries: rejected).
    No strict makes a try land exactly on the boundary (strict = 1 would, and rounding would decide).
    With cg_iters = 1 the direction is CG's first iterate, a multiple of −g, not −F⁻¹g."""
    F = spd(seed, d, 5.0)
    g = np.random.default_rng(seed + 1).standard_normal(d)
    theta = np.zeros(d)
    cg_iters = 1 if one_cg else 2 * d
    call = describe_call(f"trust_region_step(quadratic KL × {strict}, max_kl={max_kl}, backtrack={backtrack}, "
                         f"max_backtracks=3, cg_iters={cg_iters})", g)
    new, frac = call_unmodified(kata.trust_region_step, theta, g, lambda v: F @ v, lambda t: float(g @ t),
                                lambda t: strict * 0.5 * float(t @ F @ t), max_kl, backtrack=backtrack,
                                max_backtracks=3, cg_iters=cg_iters, fn_name="trust_region_step")
    want = next((backtrack ** j for j in range(4) if backtrack ** (2 * j) * strict <= 1 + 1e-9), 0.0)
    assert_close(frac, want, rtol=1e-12, atol=0, name="accepted fraction", call=call)
    assert_no_alias(new, theta, name="θ_new (a new array, a copy of theta when nothing is accepted)", call=call)
    if want > 0:
        step = new - theta
        assert_close(0.5 * step @ F @ step, want ** 2 * max_kl, rtol=1e-6, atol=1e-14,
                     name="½ Δθᵀ F Δθ (= f² · max_kl: the full step sits on the model's trust-region boundary)", call=call)
        s = -g if one_cg else np.linalg.solve(F, -g)
        assert_close(step, want * np.sqrt(2 * max_kl / (s @ F @ s)) * s, rtol=1e-6, atol=1e-12,
                     name="Δθ (f · β · s, s from cg_iters CG iterations)", call=call)
    else:
        assert_close(new, theta, rtol=0, atol=0, name="θ when no step is accepted", call=call)


def test_a_step_that_does_not_lower_the_loss_is_rejected(kata):
    """loss_fn(θ_try) < loss_fn(theta) is strict: on a loss that is flat along every try nothing is accepted."""
    F, g, theta = np.eye(2), np.array([1.0, -0.5]), np.array([0.3, 0.1])
    call = describe_call("trust_region_step(a flat loss_fn, max_kl=0.1)", theta, g)
    new, frac = call_unmodified(kata.trust_region_step, theta, g, lambda v: F @ v, lambda t: 1.0,
                                lambda t: 0.0, 0.1, fn_name="trust_region_step")
    assert_close(frac, 0.0, rtol=0, atol=0, name="accepted fraction (an equal loss is not lower)", call=call)
    assert_close(new, theta, rtol=0, atol=0, name="θ when no step is accepted", call=call)


def test_a_try_exactly_at_max_kl_is_accepted(kata):
    """kl_fn(θ_try) <= max_kl includes equality: a KL of exactly max_kl with a lower loss takes the full step."""
    F, g, theta = np.eye(2), np.array([1.0, -0.5]), np.array([0.3, 0.1])
    call = describe_call("trust_region_step(kl_fn ≡ max_kl = 0.125, loss_fn = gᵀθ)", theta, g)
    new, frac = call_unmodified(kata.trust_region_step, theta, g, lambda v: F @ v, lambda t: float(g @ t),
                                lambda t: 0.125, 0.125, fn_name="trust_region_step")
    assert_close(frac, 1.0, rtol=0, atol=0, name="accepted fraction (KL equal to max_kl is inside)", call=call)
    s = -g
    assert_close(new, theta + np.sqrt(2 * 0.125 / (s @ s)) * s, rtol=1e-12, atol=1e-15, name="θ_new (the full step)",
                 call=call)

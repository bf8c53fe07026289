"""Tests for arch-04-5, Wasserstein distances and Sinkhorn.

References: scipy.stats.wasserstein_distance (W_1, weighted); the exact optimal-transport linear
program solved by scipy.optimize.linprog (W_p for any p, and the limit of entropic OT as eps -> 0);
the Sinkhorn fixed point (row and column marginals, and log P + C / eps = f_i + g_j); the first
iteration written out in closed form.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.stats import wasserstein_distance

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def exact_ot(a: np.ndarray, b: np.ndarray, cost: np.ndarray) -> float:
    n, m = cost.shape
    rows = np.kron(np.eye(n), np.ones(m))
    cols = np.kron(np.ones(n), np.eye(m))
    res = linprog(cost.ravel(), A_eq=np.vstack([rows, cols]), b_eq=np.concatenate([a, b]), bounds=(0, None),
                  method="highs")
    assert res.status == 0, res.message
    return float(res.fun)


@st.composite
def samples(draw: st.DrawFn, weighted: bool) -> tuple[np.ndarray, np.ndarray | None]:
    n = draw(st.integers(1, 7))
    rng = np.random.default_rng(draw(seeds()))
    values = np.round(rng.standard_t(2, n) * 3, 1)   # heavy tails, and ties after rounding
    if not weighted or draw(st.booleans()):
        return values, None
    w = rng.integers(0, 4, n).astype(np.float64)
    if w.sum() == 0:
        w[0] = 1.0
    return values, w


@given(u=samples(True), v=samples(True))
@example(u=(np.array([0.0, 1.0, 3.0]), None), v=(np.array([5.0, 6.0, 8.0]), None))   # a pure shift: W1 = 5
@example(u=(np.array([0.0, 1.0]), np.array([1.0, 0.0])), v=(np.array([2.0]), None))   # a zero weight
def test_w1_matches_scipy(kata, u, v):
    (uv, uw), (vv, vw) = u, v
    call = describe_call("wasserstein_1d", uv, vv, uw, vw)
    got = call_unmodified(kata.wasserstein_1d, uv, vv, uw, vw, fn_name="wasserstein_1d")
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
    assert_close(got, wasserstein_distance(uv, vv, uw, vw), rtol=1e-9, atol=1e-9, call=call)


@settings(max_examples=20)
@given(u=samples(True), v=samples(True), p=st.sampled_from([1.0, 1.5, 2.0, 3.0]))
@example(u=(np.array([0.0, 4.0]), None), v=(np.array([1.0, 2.0]), None), p=2.0)   # sorted pairing: sqrt(5)
def test_wp_matches_the_linear_program(kata, u, v, p):
    (uv, uw), (vv, vw) = u, v
    a = np.ones(len(uv)) if uw is None else uw
    b = np.ones(len(vv)) if vw is None else vw
    want = exact_ot(a / a.sum(), b / b.sum(), np.abs(uv[:, None] - vv[None, :]) ** p) ** (1 / p)
    got = kata.wasserstein_1d(uv, vv, uw, vw, p=p)
    assert_close(got, want, rtol=1e-6, atol=1e-7, name=f"W_{p:g}",
                 call=describe_call("wasserstein_1d", uv, vv, uw, vw, p=p))


@given(bad=st.sampled_from(["p", "u_empty", "v_empty", "u_neg", "v_neg", "u_zero", "v_zero", "u_len", "v_len"]))
def test_wasserstein_rejects_bad_inputs(kata, bad):
    kw = {"u_values": np.array([0.0, 1.0]), "v_values": np.array([2.0]), "u_weights": np.array([1.0, 2.0]),
          "v_weights": None, "p": 1.0}
    kw.update({"p": {"p": 0.5}, "u_empty": {"u_values": np.array([]), "u_weights": None},
               "v_empty": {"v_values": np.array([])}, "u_neg": {"u_weights": np.array([2.0, -1.0])},
               "v_neg": {"v_weights": np.array([-1.0])}, "u_zero": {"u_weights": np.array([0.0, 0.0])},
               "v_zero": {"v_weights": np.array([0.0])}, "u_len": {"u_weights": np.array([1.0])},
               "v_len": {"v_weights": np.array([1.0, 1.0])}}[bad])
    with pytest.raises(ValueError):
        kata.wasserstein_1d(**kw)
        pytest.fail(f"wasserstein_1d with {bad} returned instead of raising ValueError")


@st.composite
def ot_problem(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positive marginals of equal mass and a squared-distance cost scaled to max 1."""
    rng = np.random.default_rng(draw(seeds()))
    n, m = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    a, b = rng.uniform(0.2, 1, n), rng.uniform(0.2, 1, m)
    mass = draw(st.sampled_from([1.0, 3.0]))
    x, y = rng.normal(size=(n, 2)), rng.normal(size=(m, 2))
    cost = ((x[:, None] - y[None]) ** 2).sum(-1)
    cost = cost / cost.max() if cost.max() > 0 else cost
    return a / a.sum() * mass, b / b.sum() * mass, cost


@given(prob=ot_problem(), eps=st.sampled_from([0.05, 0.3, 1.0, 5.0]))
def test_sinkhorn_plan_is_the_entropic_fixed_point(kata, prob, eps):
    a, b, cost = prob
    call = describe_call("sinkhorn", a, b, cost, eps)
    plan, iters = call_unmodified(kata.sinkhorn, a, b, cost, eps, fn_name="sinkhorn")
    assert 1 <= iters <= 1000, f"{call} reported {iters} iterations, expected 1 .. max_iter = 1000"
    assert_close(plan.sum(axis=0), b, rtol=0, atol=1e-9, name="column sums (exact after the g update)", call=call)
    assert_close(plan.sum(axis=1), a, rtol=0, atol=2e-9, name="row sums (within tol = 1e-9 at convergence)",
                 call=call)
    # Gibbs form: log P + C / eps = f_i + g_j, so its double-centred residual vanishes.
    z = np.log(plan) + cost / eps
    resid = z - z.mean(1, keepdims=True) - z.mean(0, keepdims=True) + z.mean()
    assert_close(resid, np.zeros_like(z), rtol=0, atol=1e-7, name="double-centred log P + C/eps (the plan is "
                 "not diag(u) K diag(v))", call=call)


@given(prob=ot_problem(), eps=st.sampled_from([0.1, 1.0]))
def test_one_iteration_in_closed_form(kata, prob, eps):
    a, b, cost = prob
    k = np.exp(-cost / eps)
    p1 = k * (a / k.sum(1))[:, None]              # f update: rows sum to a
    want = p1 * (b / p1.sum(0))[None, :]           # g update: columns sum to b
    plan, iters = kata.sinkhorn(a, b, cost, eps, max_iter=1)
    call = describe_call("sinkhorn", a, b, cost, eps, max_iter=1)
    assert iters == 1, f"{call} reported {iters} iterations"
    assert_close(plan, want, rtol=1e-9, atol=1e-12, name="plan after one (f, g) iteration from f = g = 0", call=call)
    plan, iters = kata.sinkhorn(a, b, cost, eps, tol=1e9)
    assert iters == 1, f"sinkhorn(..., tol=1e9) ran {iters} iterations; any plan meets that tolerance at once"
    assert_close(plan, want, rtol=1e-9, atol=1e-12, name="plan with a huge tol", call=call)


@settings(max_examples=15)
@given(prob=ot_problem(), eps=st.sampled_from([0.05, 0.2]))
def test_stops_at_the_first_iteration_within_tol(kata, prob, eps):
    a, b, cost = prob
    tol = 1e-6
    _, k = kata.sinkhorn(a, b, cost, eps, tol=tol)
    call = describe_call("sinkhorn", a, b, cost, eps, tol=tol)
    if k > 1:
        plan, k1 = kata.sinkhorn(a, b, cost, eps, max_iter=k - 1, tol=tol)
        assert k1 == k - 1, f"sinkhorn(max_iter={k - 1}) reported {k1} iterations"
        err = np.abs(plan.sum(1) - a).sum()
        assert err > tol, f"{call} ran {k} iterations, but after {k - 1} the row error {err:.3g} was already <= tol"


@settings(max_examples=10)
@given(prob=ot_problem(), eps=st.sampled_from([0.1, 0.03]))
def test_small_epsilon_approaches_exact_ot(kata, prob, eps):
    a, b, cost = prob
    plan, _ = kata.sinkhorn(a, b, cost, eps, max_iter=20000, tol=1e-8)
    call = describe_call("sinkhorn", a, b, cost, eps, max_iter=20000, tol=1e-8)
    n, m = cost.shape
    got, exact = float((plan * cost).sum()), exact_ot(a, b, cost)
    # <P_eps, C> - OT <= eps * (entropy of a x b) <= eps * mass * log(n m), plus the marginal slack.
    assert exact - 1e-6 <= got <= exact + eps * a.sum() * np.log(n * m) + 1e-6, (
        f"{call}: transport cost {got:.6g}, exact OT cost {exact:.6g}; the entropic plan's cost must lie within "
        f"eps * mass * log(nm) = {eps * a.sum() * np.log(n * m):.4g} above it")


@settings(max_examples=10)
@given(prob=ot_problem(), shift=st.sampled_from([60.0, 200.0]))
def test_adding_a_constant_to_the_cost_changes_nothing(kata, prob, shift):
    """exp(-(C + shift) / eps) underflows to 0 everywhere: only log-domain updates survive."""
    a, b, cost = prob
    eps = 0.05
    want, _ = kata.sinkhorn(a, b, cost, eps, max_iter=5000)
    got, _ = kata.sinkhorn(a, b, cost + shift, eps, max_iter=5000)
    call = describe_call("sinkhorn", a, b, cost + shift, eps, max_iter=5000)
    assert np.all(np.isfinite(got)), f"{call} returned NaN or inf: exp(-C / eps) underflowed (use logsumexp)"
    assert_close(got, want, rtol=0, atol=1e-8, name="plan for C + constant (expected the plan for C)", call=call)


@given(bad=st.sampled_from(["shape", "shape_broadcasts", "a_zero", "b_zero", "b_neg", "mass", "eps0", "eps_neg",
                            "iter0"]))
def test_sinkhorn_rejects_bad_inputs(kata, bad):
    a, b, cost = np.array([0.5, 0.5]), np.array([0.25, 0.75]), np.ones((2, 2))
    kw = {"epsilon": 0.1}
    if bad == "shape":
        cost = np.ones((2, 3))
    elif bad == "shape_broadcasts":   # (1, 2) broadcasts against both marginals: only a shape check catches it
        cost = np.ones((1, 2))
    elif bad == "a_zero":
        a = np.array([1.0, 0.0])
    elif bad == "b_zero":
        b = np.array([1.0, 0.0])
    elif bad == "b_neg":
        b = np.array([1.25, -0.25])
    elif bad == "mass":
        b = b * 1.01
    elif bad == "eps0":
        kw["epsilon"] = 0.0
    elif bad == "eps_neg":
        kw["epsilon"] = -0.1
    else:
        kw["max_iter"] = 0
    with pytest.raises(ValueError):
        kata.sinkhorn(a, b, cost, **kw)
        pytest.fail(f"sinkhorn with {bad} returned instead of raising ValueError")

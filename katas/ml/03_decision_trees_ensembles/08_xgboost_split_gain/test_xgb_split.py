"""Tests for ml-03-8, XGBoost's second-order split gain with L2 leaf regularisation.

References: torch.autograd for the logistic loss's per-row gradient and Hessian, and for the Newton
step of a leaf's regularised objective J(w) = sum_i loss(raw_i + w) + lambda w^2 / 2 (the optimal
leaf weight) and its quadratic model's value there (the leaf's structure score); a brute force over
every (feature, threshold) on small inputs for the best split.
"""
import numpy as np
import torch
from hypothesis import assume, example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

# float64 throughout: gradients and Hessians of |raw| <= 20 agree with autograd to ~1e-15.
RTOL, ATOL = 1e-10, 1e-12
LAMBDAS = st.sampled_from([0.0, 0.5, 1.0, 5.0])


def torch_grad_hess(y: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r = torch.tensor(raw, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(r, torch.tensor(y, dtype=torch.float64),
                                                                reduction="sum")
    (g,) = torch.autograd.grad(loss, r, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), r)  # the loss is a sum of 1-D terms: its Hessian is diagonal
    return g.detach().numpy(), h.numpy()


def torch_newton(y: np.ndarray, raw: np.ndarray, lam: float) -> tuple[float, float]:
    """Newton step from w = 0 on J(w) = sum_i loss(raw_i + w) + lam w^2 / 2, and the value of
    J's quadratic model at that step minus J(0)."""
    w = torch.zeros((), dtype=torch.float64, requires_grad=True)
    J = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.tensor(raw, dtype=torch.float64) + w, torch.tensor(y, dtype=torch.float64), reduction="sum"
    ) + lam * w * w / 2
    (d1,) = torch.autograd.grad(J, w, create_graph=True)
    (d2,) = torch.autograd.grad(d1, w)
    step = -d1.item() / d2.item()
    return step, d1.item() * step + 0.5 * d2.item() * step * step


@st.composite
def logistic_rows(draw: st.DrawFn, min_n: int = 1, max_n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(min_n, max_n))
    rng = np.random.default_rng(draw(seeds()))
    return (rng.random(n) < 0.5).astype(np.float64), rng.normal(size=n) * draw(st.sampled_from([0.5, 2.0, 8.0]))


@given(rows=logistic_rows())
@example(rows=(np.array([1.0, 0.0, 1.0, 0.0]), np.array([20.0, -20.0, -20.0, 20.0])))  # saturated, both ways
@example(rows=(np.array([1.0]), np.array([0.0])))  # p = 1/2: g = -1/2, h = 1/4
def test_grad_hess_match_autograd(kata, rows):
    y, raw = rows
    call = describe_call("logistic_grad_hess", y, raw)
    g, h = kata.logistic_grad_hess(y, raw)
    want_g, want_h = torch_grad_hess(y, raw)
    assert_close(g, want_g, rtol=RTOL, atol=ATOL, name="gradient d loss / d raw (= sigmoid(raw) - y)", call=call)
    assert_close(h, want_h, rtol=RTOL, atol=ATOL, name="Hessian d^2 loss / d raw^2 (= p (1 - p))", call=call)


@given(rows=logistic_rows(), lam=LAMBDAS)
@example(rows=(np.array([1.0]), np.array([0.0])), lam=0.0)
def test_leaf_weight_is_the_regularised_newton_step(kata, rows, lam):
    y, raw = rows
    G, H = (float(v.sum()) for v in torch_grad_hess(y, raw))
    step, model_value = torch_newton(y, raw, lam)
    assert_close(kata.leaf_weight(G, H, lam), step, rtol=RTOL, atol=ATOL,
                 name="leaf weight (the Newton step -J'(0) / J''(0))", call=describe_call("leaf_weight", G, H, lam))
    assert_close(kata.leaf_objective(G, H, lam), model_value, rtol=RTOL, atol=ATOL,
                 name="leaf objective (the quadratic model's decrease at the Newton step)",
                 call=describe_call("leaf_objective", G, H, lam))
    Gs, Hs = np.array([G, 0.5 * G, -G]), np.array([H, 2.0 * H, H])  # "elementwise": three leaves at once
    assert_close(kata.leaf_weight(Gs, Hs, lam), -Gs / (Hs + lam), rtol=RTOL, atol=ATOL, name="leaf weights of an array",
                 call=describe_call("leaf_weight", Gs, Hs, lam))
    assert_close(kata.leaf_objective(Gs, Hs, lam), -Gs**2 / (2 * (Hs + lam)), rtol=RTOL, atol=ATOL,
                 name="leaf objectives of an array", call=describe_call("leaf_objective", Gs, Hs, lam))


@given(rows=logistic_rows(min_n=2), lam=LAMBDAS, gamma=st.sampled_from([0.0, 0.1, 1.0]), cut=st.floats(0.0, 1.0))
@example(rows=(np.array([1.0, 0.0]), np.array([0.0, 0.0])), lam=1.0, gamma=0.0, cut=0.5)
def test_split_gain_is_the_decrease_of_the_newton_objective(kata, rows, lam, gamma, cut):
    """gain = model value(parent) - model value(left) - model value(right) - gamma."""
    y, raw = rows
    k = min(max(1, round(cut * len(y))), len(y) - 1)
    g, h = torch_grad_hess(y, raw)
    parts = [slice(None), slice(0, k), slice(k, None)]
    values = [torch_newton(y[s], raw[s], lam)[1] for s in parts]
    want = values[0] - values[1] - values[2] - gamma
    GL, HL, GR, HR = g[:k].sum(), h[:k].sum(), g[k:].sum(), h[k:].sum()
    call = describe_call("split_gain", GL, HL, GR, HR, lam, gamma)
    assert_close(kata.split_gain(GL, HL, GR, HR, lam, gamma), want, rtol=RTOL, atol=ATOL, name="split gain", call=call)
    # Vectorised over candidate splits, as best_split needs it.
    arr = [np.array([v, v]) for v in (GL, HL, GR, HR)]
    assert_close(kata.split_gain(*arr, lam, gamma), np.array([want, want]), rtol=RTOL, atol=ATOL,
                 name="split gain on arrays of candidates", call=describe_call("split_gain", *arr, lam, gamma))


def brute_force(X, g, h, lam, gamma, mcw):
    """Every valid split: (gain, feature, threshold, w_left, w_right)."""
    out = []
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        for a, b in zip(values[:-1], values[1:], strict=True):
            left = X[:, j] <= (a + b) / 2
            GL, HL, GR, HR = g[left].sum(), h[left].sum(), g[~left].sum(), h[~left].sum()
            if HL < mcw or HR < mcw:
                continue
            gain = 0.5 * (GL ** 2 / (HL + lam) + GR ** 2 / (HR + lam) - (GL + GR) ** 2 / (HL + HR + lam)) - gamma
            out.append((gain, j, (a + b) / 2, -GL / (HL + lam), -GR / (HR + lam)))
    return sorted(out, reverse=True)


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(1, 3), levels=st.integers(2, 12), lam=LAMBDAS,
       gamma=st.sampled_from([0.0, 0.05, 0.5]), mcw=st.sampled_from([0.0, 0.5, 1.0, 2.0]))
@example(seed=0, n=1, d=1, levels=2, lam=1.0, gamma=0.0, mcw=0.0)  # one row: nothing to split
@example(seed=1, n=30, d=3, levels=4, lam=0.0, gamma=0.0, mcw=0.0)  # many repeated values
@example(seed=2, n=20, d=2, levels=12, lam=1.0, gamma=0.5, mcw=2.0)
def test_best_split_matches_brute_force(kata, seed, n, d, levels, lam, gamma, mcw):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, size=(n, d)) * 0.5 - 1.0  # repeated values: only distinct ones separate rows
    y = (rng.random(n) < 0.5).astype(np.float64)
    g, h = torch_grad_hess(y, rng.normal(size=n))
    cands = brute_force(X, g, h, lam, gamma, mcw)
    assume(len(cands) < 2 or cands[0][0] - cands[1][0] > 1e-9)  # a unique best split
    call = describe_call("best_split", X, g, h, reg_lambda=lam, gamma=gamma, min_child_weight=mcw)
    got = call_unmodified(kata.best_split, X, g, h, reg_lambda=lam, gamma=gamma, min_child_weight=mcw)
    if not cands or cands[0][0] <= 0:
        assert got is None, (f"{call} returned {got}, expected None: "
                             + ("no split keeps min_child_weight of Hessian on both sides" if not cands else
                                f"the best gain is {cands[0][0]:.6g} <= 0 (gamma={gamma} is not worth paying)"))
        return
    gain, j, thr, wl, wr = cands[0]
    assert got is not None, f"{call} returned None, expected feature {j} at {thr} with gain {gain:.6g}"
    assert got.feature == j, (f"{call} chose feature {got.feature} at {got.threshold} (gain {got.gain:.6g}); the best "
                              f"is feature {j} at {thr} (gain {gain:.6g})")
    assert_close(got.threshold, thr, rtol=0, atol=1e-12, name="threshold (midpoint of neighbouring distinct values)",
                 call=call)
    assert_close(got.gain, gain, rtol=RTOL, atol=ATOL, name="gain", call=call)
    assert_close([got.left_weight, got.right_weight], [wl, wr], rtol=RTOL, atol=ATOL,
                 name="[left_weight, right_weight]", call=call)


@given(a=st.integers(-3, 3), c=st.integers(-3, 3), shift=st.integers(-4, 4).map(lambda v: v / 2),
       copies=st.integers(2, 3), lam=st.sampled_from([0.0, 1.0, 2.0]))
@example(a=1, c=-2, shift=0.0, copies=2, lam=1.0)
def test_best_split_ties_keep_the_lowest_feature_then_threshold(kata, a, c, shift, copies, lam):
    """x = 0, 1, 2 with g = a, 0, c and h = 1, 0, 1: the middle row weighs nothing, so both cuts have the very
    same (G_L, H_L, G_R, H_R) and gain the same bit for bit, whatever the formula; so does every column copy."""
    X = np.repeat(np.array([[0.0], [1.0], [2.0]]) + shift, copies, axis=1)
    g, h = np.array([a, 0, c], dtype=np.float64), np.array([1.0, 0.0, 1.0])
    call = describe_call("best_split", X, g, h, reg_lambda=lam, gamma=0.0, min_child_weight=0.0)
    got = call_unmodified(kata.best_split, X, g, h, reg_lambda=lam, gamma=0.0, min_child_weight=0.0)
    gain = 0.5 * (a * a / (1 + lam) + c * c / (1 + lam) - (a + c) ** 2 / (2 + lam))
    if abs(gain) < 1e-9:
        return  # a gain of 0 up to rounding: None or the split are both defensible here
    if gain < 0:
        assert got is None, f"{call} returned {got}; every candidate's gain is {gain:.6g} < 0: return None"
        return
    assert got is not None and (got.feature, got.threshold) == (0, shift + 0.5), (
        f"{call} returned {got}; all candidates tie: the lowest feature (0), then the lowest threshold "
        f"({shift + 0.5}). Replace the best only on a strictly larger gain")


@given(scale=st.sampled_from([0.5, 1.0, 2.0]), lam=st.sampled_from([0.0, 1.0]))
@example(scale=1.0, lam=0.0)
def test_a_gain_of_exactly_zero_is_no_split(kata, scale, lam):
    """gamma equal to the best gain: the split gains exactly 0, and "best gain <= 0" means None."""
    X, g, h = np.array([[0.0], [1.0]]), np.array([scale, -scale]), np.ones(2)
    gamma = float(kata.split_gain(scale, 1.0, -scale, 1.0, lam, 0.0))
    call = describe_call("best_split", X, g, h, reg_lambda=lam, gamma=gamma, min_child_weight=0.0)
    got = kata.best_split(X, g, h, reg_lambda=lam, gamma=gamma, min_child_weight=0.0)
    assert got is None, f"{call} returned {got}; the only split gains exactly 0 after gamma = {gamma}: return None"


@given(mcw=st.sampled_from([0.5, 1.0, 2.0]), lam=st.sampled_from([0.0, 1.0]))
@example(mcw=1.0, lam=1.0)
def test_a_child_hessian_exactly_at_min_child_weight_is_allowed(kata, mcw, lam):
    """Valid means H_L >= min_child_weight and H_R >= min_child_weight: equality is allowed."""
    X, g, h = np.array([[0.0], [1.0]]), np.array([1.0, -1.0]), np.array([mcw, mcw])
    call = describe_call("best_split", X, g, h, reg_lambda=lam, gamma=0.0, min_child_weight=mcw)
    got = kata.best_split(X, g, h, reg_lambda=lam, gamma=0.0, min_child_weight=mcw)
    assert got is not None and got.feature == 0 and got.threshold == 0.5, (
        f"{call} returned {got}; both children have a Hessian sum of exactly min_child_weight = {mcw}, which is "
        "allowed (>=), so the split at 0.5 is valid")

"""Tests for ml-08-1, SGD with momentum and Nesterov momentum.

Reference: torch.optim.SGD run in float64 on the same initial parameters and the same gradients;
parameters and momentum buffers are compared after every step. Plus the closed-form trajectory of
plain gradient descent on a quadratic, and the lr-change behaviour that separates PyTorch's
formulation from Sutskever's.
"""
import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  torch.optim's first step imports it (seconds): do it at collection
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_no_alias,
    call_unmodified,
    describe_call,
)

# float64 on both sides; the only differences are the order of a handful of roundings per step,
# so 1e-10 relative leaves a wide margin and still catches any wrong formula.
RTOL, ATOL = 1e-10, 1e-12

LRS = st.sampled_from([0.001, 0.01, 0.1, 0.5, 1.0])
MOMENTA = st.sampled_from([0.0, 0.5, 0.9, 0.99])
DAMPENINGS = st.sampled_from([0.0, 0.1, 0.5])
DECAYS = st.sampled_from([0.0, 0.01, 0.3, 1.0])


@st.composite
def configs(draw: st.DrawFn) -> dict:
    momentum = draw(MOMENTA)
    nesterov = momentum > 0 and draw(st.booleans())
    dampening = 0.0 if nesterov else draw(DAMPENINGS)
    return dict(lr=draw(LRS), momentum=momentum, dampening=dampening, weight_decay=draw(DECAYS), nesterov=nesterov)


def draw_problem(seed: int, n_params: int, steps: int) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """Initial parameters of a few small shapes and one gradient per parameter per step."""
    rng = np.random.default_rng(seed)
    shapes = [tuple(rng.integers(1, 4, size=rng.integers(1, 3))) for _ in range(n_params)]
    params = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) * 2.0 for s in shapes] for _ in range(steps)]
    return params, grads


def torch_states(params0, grads, lrs, **hp):
    """Parameters and momentum buffers after each step of torch.optim.SGD (float64)."""
    ps = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in params0]
    hp = {k: v for k, v in hp.items() if k != "lr"}
    opt = torch.optim.SGD(ps, lr=lrs[0], **hp)
    out = []
    for lr, gs in zip(lrs, grads, strict=True):
        opt.param_groups[0]["lr"] = lr
        for p, g in zip(ps, gs, strict=True):
            p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        bufs = [opt.state[p].get("momentum_buffer") for p in ps]
        out.append(([p.detach().numpy().copy() for p in ps],
                    [None if b is None else b.numpy().copy() for b in bufs]))
    return out


def check_trajectory(kata, params0, grads, lrs, cfg):
    cfg = {**cfg, "lr": lrs[0]}
    call = describe_call("SGD", "params", **cfg) + ".step(grads)"
    # The caller's own arrays, params[1] in float32: the optimizer keeps float64 copies and never touches these.
    given = [p.astype(np.float32) if i == 1 else p for i, p in enumerate(params0)]
    params0 = [p.astype(np.float64) for p in given]
    before = [p.copy() for p in given]
    # Gradients of any float dtype: those of the last parameter come in float32 (the update and the
    # momentum buffer still work in float64).
    grads = [[g.astype(np.float32) if i == len(gs) - 1 else g for i, g in enumerate(gs)] for gs in grads]
    opt = kata.SGD(given, **cfg)
    arrays = list(opt.params)  # step updates these very arrays in place
    want = torch_states(params0, grads, lrs, **cfg)
    for t, (gs, (w_params, w_bufs)) in enumerate(zip(grads, want, strict=True)):
        opt.lr = lrs[t]
        call_unmodified(opt.step, gs, fn_name="step")  # the gradients are read, never changed
        if t == 0 and cfg["momentum"] > 0:  # "first step: a copy of g", never the caller's gradient itself
            assert_no_alias([opt.state[i].get("momentum_buffer") for i in range(len(gs))], gs,
                            name="momentum buffers after the first step", call=call)
        for i, (p, w) in enumerate(zip(opt.params, w_params, strict=True)):
            assert_close(p, w, rtol=RTOL, atol=ATOL, name=f"params[{i}] after step {t + 1} (lr={lrs[t]})", call=call)
        if cfg["momentum"] > 0:
            for i, w in enumerate(w_bufs):
                got = opt.state[i].get("momentum_buffer")
                assert got is not None, f"{call}: state[{i}] has no 'momentum_buffer' after step {t + 1}"
                assert_close(got, w, rtol=RTOL, atol=ATOL,
                             name=f"state[{i}]['momentum_buffer'] after step {t + 1}", call=call)
                assert_dtype(got, np.float64, name=f"state[{i}]['momentum_buffer'] (float64, also for float32 "
                             "gradients)", call=call)
    for i, (p, b) in enumerate(zip(given, before, strict=True)):
        assert_equal(p, b, name=f"the caller's params[{i}] after {len(grads)} steps (must be left alone)", call=call)
        assert_dtype(opt.params[i], np.float64, name=f"params[{i}] (float64 copies, also of float32 input)", call=call)
    assert_no_alias(opt.params, given, name="params", call=call)
    moved = [i for i, (p, a) in enumerate(zip(opt.params, arrays, strict=True)) if p is not a]
    assert not moved, (f"{call}: self.params{moved} are new arrays after step; step must update the arrays in "
                       "place (p -= ...), so that whoever holds them sees the new values")


@given(seed=seeds(), n_params=st.integers(1, 3), steps=st.integers(1, 8), cfg=configs())
@example(seed=0, n_params=1, steps=1, cfg=dict(lr=0.1, momentum=0.9, dampening=0.5, weight_decay=0.0, nesterov=False))
@example(seed=1, n_params=2, steps=5, cfg=dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.3, nesterov=True))
@example(seed=2, n_params=2, steps=5, cfg=dict(lr=0.5, momentum=0.9, dampening=0.0, weight_decay=0.3, nesterov=False))
@example(seed=5, n_params=2, steps=2, cfg=dict(lr=0.0, momentum=0.5, dampening=0.0, weight_decay=1.0, nesterov=False))
def test_matches_torch_sgd_step_by_step(kata, seed, n_params, steps, cfg):
    params0, grads = draw_problem(seed, n_params, steps)
    check_trajectory(kata, params0, grads, [cfg["lr"]] * steps, cfg)


@given(seed=seeds(), steps=st.integers(2, 8), cfg=configs(), lrs=st.lists(LRS, min_size=8, max_size=8))
@example(seed=3, steps=4, cfg=dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=False),
         lrs=[0.1, 1.0, 0.01, 0.5, 0.1, 0.1, 0.1, 0.1])
def test_changing_lr_between_steps_matches_torch(kata, seed, steps, cfg, lrs):
    """A scheduler changes `opt.lr` between steps. PyTorch keeps lr OUT of the momentum buffer
    (buf = m*buf + g; p -= lr*buf); Sutskever's v = m*v + lr*g; p -= v agrees only while lr is constant."""
    params0, grads = draw_problem(seed, 2, steps)
    check_trajectory(kata, params0, grads, lrs[:steps], cfg)


@given(seed=seeds(), d=st.integers(1, 4), steps=st.integers(1, 30), lr_frac=st.sampled_from([0.1, 0.5, 0.9, 1.5]))
@example(seed=4, d=1, steps=1, lr_frac=0.5)
def test_vanilla_gd_follows_the_closed_form_on_a_quadratic(kata, seed, d, steps, lr_frac):
    """f(x) = 1/2 x^T A x - b^T x: x_{t+1} = x_t - lr (A x_t - b) = x* + (I - lr A)^{t+1} (x_0 - x*)."""
    rng = np.random.default_rng(seed)
    Q = np.linalg.qr(rng.normal(size=(d, d)))[0]
    eig = rng.uniform(0.5, 4.0, size=d)
    A, b, x0 = Q @ np.diag(eig) @ Q.T, rng.normal(size=d), rng.normal(size=d)
    lr = lr_frac / eig.max()  # lr * lambda_max = lr_frac < 2: converges for every drawn lr_frac
    x_star = np.linalg.solve(A, b)
    opt = kata.SGD([x0.copy()], lr=lr)
    call = describe_call("SGD", [x0], lr=lr) + ".step([A @ x - b])"
    for _ in range(steps):
        opt.step([A @ opt.params[0] - b])
    M = np.eye(d) - lr * A
    want = x_star + np.linalg.matrix_power(M, steps) @ (x0 - x_star)
    # 30 float64 steps of a contraction: rounding stays ~1e-15 relative.
    assert_close(opt.params[0], want, rtol=1e-9, atol=1e-12, name=f"x after {steps} steps", call=call)


@given(name=st.sampled_from(["lr", "momentum", "weight_decay"]), value=st.sampled_from([-0.5, -1e-3, -2.0]))
@example(name="lr", value=-0.5)
@example(name="momentum", value=-0.5)
@example(name="weight_decay", value=-0.5)
def test_rejects_negative_hyperparameters(kata, name, value):
    args = dict(lr=0.1, momentum=0.5, weight_decay=0.1)
    kata.SGD([np.zeros(2)], **{**args, name: 0.0})  # 0 is allowed
    with pytest.raises(ValueError):
        kata.SGD([np.zeros(2)], **{**args, name: value})


@given(momentum=st.sampled_from([0.0, 0.9]), dampening=st.sampled_from([0.0, 0.5]))
def test_rejects_nesterov_without_momentum_or_with_dampening(kata, momentum, dampening):
    if momentum > 0 and dampening == 0:
        kata.SGD([np.zeros(2)], lr=0.1, momentum=momentum, dampening=dampening, nesterov=True)  # valid
        return
    with pytest.raises(ValueError):
        kata.SGD([np.zeros(2)], lr=0.1, momentum=momentum, dampening=dampening, nesterov=True)

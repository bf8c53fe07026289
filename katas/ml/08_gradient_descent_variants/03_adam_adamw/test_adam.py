"""Tests for ml-08-3, Adam and AdamW with bias correction.

Reference: torch.optim.Adam / torch.optim.AdamW run in float64 on the same initial parameters and
gradients; parameters and state (step, exp_avg, exp_avg_sq) are compared after every step. Plus two
closed forms: Adam's first step is exactly lr * sign(g) (eps = 0), and AdamW with zero gradients
shrinks the parameters by (1 - lr * wd) per step.
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

# float64 on both sides; only the order of a few roundings per step differs (torch uses lerp).
RTOL, ATOL = 1e-10, 1e-12


@st.composite
def configs(draw: st.DrawFn) -> dict:
    return dict(lr=draw(st.sampled_from([0.001, 0.01, 0.1])),
                betas=draw(st.sampled_from([(0.9, 0.999), (0.5, 0.9), (0.0, 0.99), (0.9, 0.5)])),
                eps=draw(st.sampled_from([1e-8, 1e-3, 0.1])), weight_decay=draw(st.sampled_from([0.0, 0.01, 0.5, 1.0])))


def draw_problem(seed: int, n_params: int, steps: int):
    rng = np.random.default_rng(seed)
    shapes = [tuple(rng.integers(1, 4, size=rng.integers(1, 3))) for _ in range(n_params)]
    params = [rng.normal(size=s) for s in shapes]
    scales = 10.0 ** rng.integers(-3, 2, size=n_params)  # tiny and large gradients: eps placement shows
    grads = [[rng.normal(size=s) * c for s, c in zip(shapes, scales, strict=True)] for _ in range(steps)]
    return params, grads


def torch_states(kind, params0, grads, lrs, cfg):
    ps = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in params0]
    opt = getattr(torch.optim, kind)(ps, **{**cfg, "lr": lrs[0]})
    out = []
    for lr, gs in zip(lrs, grads, strict=True):
        opt.param_groups[0]["lr"] = lr
        for p, g in zip(ps, gs, strict=True):
            p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append(([p.detach().numpy().copy() for p in ps],
                    [{k: (v.item() if k == "step" else v.numpy().copy()) for k, v in opt.state[p].items()}
                     for p in ps]))
    return out


def check_trajectory(kata, kind, params0, grads, lrs, cfg):
    cfg = {**cfg, "lr": lrs[0]}
    call = describe_call(kind, "params", **cfg) + ".step(grads)"
    # The caller's own arrays, params[1] in float32: the optimizer keeps float64 copies and never touches these.
    given = [p.astype(np.float32) if i == 1 else p for i, p in enumerate(params0)]
    params0 = [p.astype(np.float64) for p in given]
    before = [p.copy() for p in given]
    # Gradients of any float dtype: those of the last parameter come in float32 (the update and the
    # state still work in float64).
    grads = [[g.astype(np.float32) if i == len(gs) - 1 else g for i, g in enumerate(gs)] for gs in grads]
    opt = getattr(kata, kind)(given, **cfg)
    arrays = list(opt.params)  # step updates these very arrays in place
    want = torch_states(kind, params0, grads, lrs, cfg)
    for t, (gs, (w_params, w_states)) in enumerate(zip(grads, want, strict=True)):
        opt.lr = lrs[t]
        call_unmodified(opt.step, gs, fn_name="step")  # the gradients are read, never changed
        for i, (p, w) in enumerate(zip(opt.params, w_params, strict=True)):
            for key in ("step", "exp_avg", "exp_avg_sq"):
                got = opt.state[i].get(key)
                assert got is not None, f"{call}: state[{i}] has no {key!r} after step {t + 1}"
                assert_close(got, w_states[i][key], rtol=RTOL, atol=ATOL,
                             name=f"state[{i}][{key!r}] after step {t + 1}", call=call)
            assert_close(p, w, rtol=RTOL, atol=ATOL, name=f"params[{i}] after step {t + 1}", call=call)
    for i, (p, b) in enumerate(zip(given, before, strict=True)):
        assert_equal(p, b, name=f"the caller's params[{i}] after {len(grads)} steps (must be left alone)", call=call)
        assert_dtype(opt.params[i], np.float64, name=f"params[{i}] (float64 copies, also of float32 input)", call=call)
    assert_no_alias(opt.params, given, name="params", call=call)
    moved = [i for i, (p, a) in enumerate(zip(opt.params, arrays, strict=True)) if p is not a]
    assert not moved, (f"{call}: self.params{moved} are new arrays after step; step must update the arrays in "
                       "place (p -= ...), so that whoever holds them sees the new values")


@given(seed=seeds(), n_params=st.integers(1, 3), steps=st.integers(1, 8), cfg=configs())
@example(seed=0, n_params=1, steps=1, cfg=dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0))
@example(seed=1, n_params=2, steps=3, cfg=dict(lr=0.01, betas=(0.9, 0.999), eps=0.1, weight_decay=0.5))
def test_adam_matches_torch_step_by_step(kata, seed, n_params, steps, cfg):
    params0, grads = draw_problem(seed, n_params, steps)
    check_trajectory(kata, "Adam", params0, grads, [cfg["lr"]] * steps, cfg)


@given(seed=seeds(), n_params=st.integers(1, 3), steps=st.integers(1, 8), cfg=configs())
@example(seed=2, n_params=2, steps=3, cfg=dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.5))
def test_adamw_matches_torch_step_by_step(kata, seed, n_params, steps, cfg):
    params0, grads = draw_problem(seed, n_params, steps)
    check_trajectory(kata, "AdamW", params0, grads, [cfg["lr"]] * steps, cfg)


@given(kind=st.sampled_from(["Adam", "AdamW"]), name=st.sampled_from(["lr", "eps", "weight_decay", "beta1", "beta2"]),
       value=st.sampled_from([-0.5, -1e-3, -2.0]))
@example(kind="Adam", name="lr", value=-0.5)
@example(kind="Adam", name="eps", value=-0.5)
@example(kind="Adam", name="weight_decay", value=-0.5)
@example(kind="Adam", name="beta1", value=-0.5)
@example(kind="Adam", name="beta2", value=-0.5)
def test_rejects_bad_hyperparameters(kata, kind, name, value):
    args = dict(lr=0.01, eps=1e-8, weight_decay=0.1)

    def make(beta1: float = 0.9, beta2: float = 0.999, **changed: float):
        return getattr(kata, kind)([np.zeros(2)], **{**args, **changed}, betas=(beta1, beta2))

    make(**{name: 0.0})  # 0 is allowed
    for bad in [value] + ([1.0, 1.5] if name.startswith("beta") else []):
        with pytest.raises(ValueError):
            make(**{name: bad})


@given(seed=seeds(), steps=st.integers(2, 6), cfg=configs(),
       lrs=st.lists(st.sampled_from([0.001, 0.01, 0.1]), min_size=6, max_size=6))
def test_adamw_with_changing_lr_matches_torch(kata, seed, steps, cfg, lrs):
    """The decay factor (1 - lr*wd) and the step both use the lr of the current step."""
    params0, grads = draw_problem(seed, 2, steps)
    check_trajectory(kata, "AdamW", params0, grads, lrs[:steps], cfg)


@given(seed=seeds(), lr=st.sampled_from([0.001, 0.01, 0.1]),
       betas=st.sampled_from([(0.9, 0.999), (0.5, 0.9), (0.99, 0.9999)]), log_scale=st.integers(-4, 3))
@example(seed=3, lr=0.1, betas=(0.9, 0.999), log_scale=0)
def test_adam_first_step_is_lr_times_sign_of_the_gradient(kata, seed, lr, betas, log_scale):
    """After bias correction m_hat = g and v_hat = g^2 on step 1, so with eps = 0 every coordinate
    moves by exactly lr against the sign of its gradient, whatever the gradient's size."""
    rng = np.random.default_rng(seed)
    p0 = rng.normal(size=5)
    g = rng.normal(size=5) * 10.0 ** log_scale
    opt = kata.Adam([p0.copy()], lr=lr, betas=betas, eps=0.0, weight_decay=0.0)
    opt.step([g.copy()])
    call = describe_call("Adam", [p0], lr=lr, betas=betas, eps=0.0, weight_decay=0.0) + ".step([g])"
    # a handful of float64 operations: 1e-12 relative.
    assert_close(opt.params[0] - p0, -lr * np.sign(g), rtol=1e-9, atol=1e-12,
                 name="first update (without bias correction it is (1-b1)/sqrt(1-b2) times this)", call=call)


@given(seed=seeds(), steps=st.integers(1, 10), lr=st.sampled_from([0.01, 0.1]), wd=st.sampled_from([0.01, 0.5, 2.0]))
@example(seed=4, steps=3, lr=0.1, wd=0.5)
def test_adamw_with_zero_gradients_only_decays(kata, seed, steps, lr, wd):
    """Decoupled weight decay: with g = 0 the moments stay 0 and p_t = (1 - lr*wd)^t p_0 exactly.
    (Adam's L2 penalty would instead feed wd*p through the moments and move p by ~lr per step.)"""
    p0 = np.random.default_rng(seed).normal(size=4)
    opt = kata.AdamW([p0.copy()], lr=lr, weight_decay=wd)
    for _ in range(steps):
        opt.step([np.zeros(4)])
    call = describe_call("AdamW", [p0], lr=lr, weight_decay=wd) + f".step([zeros]) x {steps}"
    assert_close(opt.params[0], p0 * (1 - lr * wd) ** steps, rtol=1e-12, atol=1e-14,
                 name=f"params after {steps} zero-gradient steps", call=call)

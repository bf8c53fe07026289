"""Tests for ml-08-2, RMSProp (plain, centered, with momentum).

Reference: torch.optim.RMSprop run in float64 on the same initial parameters and gradients;
parameters and every state buffer (square_avg, grad_avg, momentum_buffer, step) are compared after
every step. Plus RMSProp's defining property: with eps = 0 it is invariant to rescaling the gradients.
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

# float64 on both sides; only the order of a few roundings per step differs.
RTOL, ATOL = 1e-10, 1e-12


@st.composite
def configs(draw: st.DrawFn) -> dict:
    return dict(lr=draw(st.sampled_from([0.001, 0.01, 0.1])), alpha=draw(st.sampled_from([0.5, 0.9, 0.99])),
                eps=draw(st.sampled_from([1e-8, 1e-4, 0.1])), weight_decay=draw(st.sampled_from([0.0, 0.1, 1.0])),
                momentum=draw(st.sampled_from([0.0, 0.5, 0.9])), centered=draw(st.booleans()))


def draw_problem(seed: int, n_params: int, steps: int, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    shapes = [tuple(rng.integers(1, 4, size=rng.integers(1, 3))) for _ in range(n_params)]
    params = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) * scale for s in shapes] for _ in range(steps)]
    return params, grads


def torch_states(params0, grads, lrs, cfg):
    ps = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in params0]
    opt = torch.optim.RMSprop(ps, **{**cfg, "lr": lrs[0]})
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


def check_trajectory(kata, params0, grads, lrs, cfg):
    cfg = {**cfg, "lr": lrs[0]}
    call = describe_call("RMSprop", "params", **cfg) + ".step(grads)"
    # The caller's own arrays, params[1] in float32: the optimizer keeps float64 copies and never touches these.
    given = [p.astype(np.float32) if i == 1 else p for i, p in enumerate(params0)]
    params0 = [p.astype(np.float64) for p in given]
    before = [p.copy() for p in given]
    # Gradients of any float dtype: those of the last parameter come in float32 (the update and the
    # state still work in float64).
    grads = [[g.astype(np.float32) if i == len(gs) - 1 else g for i, g in enumerate(gs)] for gs in grads]
    opt = kata.RMSprop(given, **cfg)
    arrays = list(opt.params)  # step updates these very arrays in place
    want = torch_states(params0, grads, lrs, cfg)
    for t, (gs, (w_params, w_states)) in enumerate(zip(grads, want, strict=True)):
        if t > 0:  # the first step uses the lr given to __init__
            opt.lr = lrs[t]
        call_unmodified(opt.step, gs, fn_name="step")  # the gradients are read, never changed
        for i, (p, w) in enumerate(zip(opt.params, w_params, strict=True)):
            extra = {"grad_avg"} if not cfg["centered"] else set()
            extra |= {"momentum_buffer"} if cfg["momentum"] == 0 else set()
            assert not extra & set(opt.state[i]), (f"{call}: state[{i}] has {sorted(extra & set(opt.state[i]))} "
                                                   "after step 1; torch keeps grad_avg only when centered and "
                                                   "momentum_buffer only when momentum > 0")
            for key, w_val in w_states[i].items():
                got = opt.state[i].get(key)
                assert got is not None, (f"{call}: state[{i}] has no {key!r} after step {t + 1}; torch keeps "
                                         f"{sorted(w_states[i])}")
                assert_close(got, w_val, rtol=RTOL, atol=ATOL, name=f"state[{i}][{key!r}] after step {t + 1}",
                             call=call)
            assert_close(p, w, rtol=RTOL, atol=ATOL, name=f"params[{i}] after step {t + 1}", call=call)
    for i, (p, b) in enumerate(zip(given, before, strict=True)):
        assert_equal(p, b, name=f"the caller's params[{i}] after {len(grads)} steps (must be left alone)", call=call)
        assert_dtype(opt.params[i], np.float64, name=f"params[{i}] (float64 copies, also of float32 input)", call=call)
    assert_no_alias(opt.params, given, name="params", call=call)
    moved = [i for i, (p, a) in enumerate(zip(opt.params, arrays, strict=True)) if p is not a]
    assert not moved, (f"{call}: self.params{moved} are new arrays after step; step must update the arrays in "
                       "place (p -= ...), so that whoever holds them sees the new values")


@given(seed=seeds(), n_params=st.integers(1, 3), steps=st.integers(1, 8), cfg=configs())
@example(seed=0, n_params=1, steps=1, cfg=dict(lr=0.01, alpha=0.99, eps=0.1, weight_decay=0.0, momentum=0.0,
                                               centered=False))
@example(seed=1, n_params=2, steps=4, cfg=dict(lr=0.01, alpha=0.9, eps=1e-8, weight_decay=0.1, momentum=0.9,
                                               centered=True))
def test_matches_torch_rmsprop_step_by_step(kata, seed, n_params, steps, cfg):
    params0, grads = draw_problem(seed, n_params, steps)
    check_trajectory(kata, params0, grads, [cfg["lr"]] * steps, cfg)


@given(name=st.sampled_from(["lr", "eps", "momentum", "weight_decay", "alpha"]),
       value=st.sampled_from([-0.5, -1e-3, -2.0]))
@example(name="lr", value=-0.5)
@example(name="eps", value=-0.5)
@example(name="momentum", value=-0.5)
@example(name="weight_decay", value=-0.5)
@example(name="alpha", value=-0.5)
def test_rejects_bad_hyperparameters(kata, name, value):
    args = dict(lr=0.01, alpha=0.9, eps=1e-8, weight_decay=0.1, momentum=0.5)
    kata.RMSprop([np.zeros(2)], **{**args, name: 0.0})  # 0 is allowed
    kata.RMSprop([np.zeros(2)], **{**args, "alpha": 1.0})  # and so is alpha = 1
    for bad in [value] + ([1.5] if name == "alpha" else []):
        with pytest.raises(ValueError):
            kata.RMSprop([np.zeros(2)], **{**args, name: bad})


@given(seed=seeds(), steps=st.integers(2, 6), cfg=configs(),
       lrs=st.lists(st.sampled_from([0.001, 0.01, 0.1]), min_size=6, max_size=6))
@example(seed=2, steps=3, cfg=dict(lr=0.01, alpha=0.9, eps=1e-8, weight_decay=0.0, momentum=0.9, centered=False),
         lrs=[0.1, 0.001, 0.01, 0.1, 0.1, 0.1])
def test_changing_lr_between_steps_matches_torch(kata, seed, steps, cfg, lrs):
    """With momentum, PyTorch keeps lr outside the buffer: buf = m*buf + g/avg; p -= lr*buf."""
    params0, grads = draw_problem(seed, 2, steps)
    check_trajectory(kata, params0, grads, lrs[:steps], cfg)


@given(seed=seeds(), steps=st.integers(1, 8), log_scale=st.integers(-6, 6), momentum=st.sampled_from([0.0, 0.9]),
       centered=st.booleans())
@example(seed=3, steps=3, log_scale=-6, momentum=0.0, centered=False)
def test_eps_zero_is_invariant_to_gradient_scale(kata, seed, steps, log_scale, momentum, centered):
    """g / sqrt(E[g^2]) does not change when every gradient is multiplied by c > 0 (with eps = 0):
    RMSProp adapts each coordinate's step to the size of its own gradients."""
    params0, grads = draw_problem(seed, 2, steps)
    c = 10.0 ** log_scale
    hp = dict(lr=0.01, alpha=0.9, eps=0.0, momentum=momentum, centered=centered)
    a = kata.RMSprop([p.copy() for p in params0], **hp)
    b = kata.RMSprop([p.copy() for p in params0], **hp)
    for gs in grads:
        a.step([g.copy() for g in gs])
        b.step([g * c for g in gs])
    call = describe_call("RMSprop", "params", **hp) + f".step(grads * {c:g})"
    for i in range(2):
        # float64 ratios of rescaled values: a few ulps per step.
        assert_close(b.params[i], a.params[i], rtol=1e-9, atol=1e-12,
                     name=f"params[{i}] with gradients scaled by {c:g} (vs unscaled)", call=call)

"""Tests for nlp-41-1, dynamic loss scaling and mixed-precision steps.

Reference: torch.amp.GradScaler("cpu") driven through the same sequence of steps, some of which get an
inf or NaN planted in a gradient after backward (an overflow, exactly as fp16 produces one), with and
without an explicit unscale_ + gradient clipping before the step. The mixed-precision step is compared
with torch.autocast + GradScaler on a copy of the model.
"""
import copy

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call

EVENTS = st.lists(st.sampled_from(["ok", "ok", "inf", "nan"]), min_size=1, max_size=8)


def make(seed: int):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    g = torch.Generator().manual_seed(seed)
    return model, torch.randn(5, 3, generator=g), torch.randn(5, 2, generator=g)


def drive(scaler, model, x, y, events, clip):
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    trace = []
    for i, event in enumerate(events):
        opt.zero_grad()
        loss = F.mse_loss(model(x * (1 + i)), y)
        scaler.scale(loss).backward()
        if event != "ok":
            model[0].weight.grad[0, i % 3] = float(event)
        grads = None
        if clip:
            scaler.unscale_(opt)
            grads = [p.grad.clone() for p in model.parameters()]
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        stepped = scaler.step(opt)
        scaler.update()
        trace.append((stepped, float(scaler.get_scale()), [p.detach().clone() for p in model.parameters()], grads))
    return trace


HYPER = dict(init_scale=st.sampled_from([1.0, 8.0, 2.0 ** 16, 3.0]), growth_factor=st.sampled_from([2.0, 1.5, 4.0]),
             backoff_factor=st.sampled_from([0.5, 0.25, 0.75]), growth_interval=st.integers(1, 3))


@given(**HYPER, events=EVENTS, clip=st.booleans(), seed=seeds())
@example(init_scale=8.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2,
         events=["ok", "inf", "ok", "ok", "ok", "nan", "ok"], clip=False, seed=0)
@example(init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5, growth_interval=3,
         events=["ok", "ok", "inf", "ok", "ok", "ok"], clip=True, seed=1)
@example(init_scale=3.0, growth_factor=1.5, backoff_factor=0.25, growth_interval=1,
         events=["nan", "ok", "ok"], clip=True, seed=2)
@settings(max_examples=20)
def test_matches_grad_scaler_on_an_overflow_sequence(kata, init_scale, growth_factor, backoff_factor,
                                                     growth_interval, events, clip, seed):
    hyper = dict(init_scale=init_scale, growth_factor=growth_factor, backoff_factor=backoff_factor,
                 growth_interval=growth_interval)
    model, x, y = make(seed)
    ref_model = copy.deepcopy(model)
    got = drive(kata.LossScaler(**hyper), model, x, y, events, clip)
    want = drive(torch.amp.GradScaler("cpu", **hyper), ref_model, x, y, events, clip)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        call = describe_call("LossScaler", **hyper) + f" at step {i} of {events}" + (" (unscale_ + clip)" if clip else "")
        assert_equal(g[0], events[i] == "ok", call=call, name="step() return value (True = optimizer stepped)")
        # the scale is a float32 tensor in GradScaler: relative 1e-6 admits a float64 Python float
        assert_close(g[1], w[1], rtol=1e-6, atol=0, call=call, name="get_scale() after update()")
        if clip and events[i] == "ok":
            for j, (a, b) in enumerate(zip(g[3], w[3], strict=True)):
                assert_close(a, b, rtol=1e-6, atol=1e-9, call=call, name=f"gradient {j} after unscale_()")
        for j, (a, b) in enumerate(zip(g[2], w[2], strict=True)):
            # float32 parameters; 1/scale vs division by scale may differ in the last bit
            assert_close(a, b, rtol=1e-5, atol=1e-7, call=call, name=f"parameter {j} after step()")


@given(scale=st.sampled_from([1.0, 2.0 ** 16, 3.0, 0.5]), dtype=torch_float_dtypes(), seed=seeds())
@example(scale=2.0 ** 16, dtype=torch.float64, seed=0)
@settings(max_examples=10)
def test_scale_multiplies_the_loss(kata, scale, dtype, seed):
    loss = torch.rand((), generator=torch.Generator().manual_seed(seed), dtype=dtype)
    scaler = kata.LossScaler(init_scale=scale)
    call = describe_call(f"LossScaler(init_scale={scale!r}).scale", loss)
    got = call_unmodified(scaler.scale, loss)
    assert_dtype(got, loss, call=call)
    assert_close(got, loss.double() * scale, rtol=1e-6, atol=0, call=call, name="scaled loss")
    assert_close(kata.LossScaler().get_scale(), 2.0 ** 16, rtol=0, atol=0, call="LossScaler().get_scale()",
                 name="default init_scale")


def test_defaults_match_grad_scaler(kata):
    """growth_factor 2, backoff 0.5, growth_interval 2000: GradScaler's defaults."""
    model, x, y = make(0)
    ref_model = copy.deepcopy(model)
    events = ["ok"] * 3 + ["inf", "ok"]
    got = drive(kata.LossScaler(), model, x, y, events, False)
    want = drive(torch.amp.GradScaler("cpu"), ref_model, x, y, events, False)
    assert_close([g[1] for g in got], [w[1] for w in want], rtol=0, atol=0, call="LossScaler()",
                 name=f"scales after {events}")
    # GradScaler's documented default growth_interval is 2000: a clean update() 1999 times keeps the
    # scale, the 2000th doubles it (GradScaler itself cannot update() without a step, hence the closed form)
    scaler = kata.LossScaler()
    for _ in range(1999):
        scaler.update()
    assert_close(scaler.get_scale(), 2.0 ** 16, rtol=0, atol=0, call="LossScaler() after 1999 clean updates",
                 name="scale (growth_interval 2000 not reached)")
    scaler.update()
    assert_close(scaler.get_scale(), 2.0 ** 17, rtol=0, atol=0, call="LossScaler() after 2000 clean updates",
                 name="scale (grows once, by growth_factor 2)")


def test_unscale_twice_raises(kata):
    model, x, y = make(0)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = kata.LossScaler()
    scaler.scale(F.mse_loss(model(x), y)).backward()
    scaler.unscale_(opt)
    with pytest.raises(RuntimeError):
        scaler.unscale_(opt)
        pytest.fail("LossScaler.unscale_ called twice before update() returned instead of raising RuntimeError")
    scaler.step(opt)
    scaler.update()
    scaler.scale(F.mse_loss(model(x), y)).backward()
    scaler.unscale_(opt)  # allowed again after update()


@pytest.mark.parametrize("bad", [dict(init_scale=0.0), dict(init_scale=-1.0), dict(growth_factor=1.0),
                                 dict(growth_factor=0.5), dict(backoff_factor=1.0), dict(backoff_factor=0.0),
                                 dict(backoff_factor=1.5), dict(growth_interval=0)])
def test_rejects_bad_hyperparameters(kata, bad):
    with pytest.raises(ValueError):
        kata.LossScaler(**bad)
        pytest.fail(f"LossScaler(**{bad}) returned instead of raising ValueError")


@given(dtype=st.sampled_from([torch.bfloat16, torch.float16]), steps=st.integers(1, 3),
       init_scale=st.sampled_from([2.0 ** 16, 8.0]), seed=seeds())
@example(dtype=torch.bfloat16, steps=2, init_scale=2.0 ** 16, seed=0)
@example(dtype=torch.float16, steps=2, init_scale=8.0, seed=1)
@settings(max_examples=10)
def test_mixed_precision_step_matches_autocast_and_grad_scaler(kata, dtype, steps, init_scale, seed):
    model, x, y = make(seed)
    ref = copy.deepcopy(model)
    opt, ref_opt = torch.optim.Adam(model.parameters(), lr=0.01), torch.optim.Adam(ref.parameters(), lr=0.01)
    scaler = kata.LossScaler(init_scale=init_scale, growth_interval=1)
    ref_scaler = torch.amp.GradScaler("cpu", init_scale=init_scale, growth_interval=1)
    call = describe_call("mixed_precision_step", "model", "mse_loss", x, y, "adam", "LossScaler", dtype)
    for step in range(steps):
        got = call_unmodified(kata.mixed_precision_step, model, F.mse_loss, x, y, opt, scaler, dtype)
        ref_opt.zero_grad()
        with torch.autocast("cpu", dtype=dtype):
            want = F.mse_loss(ref(x), y)
        ref_scaler.scale(want).backward()
        ref_scaler.step(ref_opt)
        ref_scaler.update()
        assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
        # the same low-precision ops in the same order: agreement far inside one bf16/fp16 ulp (~1e-3 / 1e-2)
        assert_close(got, want.item(), rtol=1e-6, atol=1e-7, call=call, name=f"loss at step {step}")
        for j, (a, b) in enumerate(zip(model.parameters(), ref.parameters(), strict=True)):
            assert a.dtype == torch.float32, f"{call}: parameter {j} is {a.dtype}, parameters must stay float32"
            assert_close(a.detach(), b.detach(), rtol=1e-5, atol=1e-7, call=call, name=f"parameter {j} after step {step}")
        assert_close(scaler.get_scale(), ref_scaler.get_scale(), rtol=1e-6, atol=0, call=call,
                     name=f"scale after step {step}")


@given(dtype=st.sampled_from([torch.float32, torch.float64, torch.int8]))
def test_mixed_precision_step_rejects_other_dtypes(kata, dtype):
    model, x, y = make(0)
    with pytest.raises(ValueError):
        kata.mixed_precision_step(model, F.mse_loss, x, y, torch.optim.SGD(model.parameters(), lr=0.1),
                                  kata.LossScaler(), dtype)
        pytest.fail(f"mixed_precision_step(..., dtype={dtype}) returned instead of raising ValueError")

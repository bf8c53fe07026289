"""Tests for ml-08-4, learning-rate schedules.

Reference: torch.optim.lr_scheduler (StepLR, CosineAnnealingLR, CosineAnnealingWarmRestarts,
LinearLR, and SequentialLR chaining LinearLR into CosineAnnealingLR) attached to a real optimizer
and stepped once per epoch; the learning rate the optimizer holds in each epoch must equal yours.
"""
import warnings

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.testing import assert_close, describe_call

# torch updates most schedules recursively (lr_t from lr_{t-1}), which accumulates a few ulps over
# 100+ epochs; any wrong formula is off by far more than 1e-9 relative.
RTOL, ATOL = 1e-9, 1e-12
BASE_LRS = st.sampled_from([1.0, 0.1, 0.5, 0.003])
L = torch.optim.lr_scheduler


def torch_lrs(make_scheduler, base_lr: float, n_epochs: int) -> list[float]:
    """The lr the optimizer uses in epochs 0 .. n_epochs-1 (scheduler.step() after each epoch)."""
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base_lr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SequentialLR's internal step(0) warns about the epoch argument
        sched = make_scheduler(opt)
        out = []
        for _ in range(n_epochs):
            out.append(opt.param_groups[0]["lr"])
            opt.step()  # no gradients: a no-op that keeps the scheduler's order check quiet
            sched.step()
    return out


def check(kata, fn_name, base_lr, n_epochs, want, **kw):
    fn = getattr(kata, fn_name)
    got = [fn(base_lr, epoch, **kw) for epoch in range(n_epochs)]
    call = describe_call(fn_name, base_lr, "epoch", **kw)
    assert all(isinstance(v, float | int) for v in got), f"{call} should return a Python float, got {type(got[0])}"
    assert_close(got, want, rtol=RTOL, atol=ATOL, name=f"learning rates of epochs 0..{n_epochs - 1}", call=call)


@given(base_lr=BASE_LRS, step_size=st.integers(1, 10), gamma=st.sampled_from([0.1, 0.5, 0.9]),
       n_epochs=st.integers(1, 40))
@example(base_lr=1.0, step_size=3, gamma=0.5, n_epochs=10)
@example(base_lr=1.0, step_size=1, gamma=0.1, n_epochs=5)
def test_step_lr_matches_torch(kata, base_lr, step_size, gamma, n_epochs):
    want = torch_lrs(lambda o: L.StepLR(o, step_size=step_size, gamma=gamma), base_lr, n_epochs)
    check(kata, "step_lr", base_lr, n_epochs, want, step_size=step_size, gamma=gamma)


@given(base_lr=BASE_LRS, T_max=st.integers(1, 20), eta_min=st.sampled_from([0.0, 1e-4, 0.001]),
       cycles=st.integers(1, 3))
@example(base_lr=1.0, T_max=5, eta_min=0.001, cycles=1)
@example(base_lr=1.0, T_max=1, eta_min=0.0, cycles=3)
def test_cosine_annealing_matches_torch(kata, base_lr, T_max, eta_min, cycles):
    """Past T_max the cosine keeps going (back up to base_lr at 2*T_max): no clamping."""
    n = cycles * T_max + 1
    want = torch_lrs(lambda o: L.CosineAnnealingLR(o, T_max=T_max, eta_min=eta_min), base_lr, n)
    check(kata, "cosine_annealing_lr", base_lr, n, want, T_max=T_max, eta_min=eta_min)


@given(base_lr=BASE_LRS, T_0=st.integers(1, 10), T_mult=st.integers(1, 3), eta_min=st.sampled_from([0.0, 0.001]),
       n_epochs=st.integers(1, 60))
@example(base_lr=1.0, T_0=1, T_mult=3, eta_min=0.001, n_epochs=125)  # restart at 1+3+9+27+81 = 121
@example(base_lr=1.0, T_0=2, T_mult=2, eta_min=0.0, n_epochs=31)
@example(base_lr=1.0, T_0=4, T_mult=1, eta_min=0.0, n_epochs=13)
def test_cosine_warm_restarts_matches_torch(kata, base_lr, T_0, T_mult, eta_min, n_epochs):
    want = torch_lrs(lambda o: L.CosineAnnealingWarmRestarts(o, T_0=T_0, T_mult=T_mult, eta_min=eta_min),
                     base_lr, n_epochs)
    check(kata, "cosine_warm_restarts_lr", base_lr, n_epochs, want, T_0=T_0, T_mult=T_mult, eta_min=eta_min)


@given(base_lr=BASE_LRS, start_factor=st.sampled_from([0.001, 0.1, 1.0 / 3, 0.5]),
       end_factor=st.sampled_from([1.0, 0.5, 0.1]), total_iters=st.integers(1, 10), extra=st.integers(0, 10))
@example(base_lr=1.0, start_factor=0.1, end_factor=1.0, total_iters=4, extra=4)
def test_linear_warmup_matches_torch(kata, base_lr, start_factor, end_factor, total_iters, extra):
    n = total_iters + 1 + extra
    want = torch_lrs(lambda o: L.LinearLR(o, start_factor=start_factor, end_factor=end_factor,
                                          total_iters=total_iters), base_lr, n)
    check(kata, "linear_lr", base_lr, n, want, start_factor=start_factor, end_factor=end_factor,
          total_iters=total_iters)


@given(base_lr=BASE_LRS, warmup_epochs=st.integers(1, 6), T_max=st.integers(1, 15),
       start_factor=st.sampled_from([0.01, 0.1, 0.5]), eta_min=st.sampled_from([0.0, 0.001]), extra=st.integers(0, 10))
@example(base_lr=1.0, warmup_epochs=3, T_max=6, start_factor=0.1, eta_min=0.0, extra=3)
def test_warmup_then_cosine_matches_sequential_lr(kata, base_lr, warmup_epochs, T_max, start_factor, eta_min, extra):
    """SequentialLR switches at the milestone and restarts the cosine's clock at 0 there."""
    n = warmup_epochs + T_max + 1 + extra

    def make(o):
        warm = L.LinearLR(o, start_factor=start_factor, end_factor=1.0, total_iters=warmup_epochs)
        cos = L.CosineAnnealingLR(o, T_max=T_max, eta_min=eta_min)
        return L.SequentialLR(o, [warm, cos], milestones=[warmup_epochs])

    want = torch_lrs(make, base_lr, n)
    check(kata, "warmup_cosine_lr", base_lr, n, want, warmup_epochs=warmup_epochs, T_max=T_max,
          start_factor=start_factor, eta_min=eta_min)


@given(bad=st.integers(-3, 0))
def test_rejects_non_positive_periods(kata, bad):
    for name, kw in [("step_lr", dict(step_size=bad)), ("cosine_annealing_lr", dict(T_max=bad)),
                     ("cosine_warm_restarts_lr", dict(T_0=bad)), ("cosine_warm_restarts_lr", dict(T_0=2, T_mult=bad)),
                     ("linear_lr", dict(total_iters=bad))]:
        with pytest.raises(ValueError):
            getattr(kata, name)(0.1, 1, **kw)
            raise AssertionError(f"{describe_call(name, 0.1, 1, **kw)} returned instead of raising ValueError")

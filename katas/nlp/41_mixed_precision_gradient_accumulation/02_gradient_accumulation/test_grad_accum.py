"""Tests for nlp-41-2, gradient accumulation.

Reference: the full-batch step (`zero_grad; loss_fn(model(inputs), targets).backward(); step`) of the
same torch.optim optimizer on a deep copy of the same float64 MLP. A forward hook records how many
rows each forward pass of the learner's step sees.
"""
import copy

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

OPTIMIZERS = st.sampled_from(["sgd", "momentum", "adam"])
LOSSES = st.sampled_from(["cross_entropy", "mse"])


def make_model(seed: int, d_in: int, d_out: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(d_in, 6), nn.Tanh(), nn.Linear(6, d_out)).double()


def make_optimizer(kind: str, model: nn.Module, lr: float) -> torch.optim.Optimizer:
    if kind == "sgd":
        return torch.optim.SGD(model.parameters(), lr=lr)
    if kind == "momentum":
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    return torch.optim.Adam(model.parameters(), lr=lr * 0.1)


def make_batch(seed: int, n: int, d_in: int, d_out: int, loss: str):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d_in, generator=g, dtype=torch.float64)
    if loss == "cross_entropy":
        return x, torch.randint(d_out, (n,), generator=g), F.cross_entropy
    return x, torch.randn(n, d_out, generator=g, dtype=torch.float64), F.mse_loss


def full_batch_step(model, opt, loss_fn, x, y) -> float:
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


def assert_same_parameters(got: nn.Module, want: nn.Module, call: str, when: str) -> None:
    for (name, p), q in zip(got.named_parameters(), want.parameters(), strict=True):
        # float64 throughout; summing k weighted micro-batch gradients reorders a few additions.
        assert_close(p.detach(), q.detach(), rtol=1e-9, atol=1e-11, call=call,
                     name=f"parameter {name} {when} (reference: one full-batch step)")


@given(n=st.integers(1, 13), m=st.integers(1, 16), d_in=st.integers(1, 4), d_out=st.integers(2, 4),
       opt_kind=OPTIMIZERS, loss=LOSSES, lr=st.sampled_from([0.05, 0.5]), seed=seeds())
@example(n=7, m=3, d_in=3, d_out=3, opt_kind="sgd", loss="mse", lr=0.5, seed=0)         # short last micro-batch
@example(n=8, m=4, d_in=2, d_out=2, opt_kind="sgd", loss="cross_entropy", lr=0.5, seed=1)   # even split
@example(n=1, m=1, d_in=1, d_out=2, opt_kind="momentum", loss="mse", lr=0.05, seed=2)
@example(n=5, m=9, d_in=2, d_out=3, opt_kind="adam", loss="cross_entropy", lr=0.5, seed=3)  # m > N: one pass
@settings(max_examples=20)
def test_two_steps_match_full_batch_steps(kata, n, m, d_in, d_out, opt_kind, loss, lr, seed):
    model = make_model(seed, d_in, d_out)
    ref = copy.deepcopy(model)
    opt, ref_opt = make_optimizer(opt_kind, model, lr), make_optimizer(opt_kind, ref, lr)
    for p in model.parameters():  # a stale gradient from "before the call" must be discarded
        p.grad = torch.ones_like(p)
    for step, when in enumerate(["after one step", "after a second step on a new batch"]):
        x, y, loss_fn = make_batch(seed + step, n, d_in, d_out, loss)
        call = describe_call("accumulation_step", "model", opt_kind, loss_fn.__name__, x, y, m)
        got = call_unmodified(kata.accumulation_step, model, opt, loss_fn, x, y, m)
        want = full_batch_step(ref, ref_opt, loss_fn, x, y)
        assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
        assert_close(got, want, rtol=1e-10, atol=1e-12, call=call, name=f"returned loss {when} (full-batch mean)")
        assert_same_parameters(model, ref, call, when)


@given(n=st.integers(1, 12), m=st.integers(1, 14), seed=seeds())
@example(n=7, m=3, seed=0)
@example(n=6, m=6, seed=0)
@example(n=4, m=5, seed=0)
@settings(max_examples=15)
def test_each_forward_pass_sees_one_micro_batch_in_order(kata, n, m, seed):
    model = make_model(seed, 2, 2)
    seen = []
    model.register_forward_hook(lambda mod, args, out: seen.append(args[0].detach().clone()))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y, loss_fn = make_batch(seed, n, 2, 2, "mse")
    kata.accumulation_step(model, opt, loss_fn, x, y, m)
    call = describe_call("accumulation_step", "model", "sgd", "mse_loss", x, y, m)
    sizes = [min(m, n - s) for s in range(0, n, m)]
    assert_equal([len(b) for b in seen], sizes, call=call, name="rows of each forward pass")
    assert_close(torch.cat(seen), x, rtol=0, atol=0, call=call, name="forward inputs, concatenated in order")


@given(m=st.integers(-3, 0))
@example(m=0)
def test_rejects_micro_batch_size_below_one(kata, m):
    model = make_model(0, 2, 2)
    x, y, loss_fn = make_batch(0, 4, 2, 2, "mse")
    with pytest.raises(ValueError):
        kata.accumulation_step(model, torch.optim.SGD(model.parameters(), lr=0.1), loss_fn, x, y, m)
        pytest.fail(f"accumulation_step(..., micro_batch_size={m}) returned instead of raising ValueError")

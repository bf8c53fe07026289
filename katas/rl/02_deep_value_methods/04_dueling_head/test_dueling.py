"""Tests for rl-02-4, the dueling network head.

References: the mean-subtracted aggregation Q = V + A - mean_a A in closed form (numpy, float64);
its defining properties (mean_a Q = V, invariance to a per-state constant added to A, the argmax of
Q is the argmax of A); its gradients against the hand-derived ones (dQ/dV sums the upstream
gradient, dQ/dA is the upstream gradient minus its mean) via torch.autograd; and the module's
forward pass recomputed from its own two linear streams.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)


def draw_inputs(seed: int, b: int, n: int, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(b, 1, generator=g, dtype=torch.float64).to(dtype),
            (torch.randn(b, n, generator=g, dtype=torch.float64) * 3).to(dtype))


@given(b=st.integers(1, 8), n=st.integers(1, 6), dtype=torch_float_dtypes(), seed=seeds())
@example(b=2, n=3, dtype=torch.float64, seed=0)
def test_combine_closed_form_and_properties(kata, b, n, dtype, seed):
    value, adv = draw_inputs(seed, b, n, dtype)
    call = describe_call("dueling_combine", value, adv)
    q = call_unmodified(kata.dueling_combine, value, adv, fn_name="dueling_combine")
    assert_shape(q, (b, n), call=call)
    assert_dtype(q, dtype, call=call)
    v, a = value.double().numpy(), adv.double().numpy()
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert_close(q, v + a - a.mean(axis=1, keepdims=True), rtol=tol, atol=tol,
                 name="Q = V + A - mean over actions of A", call=call)
    assert_close(q.double().mean(dim=1, keepdim=True), v, rtol=tol, atol=tol,
                 name="mean over actions of Q (must equal V: that is what makes V identifiable)", call=call)
    shift = torch.arange(b, dtype=dtype)[:, None] * 7.0
    assert_close(kata.dueling_combine(value, adv + shift), q, rtol=tol, atol=10 * tol,
                 name="Q after adding a per-state constant to A (must not change)", call=call)
    assert_equal(q.argmax(dim=1), adv.argmax(dim=1), name="greedy action (argmax Q must be argmax A)", call=call)


@given(b=st.integers(1, 6), n=st.integers(1, 5), seed=seeds())
def test_gradients(kata, b, n, seed):
    """For L = sum(W * Q): dL/dV = sum_a W, dL/dA = W - mean_a W (hand-derived)."""
    value, adv = draw_inputs(seed, b, n, torch.float64)
    value.requires_grad_(True)
    adv.requires_grad_(True)
    w = torch.randn(b, n, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    q = kata.dueling_combine(value, adv)
    gv, ga = torch.autograd.grad((w * q).sum(), (value, adv))
    call = describe_call("dueling_combine", value, adv)
    assert_close(gv, w.sum(dim=1, keepdim=True), rtol=1e-12, atol=1e-12, name="dL/dV (sum of upstream gradients)",
                 call=call)
    assert_close(ga, w - w.mean(dim=1, keepdim=True), rtol=1e-12, atol=1e-12,
                 name="dL/dA (upstream gradient minus its mean over actions: the mean must not be detached)",
                 call=call)


@given(bad=st.sampled_from(["flat_value", "value_per_action", "1d_advantage", "batch_mismatch"]))
def test_rejects_bad_shapes(kata, bad):
    value, adv = {"flat_value": (torch.zeros(2), torch.zeros(2, 3)),
                  "value_per_action": (torch.zeros(2, 3), torch.zeros(2, 3)),
                  "1d_advantage": (torch.zeros(3, 1), torch.zeros(3)),
                  "batch_mismatch": (torch.zeros(3, 1), torch.zeros(2, 3))}[bad]
    with pytest.raises(ValueError):
        kata.dueling_combine(value, adv)


@given(in_features=st.integers(1, 8), n=st.integers(1, 6), b=st.integers(1, 5), seed=seeds())
def test_head_uses_its_two_streams(kata, in_features, n, b, seed):
    torch.manual_seed(seed)
    head = kata.DuelingHead(in_features, n)
    assert isinstance(head.value, torch.nn.Linear) and isinstance(head.advantage, torch.nn.Linear), (
        "DuelingHead must have nn.Linear attributes `value` and `advantage`")
    assert (head.value.in_features, head.value.out_features) == (in_features, 1), (
        f"value stream is Linear({head.value.in_features}, {head.value.out_features}), expected "
        f"Linear({in_features}, 1): one state value per state")
    assert (head.advantage.in_features, head.advantage.out_features) == (in_features, n), (
        f"advantage stream is Linear({head.advantage.in_features}, {head.advantage.out_features}), expected "
        f"Linear({in_features}, {n})")
    n_params = sum(p.numel() for p in head.parameters())
    assert n_params == (in_features + 1) * (n + 1), f"DuelingHead has {n_params} parameters, expected {(in_features + 1) * (n + 1)}"
    x = torch.randn(b, in_features, generator=torch.Generator().manual_seed(seed))
    call = describe_call("DuelingHead(...).forward", x)
    q = call_unmodified(head, x, fn_name="DuelingHead.forward")
    with torch.no_grad():
        v, a = head.value(x).double().numpy(), head.advantage(x).double().numpy()
    # float32 linear layers: 1e-5.
    assert_close(q, v + a - a.mean(axis=1, keepdims=True), rtol=1e-5, atol=1e-6, name="Q from the head", call=call)


@given(seed=seeds(), n=st.integers(2, 5))
def test_one_action_update_moves_every_action(kata, seed, n):
    """The point of the architecture: a gradient step on Q(s, a0) alone also moves Q(s, a) for the
    other actions, through the shared value stream (a plain linear head would move only a0)."""
    torch.manual_seed(seed)
    head = kata.DuelingHead(3, n)
    x = torch.randn(1, 3, generator=torch.Generator().manual_seed(seed))
    before = head(x).detach().clone()
    opt = torch.optim.SGD(head.parameters(), lr=0.1)
    (head(x)[0, 0] - (before[0, 0] + 1.0)).pow(2).backward()
    opt.step()
    after = head(x).detach()
    moved = (after - before)[0, 1:].abs()
    assert torch.all(moved > 1e-6), (
        f"after one SGD step on Q(s, 0) only, Q(s, a) for a >= 1 moved by {moved.tolist()}; in a dueling head every "
        "action shares V(s), so all of them should move")
    assert not np.allclose((after - before)[0, 1:].numpy(), 0), "no movement"

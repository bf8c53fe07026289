"""Tests for prod-04-3, DeepLIFT's rescale rule.

References: captum.attr.DeepLift (whose default rule for nn.ReLU is the rescale rule, with the same
1e-10 fallback to the gradient), the summation-to-delta property, and the closed form for a
network without ReLUs.
"""
import warnings

import numpy as np
import pytest
import torch
from captum.attr import DeepLift
from hypothesis import example, given
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call


def make_mlp(seed: int, widths: tuple[int, ...], dtype: torch.dtype = torch.float64) -> nn.Sequential:
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers).to(dtype)


@st.composite
def problems(draw: st.DrawFn) -> tuple[nn.Sequential, torch.Tensor, torch.Tensor, int]:
    widths = tuple(draw(st.lists(st.integers(1, 6), min_size=2, max_size=4)))
    model = make_mlp(draw(seeds()), widths)
    g = torch.Generator().manual_seed(draw(seeds()))
    n = draw(st.integers(1, 5))
    x = torch.randn(n, widths[0], generator=g, dtype=torch.float64)
    shape = draw(st.sampled_from([(widths[0],), (n, widths[0])]))
    baseline = torch.randn(shape, generator=g, dtype=torch.float64) * draw(st.sampled_from([0.0, 1.0]))
    return model, x, baseline, draw(st.integers(0, widths[-1] - 1))


def captum_deeplift(model: nn.Sequential, x: torch.Tensor, baseline: torch.Tensor, target: int) -> torch.Tensor:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = DeepLift(model).attribute(x.clone(), baselines=torch.broadcast_to(baseline, x.shape).clone(),
                                        target=target)
    return out.detach()


SAME = (make_mlp(3, (3, 4, 2)), torch.tensor([[0.5, -1.0, 2.0]], dtype=torch.float64),
        torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64), 1)


@given(problem=problems())
@example(problem=SAME)                                                    # x == baseline: every attribution 0
def test_matches_captum(kata, problem):
    model, x, baseline, target = problem
    call = describe_call("deeplift_rescale", model, x, baseline, target=target)
    got = call_unmodified(kata.deeplift_rescale, model, x, baseline, target=target)
    # float64 products of a few small matrices: rounding only
    assert_close(got, captum_deeplift(model, x, baseline, target), rtol=1e-9, atol=1e-12, name="attributions",
                 call=call)


@given(problem=problems(), dtype=torch_float_dtypes())
def test_summation_to_delta_and_dtype(kata, problem, dtype):
    model, x, baseline, target = problem
    model, x, baseline = model.to(dtype), x.to(dtype), baseline.to(dtype)
    call = describe_call("deeplift_rescale", model, x, baseline, target=target)
    got = kata.deeplift_rescale(model, x, baseline, target=target)
    assert_dtype(got, x, call=call)
    with torch.no_grad():
        want = model(x)[:, target] - model(torch.broadcast_to(baseline, x.shape))[:, target]
    tol = 1e-4 if dtype == torch.float32 else 1e-10   # float32 sums of a few dozen products
    assert_close(got.sum(dim=1), want, rtol=tol, atol=tol, name="row sums of the attributions", call=call)


def test_zero_difference_unit_uses_the_gradient(kata):
    """A hidden unit whose input is the same for x and the baseline, though x differs from it:
    its multiplier is the gradient (1 here), and it splits +w and -w between the two inputs."""
    model = nn.Sequential(nn.Linear(2, 1), nn.ReLU(), nn.Linear(1, 1)).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0, -1.0]]))
        model[0].bias.fill_(1.0)
        model[2].weight.fill_(2.0)
    x, baseline = torch.tensor([[1.0, 1.0]], dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    call = describe_call("deeplift_rescale", model, x, baseline)
    got = kata.deeplift_rescale(model, x, baseline)
    assert_close(got, [[2.0, -2.0]], rtol=0, atol=1e-12, name="attributions", call=call)
    assert_close(got, captum_deeplift(model, x, baseline, 0), rtol=0, atol=1e-12, name="attributions (captum)",
                 call=call)


@given(seed=seeds(), n=st.integers(1, 6), h=st.integers(1, 5), dtype=torch_float_dtypes())
@example(seed=0, n=1, h=1, dtype=torch.float64)
def test_rescale_multipliers(kata, seed, n, h, dtype):
    g = torch.Generator().manual_seed(seed)
    a, a0 = torch.randn(n, h, generator=g, dtype=dtype), torch.randn(n, h, generator=g, dtype=dtype)
    a0[0, 0] = a[0, 0]                          # delta_in = 0: the gradient at a
    if n > 1:
        a[1], a0[1] = -a[1].abs() - 0.1, a[1].abs() + 0.1      # one side negative, the other positive
    call = describe_call("rescale_multipliers", a, a0)
    got = call_unmodified(kata.rescale_multipliers, a, a0)
    assert_dtype(got, a, call=call)
    an, a0n = a.double().numpy(), a0.double().numpy()
    din, dout = an - a0n, np.maximum(an, 0) - np.maximum(a0n, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        want = np.where(np.abs(din) < 1e-10, (an > 0).astype(np.float64), dout / din)
    tol = 1e-6 if dtype == torch.float32 else 1e-12
    assert_close(got, want, rtol=tol, atol=tol, name="multipliers", call=call)


def test_rescale_multiplier_fallback_at_zero_difference(kata):
    a = torch.tensor([[2.0, -3.0, 0.0]], dtype=torch.float64)
    got = kata.rescale_multipliers(a, a.clone())
    assert_equal(got, [[1.0, 0.0, 0.0]], name="multipliers where delta_in = 0 (the ReLU's gradient at a_in)",
                 call=describe_call("rescale_multipliers", a, a))


@given(seed=seeds(), d=st.integers(1, 5), k=st.integers(1, 3))
def test_network_without_relu_gives_weight_times_difference(kata, seed, d, k):
    model = make_mlp(seed, (d, k))
    g = torch.Generator().manual_seed(seed)
    x, baseline = torch.randn(3, d, generator=g, dtype=torch.float64), torch.randn(d, generator=g, dtype=torch.float64)
    for target in range(k):
        got = kata.deeplift_rescale(model, x, baseline, target=target)
        assert_close(got, model[0].weight.detach()[target] * (x - baseline), rtol=1e-12, atol=1e-12,
                     name="attributions of a linear model", call=describe_call("deeplift_rescale", model, x, baseline,
                                                                                 target=target))


@given(problem=problems())
def test_default_target_is_zero(kata, problem):
    model, x, baseline, _ = problem
    assert_close(kata.deeplift_rescale(model, x, baseline), captum_deeplift(model, x, baseline, 0), rtol=1e-9,
                 atol=1e-12, name="attributions with the default target", call=describe_call("deeplift_rescale", model,
                                                                                            x, baseline))


def test_rejects_bad_arguments(kata):
    x, b = torch.zeros(2, 3, dtype=torch.float64), torch.zeros(3, dtype=torch.float64)
    tanh_model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 2)).double()
    with pytest.raises(ValueError):
        kata.deeplift_rescale(tanh_model, x, b)
        pytest.fail("deeplift_rescale with an nn.Tanh layer returned instead of raising ValueError")
    model = make_mlp(0, (3, 4, 2))
    for target in (2, -1):
        with pytest.raises(ValueError):
            kata.deeplift_rescale(model, x, b, target=target)
            pytest.fail(f"deeplift_rescale with target={target} of 2 outputs returned instead of raising ValueError")


def test_rescale_multiplier_threshold_is_strict(kata):
    """|delta_in| exactly EPS = 1e-10 is a real difference: the ratio, not the gradient."""
    half = 1e-10 / 2
    a, a0 = torch.tensor([[half]], dtype=torch.float64), torch.tensor([[-half]], dtype=torch.float64)
    got = kata.rescale_multipliers(a, a0)
    assert_close(got, [[0.5]], rtol=1e-12, atol=0, name="multiplier at |delta_in| = EPS (ratio 0.5e-10 / 1e-10)",
                 call=describe_call("rescale_multipliers", a, a0))

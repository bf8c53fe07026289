"""Tests for arch-04-1, RealNVP affine coupling.

References: the Jacobian of the layer (and of a whole flow) computed by torch.autograd.functional.
jacobian, whose log|det| (torch.linalg.slogdet) the log-determinants must equal; the exact round
trip inverse(forward(x)) = x; the coupling formula evaluated from the given scale_shift; a flow
whose couplings have constant scale and shift is an elementwise affine map of a standard normal,
so its density is torch.distributions.Normal's.
"""
import math

import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.autograd.functional import jacobian

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


@st.composite
def layers_and_data(draw: st.DrawFn, n_layers: int = 1) -> tuple[list, torch.Tensor, list[list[int]]]:
    d = draw(st.integers(1, 5))
    masks = [draw(st.lists(st.integers(0, 1), min_size=d, max_size=d)) for _ in range(n_layers)]
    seed = draw(seeds())
    return masks, seed, d


def build(kata, masks: list[list[int]], seed: int) -> list:
    torch.manual_seed(seed)   # the layers' initial weights only; the code under test draws nothing
    layers = [kata.AffineCoupling(torch.tensor(m), hidden=8).double() for m in masks]
    with torch.no_grad():
        for layer in layers:
            for p in layer.parameters():
                p.mul_(3.0)    # large enough scales that a wrong sign or a missing mask shows
    return layers


def data(seed: int, b: int, d: int) -> torch.Tensor:
    return torch.randn(b, d, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64) * 2


@given(case=layers_and_data(), b=st.integers(1, 4))
@example(case=([[1, 0, 1, 0]], 0, 4), b=2)
@example(case=([[0, 0, 0]], 1, 3), b=1)      # nothing conditions: s and t are constants
@example(case=([[1, 1]], 2, 2), b=1)         # everything passes through: the identity
def test_forward_is_the_coupling_formula(kata, case, b):
    masks, seed, d = case
    (layer,) = build(kata, masks, seed)
    x = data(seed, b, d)
    call = describe_call("AffineCoupling.forward", x)
    y, log_det = call_unmodified(layer, x, fn_name="AffineCoupling.forward")
    m = layer.mask
    s, t = layer.scale_shift(x * m)
    assert_close(y, torch.where(m.bool(), x, x * torch.exp(s) + t), rtol=1e-12, atol=1e-12, name="y", call=call)
    assert_close(log_det, ((1 - m) * s).sum(-1), rtol=1e-12, atol=1e-12, name="log_det", call=call)


@given(case=layers_and_data(), b=st.integers(1, 3))
@example(case=([[1, 0, 0, 1, 0]], 3, 5), b=1)
def test_log_det_equals_the_autograd_jacobian(kata, case, b):
    masks, seed, d = case
    (layer,) = build(kata, masks, seed)
    x = data(seed, b, d)
    _, log_det = layer(x)
    want = torch.stack([torch.linalg.slogdet(jacobian(lambda v: layer(v[None])[0][0], x[i]))[1] for i in range(b)])
    assert_close(log_det, want, rtol=1e-10, atol=1e-10, name="log|det dy/dx| (vs slogdet of the autograd Jacobian)",
                 call=describe_call("AffineCoupling.forward", x))


@given(case=layers_and_data(), b=st.integers(1, 4))
def test_inverse_is_exact(kata, case, b):
    masks, seed, d = case
    (layer,) = build(kata, masks, seed)
    x = data(seed, b, d)
    y, log_det = layer(x)
    call = describe_call("AffineCoupling.inverse", y)
    x_back, log_det_inv = call_unmodified(layer.inverse, y, fn_name="AffineCoupling.inverse")
    assert_close(x_back, x, rtol=1e-10, atol=1e-10, name="inverse(forward(x))", call=call)
    assert_close(log_det_inv, -log_det, rtol=1e-10, atol=1e-10, name="inverse log_det (expected -forward's)",
                 call=call)
    y2 = data(seed + 7, b, d)
    assert_close(layer(layer.inverse(y2)[0])[0], y2, rtol=1e-10, atol=1e-10, name="forward(inverse(y))", call=call)
    want = torch.stack([torch.linalg.slogdet(jacobian(lambda v: layer.inverse(v[None])[0][0], y2[i]))[1]
                        for i in range(b)])
    assert_close(layer.inverse(y2)[1], want, rtol=1e-10, atol=1e-10,
                 name="inverse log_det (vs the autograd Jacobian of inverse)", call=call)


@settings(max_examples=15)
@given(case=layers_and_data(n_layers=3), b=st.integers(1, 3))
def test_flow_density_is_the_change_of_variables(kata, case, b):
    masks, seed, d = case
    layers = build(kata, masks, seed)
    x = data(seed, b, d)

    def composed(v: torch.Tensor) -> torch.Tensor:
        for layer in layers:
            v = layer(v[None])[0][0]
        return v

    want = []
    for i in range(b):
        z = composed(x[i]).detach()
        log_base = -0.5 * float((z ** 2).sum()) - 0.5 * d * math.log(2 * math.pi)
        want.append(log_base + float(torch.linalg.slogdet(jacobian(composed, x[i]))[1]))
    call = describe_call("flow_log_prob", f"{len(layers)} layers", x)
    got = call_unmodified(kata.flow_log_prob, layers, x, fn_name="flow_log_prob")
    assert_close(got, want, rtol=1e-10, atol=1e-10, name="log p(x)", call=call)


@given(seed=seeds(), d=st.integers(1, 4), n_layers=st.integers(1, 3))
def test_constant_couplings_give_a_diagonal_gaussian(kata, seed, d, n_layers):
    """With zero output weights every coupling is x -> x exp(s) + t on its free dims: a Gaussian."""
    g = torch.Generator().manual_seed(seed)
    layers, scale, shift = [], torch.ones(d, dtype=torch.float64), torch.zeros(d, dtype=torch.float64)
    for i in range(n_layers):
        mask = torch.tensor([(j + i) % 2 for j in range(d)])
        layer = kata.AffineCoupling(mask, hidden=4).double()
        with torch.no_grad():
            layer.net[2].weight.zero_()
            layer.net[2].bias.copy_(torch.randn(2 * d, generator=g, dtype=torch.float64))
        s, t = layer.scale_shift(torch.zeros(1, d, dtype=torch.float64))
        free = 1 - mask.double()
        a, c = torch.where(free.bool(), torch.exp(s[0]), 1.0), free * t[0]
        scale, shift = scale * a, shift * a + c     # z = a * v + c, composed
        layers.append(layer)
    # x = (z - shift) / scale with z ~ N(0, I): x ~ N(-shift / scale, 1 / scale)
    dist = torch.distributions.Normal(-shift / scale, 1 / scale)
    x = torch.randn(5, d, generator=g, dtype=torch.float64)
    assert_close(kata.flow_log_prob(layers, x), dist.log_prob(x).sum(-1), rtol=1e-10, atol=1e-10,
                 name="log p(x) (vs torch.distributions.Normal)", call=describe_call("flow_log_prob", layers, x))


@given(case=layers_and_data(n_layers=3), b=st.integers(1, 4))
def test_flow_inverse_undoes_the_flow(kata, case, b):
    masks, seed, d = case
    layers = build(kata, masks, seed)
    z = data(seed, b, d)
    call = describe_call("flow_inverse", f"{len(layers)} layers", z)
    x = call_unmodified(kata.flow_inverse, layers, z, fn_name="flow_inverse")
    for layer in layers:
        x = layer(x)[0]
    assert_close(x, z, rtol=1e-9, atol=1e-9, name="flow(flow_inverse(z))", call=call)


def test_log_prob_trains_the_parameters(kata):
    torch.manual_seed(0)
    layers = [kata.AffineCoupling(torch.tensor([1, 0])), kata.AffineCoupling(torch.tensor([0, 1]))]
    x = torch.randn(8, 2)
    kata.flow_log_prob(layers, x).mean().backward()
    grads = [p.grad for layer in layers for p in layer.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads), \
        "flow_log_prob(...).mean().backward() left a layer parameter without a gradient"
    assert any(float(g.abs().sum()) > 0 for g in grads), "flow_log_prob's gradient is zero for every parameter"

"""Tests for arch-04-2, Glow's ActNorm and invertible 1x1 convolution.

References: torch.nn.functional.conv2d with the weight as a 1x1 kernel; slogdet of the full
Jacobian from torch.autograd.functional.jacobian on small images; torch's per-channel mean and
population std for the data-dependent initialisation; exact round trips.
"""
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.autograd.functional import jacobian

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def images(seed: int, b: int, c: int, h: int, w: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    scale = torch.rand(1, c, 1, 1, generator=g, dtype=torch.float64) * 4 + 0.2
    shift = torch.randn(1, c, 1, 1, generator=g, dtype=torch.float64) * 3
    return torch.randn(b, c, h, w, generator=g, dtype=torch.float64) * scale + shift


SHAPES = st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 3), st.integers(1, 3))


@given(shape=SHAPES, seed=seeds())
@example(shape=(2, 3, 1, 1), seed=0)     # one pixel: statistics over the batch only
def test_actnorm_first_batch_is_standardised(kata, shape, seed):
    b, c, h, w = shape
    x = images(seed, b, c, h, w)
    if b * h * w == 1:
        x = torch.cat([x, x + 1.5])    # a single value has no spread: use two
        b = 2
    layer = kata.ActNorm(c).double()
    call = describe_call("ActNorm.forward (first call)", x)
    y, log_det = call_unmodified(layer, x, fn_name="ActNorm.forward")
    assert bool(layer.initialized), f"{call} left `initialized` False"
    mean = x.mean(dim=(0, 2, 3))
    std = x.std(dim=(0, 2, 3), unbiased=False)
    assert_close(layer.loc.detach(), -mean, rtol=1e-12, atol=1e-12, name="loc (expected -channel mean)", call=call)
    assert_close(layer.log_scale.detach(), -torch.log(std + 1e-6), rtol=1e-12, atol=1e-12,
                 name="log_scale (expected -log(population std + 1e-6))", call=call)
    assert_close(y.mean(dim=(0, 2, 3)), torch.zeros(c), rtol=0, atol=1e-9, name="output channel means", call=call)
    assert_close(y.std(dim=(0, 2, 3), unbiased=False), std / (std + 1e-6), rtol=1e-9, atol=0,
                 name="output channel population stds (1, up to the EPS guard)", call=call)
    assert_close(log_det, torch.full((b,), h * w * float(layer.log_scale.detach().sum()), dtype=torch.float64),
                 rtol=1e-12, atol=1e-12,
                 name="log_det (H * W * sum(log_scale) per sample)", call=call)


def test_actnorm_constant_channel_stays_finite(kata):
    x = torch.ones(2, 2, 2, 2, dtype=torch.float64)
    x[:, 1] = torch.arange(8, dtype=torch.float64).reshape(2, 2, 2)
    y, log_det = kata.ActNorm(2).double()(x)
    assert torch.isfinite(y).all() and torch.isfinite(log_det).all(), \
        "ActNorm on a batch with a constant channel gave NaN/inf: add EPS to the std before the log"


@given(shape=SHAPES, seed=seeds())
def test_actnorm_later_calls_use_the_stored_parameters(kata, shape, seed):
    b, c, h, w = shape
    layer = kata.ActNorm(c).double()
    layer(images(seed, b, c, h, w))
    loc, log_scale = layer.loc.detach().clone(), layer.log_scale.detach().clone()
    x2 = images(seed + 1, b, c, h, w) * 5
    y2, log_det = layer(x2)
    call = describe_call("ActNorm.forward (second call)", x2)
    assert_close(layer.loc.detach(), loc, rtol=0, atol=0, name="loc after a second batch (must not re-initialise)",
                 call=call)
    want = (x2 + loc[None, :, None, None]) * torch.exp(log_scale)[None, :, None, None]
    assert_close(y2, want, rtol=1e-12, atol=1e-12, name="y = (x + loc) * exp(log_scale)", call=call)
    assert_close(log_det, torch.full((b,), h * w * float(log_scale.sum()), dtype=torch.float64),
                 rtol=1e-12, atol=1e-12,
                 name="log_det", call=call)


@given(shape=SHAPES, seed=seeds())
def test_actnorm_initialized_flag_is_respected(kata, shape, seed):
    b, c, h, w = shape
    layer = kata.ActNorm(c).double()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        layer.loc.copy_(torch.randn(c, generator=g, dtype=torch.float64))
        layer.log_scale.copy_(torch.randn(c, generator=g, dtype=torch.float64))
    layer.initialized.fill_(True)   # e.g. loaded from a checkpoint
    x = images(seed, b, c, h, w)
    y, _ = layer(x)
    want = (x + layer.loc.detach()[None, :, None, None]) * torch.exp(layer.log_scale.detach())[None, :, None, None]
    assert_close(y, want, rtol=1e-12, atol=1e-12, name="y with initialized = True (no data-dependent init)",
                 call=describe_call("ActNorm.forward", x))


def log_abs_det_jacobian(fn, x: torch.Tensor) -> torch.Tensor:
    """slogdet of d fn(x[i]) / d x[i] for every sample, flattening (C, H, W)."""
    out = []
    for i in range(x.shape[0]):
        jac = jacobian(lambda v: fn(v[None])[0][0], x[i])
        n = x[i].numel()
        out.append(torch.linalg.slogdet(jac.reshape(n, n))[1])
    return torch.stack(out)


@settings(max_examples=15)
@given(shape=st.tuples(st.integers(1, 2), st.integers(1, 3), st.integers(1, 2), st.integers(1, 3)), seed=seeds(),
       which=st.sampled_from(["actnorm", "invconv"]))
def test_log_dets_equal_the_autograd_jacobian(kata, shape, seed, which):
    b, c, h, w = shape
    x = images(seed, b, c, h, w)
    g = torch.Generator().manual_seed(seed)
    if which == "actnorm":
        layer = kata.ActNorm(c).double()
        layer(images(seed + 3, 2, c, h, w))   # initialise on another batch
    else:
        layer = kata.InvConv1x1(c, generator=g).double()
        with torch.no_grad():    # a trained W is not orthogonal
            layer.weight.add_(0.5 * torch.randn(c, c, generator=g, dtype=torch.float64))
    for name, fn, inp in (("forward", layer, x), ("inverse", layer.inverse, x)):
        _, log_det = fn(inp)
        assert_close(log_det, log_abs_det_jacobian(fn, inp), rtol=1e-9, atol=1e-9,
                     name=f"{name} log_det (vs slogdet of the autograd Jacobian)",
                     call=describe_call(f"{type(layer).__name__}.{name}", inp))


@given(shape=SHAPES, seed=seeds(), orthogonal=st.booleans())
def test_invconv_is_a_1x1_convolution_and_inverts_exactly(kata, shape, seed, orthogonal):
    b, c, h, w = shape
    g = torch.Generator().manual_seed(seed)
    layer = kata.InvConv1x1(c, generator=g).double()
    if not orthogonal:
        with torch.no_grad():
            layer.weight.add_(0.7 * torch.randn(c, c, generator=g, dtype=torch.float64))
    x = images(seed, b, c, h, w)
    call = describe_call("InvConv1x1.forward", x)
    y, log_det = call_unmodified(layer, x, fn_name="InvConv1x1.forward")
    weight = layer.weight.detach()
    assert_close(y, F.conv2d(x, weight[:, :, None, None]), rtol=1e-12, atol=1e-12,
                 name="y (vs F.conv2d with W as a 1x1 kernel)", call=call)
    assert_close(log_det, torch.full((b,), h * w * float(torch.linalg.slogdet(weight)[1]), dtype=torch.float64),
                 rtol=1e-10,
                 atol=1e-10, name="log_det (H * W * log|det W|)", call=call)
    x_back, log_det_inv = call_unmodified(layer.inverse, y, fn_name="InvConv1x1.inverse")
    assert_close(x_back, x, rtol=1e-9, atol=1e-9, name="inverse(forward(x))", call=call)
    assert_close(log_det_inv, -log_det, rtol=1e-10, atol=1e-10, name="inverse log_det", call=call)


@given(shape=SHAPES, seed=seeds())
def test_actnorm_inverts_exactly(kata, shape, seed):
    b, c, h, w = shape
    layer = kata.ActNorm(c).double()
    x = images(seed, b, c, h, w)
    layer(images(seed + 1, b, c, h, w))
    y, log_det = layer(x)
    call = describe_call("ActNorm.inverse", y)
    x_back, log_det_inv = call_unmodified(layer.inverse, y, fn_name="ActNorm.inverse")
    assert_close(x_back, x, rtol=1e-10, atol=1e-10, name="inverse(forward(x))", call=call)
    assert_close(log_det_inv, -log_det, rtol=1e-10, atol=1e-10, name="inverse log_det", call=call)

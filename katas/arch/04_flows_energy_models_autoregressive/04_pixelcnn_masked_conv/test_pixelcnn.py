"""Tests for arch-04-4, PixelCNN masked convolutions.

References: the mask's definition written out; torch.nn.functional.conv2d with the masked weight;
autograd (the gradient of one output pixel with respect to every input pixel) for causality; and the
exact receptive field of a stack of masked convolutions, propagated as sets of kernel offsets.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

KERNELS = st.sampled_from([1, 3, 5, 7])


def mask_reference(k: int, kind: str) -> np.ndarray:
    c = k // 2
    m = np.zeros((k, k))
    for u in range(k):
        for v in range(k):
            m[u, v] = float(u < c or (u == c and (v < c or (v == c and kind == "B"))))
    return m


@given(k=KERNELS, kind=st.sampled_from(["A", "B"]))
@example(k=1, kind="A")    # a 1x1 type-A kernel sees nothing at all
@example(k=1, kind="B")
def test_mask_matches_its_definition(kata, k, kind):
    call = describe_call("causal_mask", k, kind)
    got = kata.causal_mask(k, kind)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    assert_equal(got, mask_reference(k, kind), name="mask", call=call)


@given(bad=st.sampled_from([(2, "A"), (4, "B"), (0, "A"), (-1, "B"), (3, "C"), (3, "a")]))
def test_mask_rejects_bad_arguments(kata, bad):
    with pytest.raises(ValueError):
        kata.causal_mask(*bad)
        pytest.fail(f"causal_mask{bad} returned instead of raising ValueError")


@given(k=KERNELS, kind=st.sampled_from(["A", "B"]), cin=st.integers(1, 3), cout=st.integers(1, 3),
       h=st.integers(1, 6), w=st.integers(1, 6), seed=seeds())
def test_forward_is_the_masked_convolution_and_masked_weights_get_no_gradient(kata, k, kind, cin, cout, h, w, seed):
    torch.manual_seed(seed)   # the layer's initial weights only
    layer = kata.MaskedConv2d(cin, cout, k, kind).double()
    x = torch.randn(2, cin, h, w, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    call = describe_call("MaskedConv2d.forward", x)
    out = layer(x)
    mask = torch.from_numpy(mask_reference(k, kind))
    want = F.conv2d(x, layer.weight.detach() * mask, layer.bias.detach(), padding=k // 2)
    assert_close(out, want, rtol=1e-12, atol=1e-12, call=call)
    out.sum().backward()
    hidden = layer.weight.grad * (1 - mask)
    assert_close(hidden, torch.zeros_like(hidden), rtol=0, atol=0, name="gradient of the masked-out weights",
                 call=call)


def stack(kata, cin: int, hidden: int, k: int, n_b: int, first: str = "A") -> nn.Sequential:
    layers: list[nn.Module] = [kata.MaskedConv2d(cin, hidden, k, first), nn.Tanh()]
    for _ in range(n_b):
        layers += [kata.MaskedConv2d(hidden, hidden, k, "B"), nn.Tanh()]
    return nn.Sequential(*layers).double()


@settings(max_examples=15)
@given(k=st.sampled_from([3, 5]), n_b=st.integers(0, 3), h=st.integers(2, 7), w=st.integers(2, 7), seed=seeds(),
       data=st.data())
def test_outputs_never_depend_on_the_current_or_later_pixels(kata, k, n_b, h, w, seed, data):
    i, j = data.draw(st.integers(0, h - 1), label="i"), data.draw(st.integers(0, w - 1), label="j")
    torch.manual_seed(seed)
    model = stack(kata, 2, 4, k, n_b)
    x = torch.randn(1, 2, h, w, dtype=torch.float64, requires_grad=True)
    model(x)[0, :, i, j].sum().backward()
    grad = x.grad[0].abs().sum(0)
    order = torch.arange(h * w).reshape(h, w)
    future = grad[order >= i * w + j]
    assert float(future.abs().max()) == 0.0, (
        f"output pixel ({i}, {j}) of a type-A + {n_b} type-B stack has a non-zero gradient with respect to the input "
        f"at or after it in raster order: the model can see the pixel it predicts")


def receptive_field(masks: list[np.ndarray], h: int, w: int, i: int, j: int) -> np.ndarray:
    """Input pixels reachable from output (i, j) through the stack, by propagating kernel offsets."""
    reach = np.zeros((h, w), dtype=bool)
    reach[i, j] = True
    for m in reversed(masks):
        c = m.shape[0] // 2
        nxt = np.zeros_like(reach)
        for a, b in zip(*np.nonzero(reach), strict=True):
            for u, v in zip(*np.nonzero(m), strict=True):
                p, q = a + u - c, b + v - c
                if 0 <= p < h and 0 <= q < w:
                    nxt[p, q] = True
        reach = nxt
    return reach


@settings(max_examples=15)
@given(k=st.sampled_from([3, 5]), n_b=st.integers(0, 2), first=st.sampled_from(["A", "B"]), h=st.integers(2, 7),
       w=st.integers(2, 7), seed=seeds(), data=st.data())
@example(k=3, n_b=2, first="A", h=5, w=6, seed=0, data=None)   # the classic blind spot to the upper right
def test_dependency_map_is_the_receptive_field(kata, k, n_b, first, h, w, seed, data):
    if data is None:
        i, j = 4, 2
    else:
        i, j = data.draw(st.integers(0, h - 1), label="i"), data.draw(st.integers(0, w - 1), label="j")
    torch.manual_seed(seed)
    model = stack(kata, 2, 3, k, n_b, first)
    call = describe_call("dependency_map", "stack", 2, h, w, i, j, seed=seed)
    got = kata.dependency_map(model, 2, h, w, i, j, seed=seed)
    masks = [mask_reference(k, first)] + [mask_reference(k, "B")] * n_b
    assert_equal(got, receptive_field(masks, h, w, i, j), name="dependency map", call=call)


class TwoChannelProbe(nn.Module):
    """Output channel 0 copies input channel 0; output channel 1 is input channel 1 shifted one pixel right."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.stack([x[:, 0], F.pad(x[:, 1], (1, 0))[..., :-1]], dim=1)


def test_dependency_map_covers_every_input_and_output_channel(kata):
    got = kata.dependency_map(TwoChannelProbe(), 2, 2, 3, 1, 2)
    assert got.dtype == torch.bool, f"dependency_map returned dtype {got.dtype}, expected torch.bool"
    want = np.zeros((2, 3), dtype=bool)
    want[1, 2] = want[1, 1] = True     # (1, 2) through channel 0, (1, 1) through channel 1
    assert_equal(got, want, name="dependency map (any input channel, any output channel)",
                 call=describe_call("dependency_map", "TwoChannelProbe()", 2, 2, 3, 1, 2))


class GatedProbe(nn.Module):
    """out(i, j) = relu(x(0, 0)) * x(i, j): whether it depends on x(i, j) depends on the sign of x(0, 0)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x[:, :1, :1, :1]) * x[:, :1]


@given(seed=seeds())
def test_dependency_map_uses_the_seeded_image(kata, seed):
    x00 = float(torch.randn(1, 2, 3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)[0, 0, 0])
    got = kata.dependency_map(GatedProbe(), 1, 2, 3, 1, 2, seed=seed)
    want = np.zeros((2, 3), dtype=bool)
    want[1, 2] = x00 > 0           # d out / d x(1, 2) = relu(x00)
    want[0, 0] = x00 > 0           # d out / d x(0, 0) = x(1, 2) * [x00 > 0]
    assert_equal(got, want, name=f"dependency map of relu(x00) * x (the seeded image has x00 = {x00:.3f})",
                 call=describe_call("dependency_map", "GatedProbe()", 1, 2, 3, 1, 2, seed=seed))

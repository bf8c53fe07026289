"""Tests for dl-05-6, WaveNet-style dilated causal convolutions.

References: F.conv1d on a symmetrically padded input, cropped to the first T outputs (the textbook
causal convolution); a functional twin of the gated residual block on your parameters; and the
input-output Jacobian of the whole network (torch.autograd.functional.jacobian), whose zero pattern
must be causal and whose support must be exactly the receptive field.
"""
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, describe_call


@given(seed=seeds(), N=st.integers(1, 2), cin=st.integers(1, 3), cout=st.integers(1, 3), k=st.integers(1, 4),
       d=st.integers(1, 4), T=st.integers(1, 12), bias=st.booleans())
@example(seed=0, N=1, cin=1, cout=1, k=2, d=4, T=3, bias=True)  # the kernel spans past the start
def test_causal_conv_matches_padded_conv1d(kata, seed, N, cin, cout, k, d, T, bias):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(N, cin, T, generator=g, dtype=torch.float64)
    w = torch.randn(cout, cin, k, generator=g, dtype=torch.float64)
    b = torch.randn(cout, generator=g, dtype=torch.float64) if bias else None
    call = describe_call(f"causal_conv1d(dilation={d})", x, w, b)
    got = kata.causal_conv1d(x, w, b, dilation=d)
    want = F.conv1d(x, w, b, padding=d * (k - 1), dilation=d)[..., :T]
    assert_shape(got, (N, cout, T), call=call)
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="output (vs F.conv1d padded on both sides, first T kept)",
                 call=call)


def twin_block(block: torch.nn.Module, x: torch.Tensor, d: int) -> tuple[torch.Tensor, torch.Tensor]:
    k = block.filter_conv.weight.shape[-1]
    xp = F.pad(x, (d * (k - 1), 0))
    f = F.conv1d(xp, block.filter_conv.weight, block.filter_conv.bias, dilation=d)
    g = F.conv1d(xp, block.gate_conv.weight, block.gate_conv.bias, dilation=d)
    z = torch.tanh(f) * torch.sigmoid(g)
    return (x + F.conv1d(z, block.res_conv.weight, block.res_conv.bias),
            F.conv1d(z, block.skip_conv.weight, block.skip_conv.bias))


@given(seed=seeds(), C=st.integers(1, 4), k=st.integers(1, 3), d=st.integers(1, 4), T=st.integers(1, 10))
def test_gated_block_matches_the_twin(kata, seed, C, k, d, T):
    torch.manual_seed(seed)
    block = kata.GatedResidualBlock(C, k, d).double()
    x = torch.randn(2, C, T, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    call = describe_call(f"GatedResidualBlock({C}, {k}, {d})", x)
    res, skip = block(x)
    want_res, want_skip = twin_block(block, x, d)
    assert_close(res, want_res, rtol=1e-12, atol=1e-12, name="residual output x + res_conv(z)", call=call)
    assert_close(skip, want_skip, rtol=1e-12, atol=1e-12, name="skip output skip_conv(z)", call=call)


@given(k=st.integers(1, 5), dilations=st.lists(st.integers(1, 16), max_size=6))
@example(k=2, dilations=[1, 2, 4, 8])
def test_receptive_field_formula(kata, k, dilations):
    assert_equal(kata.receptive_field(k, dilations), 1 + (k - 1) * sum(dilations),
                 call=describe_call("receptive_field", k, dilations))


@settings(max_examples=8)
@given(seed=seeds(), k=st.integers(2, 3), dilations=st.lists(st.sampled_from([1, 2, 4]), min_size=1, max_size=3))
@example(seed=1, k=2, dilations=[1, 2, 4])
def test_network_is_causal_and_sees_exactly_its_receptive_field(kata, seed, k, dilations):
    torch.manual_seed(seed)
    net = kata.WaveNet(1, 1, 6, k, dilations).double()
    R = 1 + (k - 1) * sum(dilations)
    T = R + 6
    g = torch.Generator().manual_seed(seed)
    J = torch.zeros(T, T, dtype=torch.float64)
    for _ in range(6):  # |J| summed over inputs: a ReLU that is off for one input does not hide a path
        x = torch.randn(1, 1, T, generator=g, dtype=torch.float64)
        J += torch.autograd.functional.jacobian(lambda inp: net(inp)[0, 0], x)[:, 0, 0, :].abs()  # ∂y_t/∂x_s
    call = describe_call(f"WaveNet(1, 1, 6, kernel_size={k}, dilations={dilations})", x)
    assert_shape(net(x), (1, 1, T), call=call)
    future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    leak = J[future].max()
    assert leak == 0, f"{call}: output t depends on a future input (max |∂y_t/∂x_s|, s > t, is {float(leak):.3g})"
    t = T - 1
    seen = torch.nonzero(J[t]).flatten()
    assert int(seen.min()) == t - R + 1, (f"{call}: output {t} sees inputs {int(seen.min())}..{int(seen.max())}, "
                                          f"expected {t - R + 1}..{t} (receptive field {R})")


@given(seed=seeds(), k=st.integers(1, 3), dilations=st.lists(st.sampled_from([1, 2, 4]), min_size=1, max_size=3),
       T=st.integers(1, 10))
@example(seed=2, k=2, dilations=[1, 2], T=5)
def test_wavenet_sums_every_skip(kata, seed, k, dilations, T):
    torch.manual_seed(seed)
    net = kata.WaveNet(2, 3, 4, k, dilations).double()
    x = torch.randn(2, 2, T, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    h = F.conv1d(x, net.input_conv.weight, net.input_conv.bias)
    skips = torch.zeros_like(h)
    for block, d in zip(net.blocks, dilations, strict=True):
        h, s = twin_block(block, h, d)
        skips = skips + s
    want = F.conv1d(torch.relu(skips), net.output_conv.weight, net.output_conv.bias)
    call = describe_call(f"WaveNet(2, 3, 4, kernel_size={k}, dilations={dilations})", x)
    assert_shape(net(x), (2, 3, T), name="output (N, out_ch, T)", call=call)
    assert_close(net(x), want, rtol=1e-12, atol=1e-12, name="output (vs the twin: relu of the sum of all skips)",
                 call=call)

"""Tests for dl-04-6, the ResNet basic block.

Reference: a functional twin written here (F.conv2d, F.batch_norm, F.relu) that runs on clones of
your block's parameters and buffers, in train mode (batch statistics, running statistics updated)
and eval mode; torch.autograd through the twin for the parameter gradients; torchvision's
BasicBlock parameter names.
"""
import math

import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, describe_call


def expected_shapes(cin: int, cout: int, stride: int) -> dict:
    bn = {"weight": (cout,), "bias": (cout,), "running_mean": (cout,), "running_var": (cout,), "num_batches_tracked": ()}
    shapes = {"conv1.weight": (cout, cin, 3, 3), "conv2.weight": (cout, cout, 3, 3)}
    for name in ("bn1", "bn2") + (("downsample.1",) if stride != 1 or cin != cout else ()):
        shapes.update({f"{name}.{k}": v for k, v in bn.items()})
    if stride != 1 or cin != cout:
        shapes["downsample.0.weight"] = (cout, cin, 1, 1)
    return shapes


def twin(state: dict, x: torch.Tensor, stride: int, training: bool) -> torch.Tensor:
    """The block written out with torch.nn.functional; updates the running statistics in `state` in train mode."""
    def bn(h: torch.Tensor, name: str) -> torch.Tensor:
        return F.batch_norm(h, state[f"{name}.running_mean"], state[f"{name}.running_var"], state[f"{name}.weight"],
                            state[f"{name}.bias"], training=training, momentum=0.1, eps=1e-5)

    out = F.relu(bn(F.conv2d(x, state["conv1.weight"], stride=stride, padding=1), "bn1"))
    out = bn(F.conv2d(out, state["conv2.weight"], padding=1), "bn2")
    short = x if "downsample.0.weight" not in state else bn(F.conv2d(x, state["downsample.0.weight"], stride=stride),
                                                              "downsample.1")
    return F.relu(out + short)


def cloned_state(block: torch.nn.Module) -> dict:
    return {k: v.detach().clone().requires_grad_(v.is_floating_point() and "running" not in k)
            for k, v in block.state_dict().items()}


def randomise(block: torch.nn.Module, seed: int) -> None:
    """Non-trivial γ, β and running statistics, so every parameter matters."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in block.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=g, dtype=m.weight.dtype) + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=g, dtype=m.bias.dtype))
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g, dtype=m.running_mean.dtype))
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=g, dtype=m.running_var.dtype) + 0.5)


CONFIGS = {"cin": st.integers(1, 4), "cout": st.integers(1, 4), "stride": st.integers(1, 2), "H": st.integers(1, 6),
           "W": st.integers(1, 6), "seed": seeds()}


@given(**CONFIGS, training=st.booleans())
@example(cin=3, cout=3, stride=1, H=4, W=4, seed=0, training=True)    # identity shortcut
@example(cin=2, cout=4, stride=2, H=5, W=3, seed=1, training=True)    # projection, odd sizes
@example(cin=3, cout=3, stride=2, H=4, W=4, seed=2, training=False)   # same width, stride 2: projection
def test_block_matches_the_functional_twin(kata, cin, cout, stride, H, W, seed, training):
    torch.manual_seed(seed)
    block = kata.BasicBlock(cin, cout, stride).double()
    randomise(block, seed)
    call = describe_call(f"BasicBlock({cin}, {cout}, stride={stride}) in {'train' if training else 'eval'} mode")
    shapes = {k: tuple(v.shape) for k, v in block.state_dict().items()}
    want_shapes = expected_shapes(cin, cout, stride)
    assert shapes == want_shapes, f"{call} has state_dict {shapes}, expected {want_shapes}"
    state = cloned_state(block)
    N = 2 if training else 1
    x = torch.randn(N, cin, H, W, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    block.train(training)
    got = block(x)
    want = twin(state, x, stride, training)
    assert_shape(got, (N, cout, math.ceil(H / stride), math.ceil(W / stride)), call=call)
    # float64, the same operations: rounding only.
    assert_close(got, want, rtol=1e-10, atol=1e-10, name="output (vs the functional twin)", call=call)
    for k, v in block.state_dict().items():
        if "running" in k:
            assert_close(v, state[k], rtol=1e-10, atol=1e-12, name=f"{k} after the forward pass", call=call)
    dy = torch.randn(got.shape, generator=torch.Generator().manual_seed(seed + 2), dtype=torch.float64)
    (got * dy).sum().backward()
    (want * dy).sum().backward()
    for name, p in block.named_parameters():
        assert_close(p.grad, state[name].grad, rtol=1e-9, atol=1e-10, name=f"gradient of {name} (vs the twin)",
                     call=call)


@given(**CONFIGS)
@example(cin=2, cout=2, stride=1, H=3, W=3, seed=3)
def test_zero_init_residual_starts_as_the_shortcut(kata, cin, cout, stride, H, W, seed):
    torch.manual_seed(seed)
    block = kata.BasicBlock(cin, cout, stride, zero_init_residual=True).double().eval()
    call = describe_call(f"BasicBlock({cin}, {cout}, stride={stride}, zero_init_residual=True).eval()")
    assert_close(block.bn2.weight, torch.zeros(cout), rtol=0, atol=0, name="bn2.weight", call=call)
    x = torch.randn(2, cin, H, W, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    if block.downsample is None:
        want = F.relu(x)
    else:
        conv, bn = block.downsample[0], block.downsample[1]
        want = F.relu(F.batch_norm(F.conv2d(x, conv.weight, stride=stride), bn.running_mean, bn.running_var,
                                   bn.weight, bn.bias, training=False, eps=1e-5))
    assert_close(block(x), want, rtol=1e-12, atol=1e-12, name="output of a zero-initialised block (relu(shortcut(x)))",
                 call=call)
    fresh = kata.BasicBlock(cin, cout, stride)
    assert torch.all(fresh.bn2.weight == 1), "without zero_init_residual, bn2.weight keeps BatchNorm's default of 1"

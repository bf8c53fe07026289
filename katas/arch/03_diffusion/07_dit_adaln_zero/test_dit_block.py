"""Tests for arch-03-7, a DiT block with adaLN-Zero.

References: the block's equations (Peebles & Xie 2023, Fig. 3) evaluated in the test with
F.layer_norm, F.silu and the module's own nn.MultiheadAttention and MLP, after the modulation is
randomised (float64); identity at initialisation; autograd for which parameters learn first.
"""
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

HEADS = st.sampled_from([1, 2])


@given(b=st.integers(1, 3), n=st.integers(1, 5), d=st.integers(1, 6), seed=seeds())
@example(b=2, n=3, d=4, seed=0)
def test_modulate(kata, b, n, d, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, n, d, generator=g, dtype=torch.float64)
    shift, scale = torch.randn(b, d, generator=g, dtype=torch.float64), torch.randn(b, d, generator=g, dtype=torch.float64)
    call = describe_call("modulate", x, shift, scale)
    got = call_unmodified(kata.modulate, x, shift, scale, fn_name="modulate")
    want = torch.stack([x[i] * (1 + scale[i]) + shift[i] for i in range(b)])
    assert_close(got, want, rtol=1e-12, atol=1e-12, call=call)


@given(b=st.integers(1, 3), n=st.integers(1, 5), heads=HEADS, d_head=st.integers(1, 4),
       ratio=st.sampled_from([4.0, 2.0, 1.5]), seed=seeds())
@example(b=2, n=4, heads=2, d_head=4, ratio=4.0, seed=0)
def test_identity_at_initialisation(kata, b, n, heads, d_head, ratio, seed):
    hidden = heads * d_head
    torch.manual_seed(seed)
    block = kata.DiTBlock(hidden, heads, mlp_ratio=ratio).double()
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, n, hidden, generator=g, dtype=torch.float64)
    c = torch.randn(b, hidden, generator=g, dtype=torch.float64)
    call = describe_call(f"DiTBlock({hidden}, {heads}, mlp_ratio={ratio}) at initialisation", x, c)
    ada = block.adaLN_modulation[1]
    assert ada.weight.shape == (6 * hidden, hidden), f"{call}: adaLN Linear weight {tuple(ada.weight.shape)}"
    assert not ada.weight.any() and not ada.bias.any(), f"{call}: the adaLN-Zero Linear must start at exactly zero"
    assert block.attn.num_heads == heads and block.attn.batch_first, (
        f"{call}: attn has {block.attn.num_heads} heads (batch_first={block.attn.batch_first}), "
        f"expected {heads} heads with batch_first=True")
    assert block.mlp[0].out_features == int(hidden * ratio), (
        f"{call}: MLP width {block.mlp[0].out_features}, expected int({hidden} * {ratio})")
    assert_equal(call_unmodified(block, x, c, fn_name="DiTBlock.forward"), x, name="output (the identity)", call=call)


def randomise(block: nn.Module, g: torch.Generator) -> None:
    with torch.no_grad():
        for p in block.adaLN_modulation.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype) * 0.5)


def reference(block: nn.Module, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    d = x.shape[-1]
    mod = F.linear(F.silu(c), block.adaLN_modulation[1].weight, block.adaLN_modulation[1].bias)
    sh1, sc1, g1, sh2, sc2, g2 = (mod[:, i * d:(i + 1) * d, None].transpose(1, 2) for i in range(6))
    h = F.layer_norm(x, (d,), eps=1e-6) * (1 + sc1) + sh1
    x = x + g1 * block.attn(h, h, h, need_weights=False)[0]
    h = F.layer_norm(x, (d,), eps=1e-6) * (1 + sc2) + sh2
    lin1, lin2 = block.mlp[0], block.mlp[2]
    return x + g2 * lin2(F.gelu(lin1(h), approximate="tanh"))


@given(b=st.integers(1, 3), n=st.integers(1, 5), heads=HEADS, d_head=st.integers(1, 4),
       ratio=st.sampled_from([4.0, 2.0]), seed=seeds())
@example(b=2, n=3, heads=2, d_head=3, ratio=4.0, seed=0)
def test_modulated_block_matches_equations(kata, b, n, heads, d_head, ratio, seed):
    hidden = heads * d_head
    torch.manual_seed(seed)
    block = kata.DiTBlock(hidden, heads, mlp_ratio=ratio).double()
    g = torch.Generator().manual_seed(seed)
    randomise(block, g)
    x = torch.randn(b, n, hidden, generator=g, dtype=torch.float64)
    c = torch.randn(b, hidden, generator=g, dtype=torch.float64)
    call = describe_call(f"DiTBlock({hidden}, {heads}) with random adaLN weights", x, c)
    got = block(x, c)
    # float64; the same operations, at most a different summation order.
    assert_close(got, reference(block, x, c), rtol=1e-10, atol=1e-10, call=call)


@given(seed=seeds())
def test_gradient_escapes_zero_init(kata, seed):
    """At init only the modulation (and nothing behind a zero gate) gets a gradient: the gates open first."""
    torch.manual_seed(seed)
    block = kata.DiTBlock(8, 2).double()
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(2, 3, 8, generator=g, dtype=torch.float64)
    c = torch.randn(2, 8, generator=g, dtype=torch.float64)
    block(x, c).pow(2).sum().backward()
    ada = block.adaLN_modulation[1]
    gate_rows = torch.cat([torch.arange(16, 24), torch.arange(40, 48)])     # gate_msa and gate_mlp
    assert ada.weight.grad is not None and ada.weight.grad[gate_rows].abs().sum() > 0, (
        "DiTBlock at init: the adaLN Linear's gate rows got no gradient, so training could never open the gates")
    other = torch.cat([torch.arange(0, 16), torch.arange(24, 40)])           # shifts and scales sit behind gates
    assert ada.weight.grad[other].abs().max() == 0, (
        "DiTBlock at init: shift/scale rows got a gradient although the zero gates block them: chunk order wrong?")
    assert block.mlp[2].weight.grad.abs().max() == 0, "DiTBlock at init: the MLP got a gradient through a zero gate"

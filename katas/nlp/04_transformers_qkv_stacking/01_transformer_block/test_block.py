"""Tests for nlp-04-1, a single transformer block.

Reference: torch.nn.TransformerEncoderLayer(batch_first=True) in float64 with every parameter
(LayerNorm scales and all biases included) drawn at random and copied into your block, for
post-norm and pre-norm, relu and gelu, several LayerNorm eps, with and without a causal mask, in
eval mode with and without dropout configured. Plus the closed form of a block whose sublayers
output zero: what is left is the residual stream.
"""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st
from torch import nn

from grader.strategies import dims, seeds
from grader.testing import assert_close, describe_call

HEADS = st.sampled_from([1, 2, 4])
EPS = st.sampled_from([1e-5, 1e-3, 0.1])


def random_layer(d_model: int, n_heads: int, d_ff: int, activation: str, norm_first: bool, eps: float,
                 dropout: float, gen: torch.Generator) -> nn.TransformerEncoderLayer:
    ref = nn.TransformerEncoderLayer(d_model, n_heads, d_ff, dropout=dropout, activation=activation,
                                     batch_first=True, norm_first=norm_first, layer_norm_eps=eps).double().eval()
    with torch.no_grad():
        for name, p in ref.named_parameters():
            noise = torch.randn(p.shape, generator=gen, dtype=torch.float64)
            # LayerNorm scales around 1, everything else N(0, 0.5^2): no parameter is left at its default.
            p.copy_(1.0 + 0.2 * noise if name.startswith("norm") and name.endswith("weight") else 0.5 * noise)
    return ref


def copy_weights(block: nn.Module, ref: nn.TransformerEncoderLayer) -> None:
    d = ref.self_attn.embed_dim
    sa = ref.self_attn
    with torch.no_grad():
        for i, name in enumerate(["q_proj", "k_proj", "v_proj"]):
            getattr(block.self_attn, name).weight.copy_(sa.in_proj_weight[i * d:(i + 1) * d])
            getattr(block.self_attn, name).bias.copy_(sa.in_proj_bias[i * d:(i + 1) * d])
        block.self_attn.out_proj.load_state_dict(sa.out_proj.state_dict())
        for name in ("linear1", "linear2", "norm1", "norm2"):
            getattr(block, name).load_state_dict(getattr(ref, name).state_dict())


def block_call(d_model: int, n_heads: int, d_ff: int, activation: str, norm_first: bool, eps: float,
               dropout: float, x: torch.Tensor, mask: torch.Tensor | None) -> str:
    return describe_call(f"TransformerBlock({d_model}, {n_heads}, {d_ff}, dropout={dropout}, activation={activation!r}, "
                         f"norm_first={norm_first}, layer_norm_eps={eps:g}).eval()", x, mask=mask)


@given(b=dims(1, 3), seq=dims(1, 6), n_heads=HEADS, d_head=dims(1, 4), d_ff=dims(1, 16),
       activation=st.sampled_from(["relu", "gelu"]), norm_first=st.booleans(), causal=st.booleans(),
       eps=EPS, dropout=st.sampled_from([0.0, 0.25]), seed=seeds())
@example(b=2, seq=4, n_heads=2, d_head=3, d_ff=8, activation="relu", norm_first=False, causal=False, eps=1e-5,
         dropout=0.0, seed=0)
@example(b=2, seq=4, n_heads=2, d_head=3, d_ff=8, activation="gelu", norm_first=True, causal=True, eps=1e-5,
         dropout=0.0, seed=1)
@example(b=1, seq=5, n_heads=4, d_head=2, d_ff=6, activation="gelu", norm_first=True, causal=False, eps=1e-5,
         dropout=0.25, seed=2)
def test_matches_torch_encoder_layer(kata, b, seq, n_heads, d_head, d_ff, activation, norm_first, causal, eps,
                                     dropout, seed):
    d_model = n_heads * d_head
    g = torch.Generator().manual_seed(seed)
    ref = random_layer(d_model, n_heads, d_ff, activation, norm_first, eps, dropout, g)
    block = kata.TransformerBlock(d_model, n_heads, d_ff, dropout=dropout, activation=activation,
                                  norm_first=norm_first, layer_norm_eps=eps).double().eval()
    copy_weights(block, ref)
    x = torch.randn(b, seq, d_model, generator=g, dtype=torch.float64)
    mask = torch.ones(seq, seq, dtype=torch.bool).tril() if causal else None
    call = block_call(d_model, n_heads, d_ff, activation, norm_first, eps, dropout, x, mask)
    got = block(x, mask=mask)
    want = ref(x, src_mask=None if mask is None else ~mask)   # torch's bool src_mask: True = blocked
    # float64 both sides; LayerNorm and softmax are well conditioned at these sizes.
    assert_close(got, want, rtol=1e-9, atol=1e-10, call=call)


@given(b=dims(1, 2), seq=dims(1, 5), n_heads=HEADS, d_head=dims(1, 4), norm_first=st.booleans(), eps=EPS,
       seed=seeds())
@example(b=1, seq=3, n_heads=2, d_head=2, norm_first=True, eps=1e-5, seed=0)
@example(b=1, seq=3, n_heads=2, d_head=2, norm_first=False, eps=1e-5, seed=0)
def test_zeroed_sublayers_leave_the_residual_stream(kata, b, seq, n_heads, d_head, norm_first, eps, seed):
    """With out_proj and linear2 at zero, both sublayers add 0: pre-norm is the identity, post-norm is norm2(norm1(x))."""
    d_model = n_heads * d_head
    torch.manual_seed(seed)
    block = kata.TransformerBlock(d_model, n_heads, 4 * d_model, norm_first=norm_first, layer_norm_eps=eps).double().eval()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in (block.self_attn.out_proj, block.linear2):
            module.weight.zero_()
            module.bias.zero_()
        for norm in (block.norm1, block.norm2):
            norm.weight.copy_(1.0 + 0.2 * torch.randn(d_model, generator=g, dtype=torch.float64))
            norm.bias.copy_(0.5 * torch.randn(d_model, generator=g, dtype=torch.float64))
    x = torch.randn(b, seq, d_model, generator=g, dtype=torch.float64) * 3
    if norm_first:
        want = x
    else:
        n1 = F.layer_norm(x, (d_model,), block.norm1.weight, block.norm1.bias, eps)
        want = F.layer_norm(n1, (d_model,), block.norm2.weight, block.norm2.bias, eps)
    call = describe_call(f"TransformerBlock(norm_first={norm_first}) with zeroed out_proj and linear2", x)
    assert_close(block(x), want.detach(), rtol=1e-10, atol=1e-10,
                 name="output (should be " + ("x itself" if norm_first else "norm2(norm1(x))") + ")", call=call)


@given(seq=dims(2, 6), n_heads=HEADS, d_head=dims(1, 3), norm_first=st.booleans(), seed=seeds(), data=st.data())
def test_causal_block_ignores_the_future(kata, seq, n_heads, d_head, norm_first, seed, data):
    t = data.draw(st.integers(0, seq - 2), label="t")
    d_model = n_heads * d_head
    torch.manual_seed(seed)
    block = kata.TransformerBlock(d_model, n_heads, 2 * d_model, norm_first=norm_first).double().eval()
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(1, seq, d_model, generator=g, dtype=torch.float64)
    x2 = x.clone()
    x2[:, t + 1:] += 5 * torch.randn(1, seq - t - 1, d_model, generator=g, dtype=torch.float64)
    mask = torch.ones(seq, seq, dtype=torch.bool).tril()
    with torch.no_grad():
        out, out2 = block(x, mask=mask), block(x2, mask=mask)
    # future weights are exactly 0, so the past is unchanged up to summation order.
    assert_close(out2[:, : t + 1], out[:, : t + 1], rtol=0, atol=1e-12,
                 name=f"outputs at 0..{t} after changing tokens {t + 1}..{seq - 1}",
                 call=describe_call("TransformerBlock(...)", x2, mask=mask))


@given(activation=st.sampled_from(["silu", "tanh", "Relu", "GELU", "gelu_new", ""]), n_heads=HEADS)
@example(activation="silu", n_heads=1)
def test_rejects_unknown_activations(kata, activation, n_heads):
    with pytest.raises(ValueError):
        kata.TransformerBlock(2 * n_heads, n_heads, 8, activation=activation)
        pytest.fail(f"TransformerBlock(..., activation={activation!r}) was built instead of raising ValueError "
                    "(only 'relu' and 'gelu' are allowed)")


@given(p=st.sampled_from([0.0, 0.1, 0.5]), n_heads=HEADS)
@example(p=0.25, n_heads=2)
def test_dropout_layers_use_the_given_probability(kata, p, n_heads):
    """dropout, dropout1 and dropout2 are nn.Dropout(dropout), as in TransformerEncoderLayer (training mode uses them)."""
    block = kata.TransformerBlock(2 * n_heads, n_heads, 8, dropout=p)
    got = [getattr(block, name).p for name in ("dropout", "dropout1", "dropout2")]
    assert got == [p, p, p], f"TransformerBlock(..., dropout={p}) has dropout probabilities {got}, expected {[p] * 3}"

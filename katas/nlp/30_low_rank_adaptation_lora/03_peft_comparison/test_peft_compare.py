"""Tests for nlp-30-3, LoRA, prefix-tuning and adapters compared on the same task.

References: the adapter's closed form y + W_up gelu(W_down y) in float64; prefix attention against an
explicit float64 softmax over the concatenated keys with the prefix-then-causal mask; parameter counts
in closed form; autograd for which parameters train. The measured comparison comes from real
training: the workbook's trained char GPT (grader.lm) adapted to ROT13 text three ways.
"""
import copy
import math
import warnings

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader import lm
from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, describe_call

pytestmark = pytest.mark.slow


def small_gpt(seed: int, n_layer: int = 2, d_model: int = 8, n_head: int = 2) -> lm.CharGPT:
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return lm.CharGPT(lm.LMConfig(n_layer=n_layer, d_model=d_model, d_ff=12, n_head=n_head))


@given(d_in=st.integers(1, 8), d=st.integers(1, 8), m=st.integers(1, 4), dtype=torch_float_dtypes(), seed=seeds())
@example(d_in=1, d=1, m=1, dtype=torch.float64, seed=0)
def test_adapter_starts_as_identity_and_follows_its_formula(kata, d_in, d, m, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng():
        torch.manual_seed(seed % 101)
        base = nn.Linear(d_in, d).to(dtype)
    h = torch.randn(3, d_in, generator=g, dtype=torch.float64).to(dtype)
    adapter = kata.Adapter(base, m, torch.Generator().manual_seed(seed))
    call = describe_call("Adapter", f"Linear({d_in}, {d}, {dtype})", m, "generator")
    assert_equal(adapter(h).detach(), base(h).detach(), name="output at initialisation (must be base(h))", call=call)
    want_down = (torch.randn(m, d, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 0.02).to(dtype)
    assert_close(adapter.down.weight.detach(), want_down, rtol=0, atol=0, name="down.weight", call=call)
    assert_dtype(adapter.down.weight, base.weight, name="down.weight", call=call)
    trainable = sorted(n for n, p in adapter.named_parameters() if p.requires_grad)
    assert trainable == ["down.bias", "down.weight", "up.bias", "up.weight"], (
        f"{call}: trainable parameters {trainable}; the base layer must be frozen")
    with torch.no_grad():
        adapter.up.weight.normal_(generator=g)
        adapter.up.bias.normal_(generator=g)
        adapter.down.bias.normal_(generator=g)
    y = base(h).detach().double()
    z = F.gelu(y @ adapter.down.weight.double().T + adapter.down.bias.double())
    want = y + z @ adapter.up.weight.double().T + adapter.up.bias.double()
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-10)
    assert_close(adapter(h).detach(), want, **tol, name="y + up(gelu(down(y))), y = base(h)", call=call)


@given(n_layer=st.integers(1, 3), m=st.integers(1, 5), seed=seeds())
def test_add_adapters_wraps_every_mlp_output(kata, n_layer, m, seed):
    model = small_gpt(seed % 17, n_layer=n_layer)
    originals = [block.out for block in model.blocks]
    idx = torch.randint(65, (2, 6), generator=torch.Generator().manual_seed(seed))
    before = model(idx).detach()
    got = kata.add_adapters(model, m, torch.Generator().manual_seed(seed))
    call = describe_call("add_adapters", f"CharGPT(n_layer={n_layer}, d_model=8)", m, "generator")
    assert got is model, f"{call} must return the model it modified in place"
    g = torch.Generator().manual_seed(seed)
    for i, block in enumerate(model.blocks):
        assert isinstance(block.out, kata.Adapter) and block.out.base is originals[i], (
            f"{call}: blocks[{i}].out is not an Adapter around the original layer")
        want = (torch.randn(m, 8, generator=g, dtype=torch.float64) * 0.02).float()
        assert_close(block.out.down.weight.detach(), want, rtol=0, atol=0, call=call,
                     name=f"blocks[{i}].out.down.weight (one generator, block 0 first)")
    assert_equal(model(idx).detach(), before, name="model output right after adding adapters", call=call)
    count = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert count == n_layer * (2 * 8 * m + m + 8), f"{call}: {count} trainable scalars, expected {n_layer * (2 * 8 * m + m + 8)}"


def reference_prefix_attention(attn, x, positions, pk, pv):
    q, k, v = (t.double() for t in attn.split_heads(x, positions))
    B, H, T, hd = q.shape
    P = pk.shape[1]
    k = torch.cat([pk.double().expand(B, H, P, hd), k], dim=2)
    v = torch.cat([pv.double().expand(B, H, P, hd), v], dim=2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(hd)
    allowed = torch.cat([torch.ones(T, P, dtype=torch.bool), torch.ones(T, T, dtype=torch.bool).tril()], dim=1)
    y = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1) @ v
    return attn.proj(y.transpose(1, 2).reshape(B, T, H * hd).float()).double()


@given(P=st.integers(0, 4), T=st.integers(1, 6), b=st.integers(1, 2), n_head=st.sampled_from([1, 2]), seed=seeds())
@example(P=0, T=3, b=1, n_head=2, seed=0)
@example(P=3, T=1, b=1, n_head=1, seed=1)
def test_prefix_attention_matches_explicit_softmax(kata, P, T, b, n_head, seed):
    model = small_gpt(seed % 13, n_layer=1, n_head=n_head)
    attn = model.blocks[0].attn
    x = torch.randn(b, T, 8, generator=torch.Generator().manual_seed(seed))
    positions = torch.arange(T)
    layer = kata.PrefixAttention(attn, P, torch.Generator().manual_seed(seed))
    call = describe_call("PrefixAttention", "Attention", P, "generator") + f".forward(x {tuple(x.shape)})"
    g = torch.Generator().manual_seed(seed)
    want_k = (torch.randn(n_head, P, 8 // n_head, generator=g, dtype=torch.float64) * 0.5).float()
    want_v = (torch.randn(n_head, P, 8 // n_head, generator=g, dtype=torch.float64) * 0.5).float()
    assert_close(layer.prefix_k.detach(), want_k, rtol=0, atol=0, name="prefix_k", call=call)
    assert_close(layer.prefix_v.detach(), want_v, rtol=0, atol=0, name="prefix_v", call=call)
    got = layer(x, positions).detach()
    want = reference_prefix_attention(attn, x, positions, layer.prefix_k.detach(), layer.prefix_v.detach())
    # float32 attention against a float64 softmax
    assert_close(got, want, rtol=1e-4, atol=1e-5, name="attention over [prefixes; causal keys]", call=call)
    trainable = sorted(n for n, p in layer.named_parameters() if p.requires_grad)
    assert trainable == ["prefix_k", "prefix_v"], f"{call}: trainable parameters {trainable}, expected only the prefixes"


@given(n_layer=st.integers(1, 3), P=st.integers(1, 4), seed=seeds())
def test_add_prefixes_freezes_everything_else(kata, n_layer, P, seed):
    model = small_gpt(seed % 11, n_layer=n_layer)
    originals = [block.attn for block in model.blocks]
    got = kata.add_prefixes(model, P, torch.Generator().manual_seed(seed))
    call = describe_call("add_prefixes", f"CharGPT(n_layer={n_layer}, d_model=8)", P, "generator")
    assert got is model, f"{call} must return the model it modified in place"
    g = torch.Generator().manual_seed(seed)
    for i, block in enumerate(model.blocks):
        assert isinstance(block.attn, kata.PrefixAttention) and block.attn.attn is originals[i], (
            f"{call}: blocks[{i}].attn is not a PrefixAttention around the original attention")
        want = (torch.randn(2, P, 4, generator=g, dtype=torch.float64) * 0.5).float()
        torch.randn(2, P, 4, generator=g, dtype=torch.float64)
        assert_close(block.attn.prefix_k.detach(), want, rtol=0, atol=0, call=call,
                     name=f"blocks[{i}].attn.prefix_k (one generator, block 0 first, k before v)")
    names = sorted(n for n, p in model.named_parameters() if p.requires_grad)
    want_names = sorted(f"blocks.{i}.attn.prefix_{kv}" for i in range(n_layer) for kv in "kv")
    assert names == want_names, f"{call}: trainable {names}, expected only {want_names}"
    idx = torch.randint(65, (2, 5), generator=g)
    F.cross_entropy(model(idx[:, :-1]).transpose(1, 2), idx[:, 1:]).backward()
    assert all(float(p.grad.abs().sum()) > 0 for n, p in model.named_parameters() if p.requires_grad), (
        f"{call}: a prefix received no gradient")


@settings(max_examples=3)
@given(r=st.integers(1, 3), bottleneck=st.integers(1, 4), n_prefix=st.integers(1, 3), seed=st.integers(0, 50),
       lr=st.sampled_from([1e-2, 5e-2]), steps=st.integers(1, 2))
@example(r=2, bottleneck=3, n_prefix=2, seed=1, lr=5e-2, steps=2)
def test_compare_methods_runs_each_method_the_same_way(kata, r, bottleneck, n_prefix, seed, lr, steps):
    base = small_gpt(seed % 5).requires_grad_(False)
    ids = lm.encode(lm.corpus_text()[:2000])
    train, val = ids[:1650].view(50, 33), ids[1650:]
    call = describe_call("compare_methods", "CharGPT(d_model=8)", train, val, steps, r=r, bottleneck=bottleneck,
                         n_prefix=n_prefix, seed=seed, lr=lr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = kata.compare_methods(base, train, val, steps, r=r, bottleneck=bottleneck, n_prefix=n_prefix, seed=seed,
                                   lr=lr)
        models = {"lora": kata.lora_model(base, r, seed),
                  "adapter": kata.add_adapters(copy.deepcopy(base), bottleneck, torch.Generator().manual_seed(seed)),
                  "prefix": kata.add_prefixes(copy.deepcopy(base), n_prefix, torch.Generator().manual_seed(seed))}
    for name, model in models.items():
        trainable = kata.n_trainable(model)
        kata.train_params(model, train, steps, lr=lr, seed=seed)
        want = lm.evaluate_loss(model, val, context=32)
        assert got[name]["trainable"] == trainable, (
            f"{call}: {name} reports {got[name]['trainable']} trainable scalars, expected {trainable}")
        assert abs(got[name]["val_loss"] - want) < 1e-5, (
            f"{call}: {name} reports val_loss {got[name]['val_loss']:.6f}, expected {want:.6f} (train_params with "
            f"lr, seed and steps as given, then lm.evaluate_loss(model, val_ids, context=32))")


@settings(max_examples=1)
@given(seed=st.integers(0, 3))
def test_three_methods_on_one_task(kata, seed):
    torch.set_num_threads(1)
    base = lm.load_model()
    state = copy.deepcopy(base.state_dict())
    train = kata.rot13_windows(0, 40_000)
    val = kata.rot13_windows(1_000_000, 1_003_300).flatten()
    start = lm.evaluate_loss(base, val, context=32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = kata.compare_methods(base, train, val, 25, r=4, bottleneck=8, n_prefix=8, seed=seed)
    assert all(torch.equal(v, base.state_dict()[k]) for k, v in state.items()), "compare_methods modified base"
    assert sorted(res) == ["adapter", "lora", "prefix"], f"compare_methods returned methods {sorted(res)}"
    cfg = base.cfg
    d, ff = cfg.d_model, cfg.d_ff
    # rank 4 on qkv (d -> 3d), proj (d -> d), fc (d -> ff) and out (ff -> d) of every block
    want = {"lora": cfg.n_layer * 4 * ((d + 3 * d) + (d + d) + (d + ff) + (ff + d)),
            "adapter": cfg.n_layer * (2 * cfg.d_model * 8 + 8 + cfg.d_model),
            "prefix": cfg.n_layer * 2 * 8 * cfg.d_model}
    got = {k: v["trainable"] for k, v in res.items()}
    assert got == want, f"trainable scalars per method {got}, expected {want}"
    losses = {k: round(v["val_loss"], 3) for k, v in res.items()}
    report = f"ROT13 validation loss before adaptation {start:.3f}, after 25 steps of each method {losses}"
    assert losses["lora"] < start - 1.0 and losses["adapter"] < start - 1.0, (
        f"{report}: LoRA and adapters should each cut it by more than a nat")
    assert losses["prefix"] > max(losses["lora"], losses["adapter"]), (
        f"{report}: with the same learning rate and steps, prefix-tuning should be the slowest of the three")

"""Tests for nlp-30-1, LoRA from scratch, injected into linear layers.

References: Hugging Face `peft` (LoraConfig + get_peft_model, the library practitioners use) given
the same A and B: the same outputs, the same wrapped modules, the same trainable parameters, and
merge_and_unload's weights; the closed form W x + (alpha / r) B A x in float64; autograd for which
parameters receive gradients. A short real fine-tune of the workbook's trained char GPT (grader.lm)
on ROT13 text shows the loss falling while every pretrained weight stays bit-identical.
"""
import copy
import math

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from peft import LoraConfig, get_peft_model
from torch import nn

from grader import lm
from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, describe_call

pytestmark = pytest.mark.slow


def make_linear(seed: int, d_in: int, d_out: int, dtype, bias: bool = True) -> nn.Linear:
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return nn.Linear(d_in, d_out, bias=bias).to(dtype)


class Toy(nn.Module):
    """Names chosen so substring matching goes wrong: 'proj' vs 'out_proj', 'fc' inside 'fc2'."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(10, 6)
        self.proj = nn.Linear(6, 6)
        self.out_proj = nn.Linear(6, 6)
        self.block = nn.ModuleDict({"fc": nn.Linear(6, 8), "fc2": nn.Linear(8, 6), "norm": nn.LayerNorm(6)})
        self.head = nn.Linear(6, 10, bias=False)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        h = self.proj(self.embed(idx))
        h = h + self.out_proj(h)
        h = self.block["norm"](h + self.block["fc2"](F.gelu(self.block["fc"](h))))
        return self.head(h)


def toy(seed: int) -> Toy:
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return Toy()


@given(d_in=st.integers(1, 9), d_out=st.integers(1, 9), r=st.integers(1, 4), alpha=st.sampled_from([1.0, 8.0, 16.0]),
       bias=st.booleans(), dtype=torch_float_dtypes(), seed=seeds())
@example(d_in=1, d_out=1, r=1, alpha=1.0, bias=False, dtype=torch.float64, seed=0)
def test_initial_layer_is_the_base_layer(kata, d_in, d_out, r, alpha, bias, dtype, seed):
    base = make_linear(seed % 97, d_in, d_out, dtype, bias)
    w_before = base.weight.detach().clone()
    x = torch.randn(3, d_in, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)
    want = base(x).detach()
    layer = kata.LoRALinear(base, r, alpha, torch.Generator().manual_seed(seed))
    call = describe_call("LoRALinear", f"Linear({d_in}, {d_out}, {dtype})", r, alpha, "generator")
    a = (torch.rand(r, d_in, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 2 - 1) / math.sqrt(d_in)
    assert_dtype(layer.lora_A, base.weight, name="lora_A", call=call)
    assert_dtype(layer.lora_B, base.weight, name="lora_B", call=call)
    assert_close(layer.lora_A.detach(), a.to(dtype), rtol=0, atol=0,
                 name="lora_A = (rand(r, in, float64) * 2 - 1) / sqrt(in), cast", call=call)
    assert_equal(layer.lora_B.detach(), torch.zeros(d_out, r, dtype=dtype), name="lora_B (zeros)", call=call)
    assert_equal(layer(x).detach(), want, name="output at initialisation (must be base(x) exactly)", call=call)
    assert torch.equal(base.weight.detach(), w_before), f"{call} changed the base weight"


@given(d_in=st.integers(1, 9), d_out=st.integers(1, 9), r=st.integers(1, 4), alpha=st.sampled_from([1.0, 4.0, 16.0]),
       lead=st.sampled_from([(5,), (2, 3), ()]), dtype=torch_float_dtypes(), seed=seeds())
@example(d_in=4, d_out=3, r=2, alpha=16.0, lead=(2, 3), dtype=torch.float32, seed=0)
def test_forward_matches_peft_and_the_closed_form(kata, d_in, d_out, r, alpha, lead, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    base = make_linear(seed % 89, d_in, d_out, dtype)
    peft_model = get_peft_model(nn.Sequential(copy.deepcopy(base)),
                                LoraConfig(r=r, lora_alpha=alpha, target_modules=["0"], lora_dropout=0.0))
    layer = kata.LoRALinear(base, r, alpha, g)
    with torch.no_grad():
        layer.lora_B.copy_(torch.randn(d_out, r, generator=g, dtype=torch.float64).to(dtype))
        peft_layer = peft_model.base_model.model[0]
        peft_layer.lora_A["default"].weight.copy_(layer.lora_A)
        peft_layer.lora_B["default"].weight.copy_(layer.lora_B)
    x = torch.randn(*lead, d_in, generator=g, dtype=torch.float64).to(dtype)
    call = describe_call("LoRALinear(...).forward", x) + f" with r={r}, alpha={alpha}"
    got = layer(x).detach()
    assert_dtype(got, x, call=call)
    w, b = base.weight.double(), base.bias.double()
    want = x.double() @ w.T + b + (alpha / r) * (x.double() @ layer.lora_A.double().T) @ layer.lora_B.double().T
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-10)
    assert_close(got, want, **tol, name="W x + b + (alpha / r) B A x", call=call)
    assert_close(got, peft_model(x).detach(), **tol, name="peft's LoRA layer with the same A and B", call=call)


@given(r=st.integers(1, 3), seed=seeds())
def test_only_a_and_b_receive_gradients(kata, r, seed):
    base = make_linear(seed % 7, 5, 4, torch.float32)
    layer = kata.LoRALinear(base, r, 8.0, torch.Generator().manual_seed(seed))
    with torch.no_grad():
        layer.lora_B.normal_(generator=torch.Generator().manual_seed(seed))
    trainable = sorted(n for n, p in layer.named_parameters() if p.requires_grad)
    assert trainable == ["lora_A", "lora_B"], f"LoRALinear trainable parameters are {trainable}, expected only A and B"
    layer(torch.randn(6, 5, generator=torch.Generator().manual_seed(seed + 1))).square().sum().backward()
    assert base.weight.grad is None and base.bias.grad is None, "the frozen base layer received a gradient"
    assert layer.lora_A.grad is not None and float(layer.lora_A.grad.abs().sum()) > 0, "lora_A received no gradient"
    assert layer.lora_B.grad is not None and float(layer.lora_B.grad.abs().sum()) > 0, "lora_B received no gradient"


@given(d_in=st.integers(1, 8), d_out=st.integers(1, 8), r=st.integers(1, 4), alpha=st.sampled_from([2.0, 16.0]),
       dtype=torch_float_dtypes(), seed=seeds())
@example(d_in=3, d_out=5, r=2, alpha=16.0, dtype=torch.float64, seed=0)
def test_merge_unmerge_round_trip(kata, d_in, d_out, r, alpha, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    base = make_linear(seed % 83, d_in, d_out, dtype)
    w0 = base.weight.detach().clone()
    peft_model = get_peft_model(nn.Sequential(copy.deepcopy(base)),
                                LoraConfig(r=r, lora_alpha=alpha, target_modules=["0"], lora_dropout=0.0))
    layer = kata.LoRALinear(base, r, alpha, g)
    with torch.no_grad():
        layer.lora_B.copy_(torch.randn(d_out, r, generator=g, dtype=torch.float64).to(dtype))
        peft_model.base_model.model[0].lora_A["default"].weight.copy_(layer.lora_A)
        peft_model.base_model.model[0].lora_B["default"].weight.copy_(layer.lora_B)
    x = torch.randn(4, d_in, generator=g, dtype=torch.float64).to(dtype)
    before = layer(x).detach()
    call = f"LoRALinear(Linear({d_in}, {d_out}, {dtype}), r={r}, alpha={alpha}).merge()"
    layer.merge()
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-12, atol=1e-12)
    merged_ref = peft_model.merge_and_unload()[0].weight.detach()
    assert_close(base.weight.detach(), merged_ref, **tol, name="merged weight vs peft merge_and_unload()", call=call)
    assert_close(layer(x).detach(), before, **tol, name="output after merge() (must not change)", call=call)
    with pytest.raises(ValueError):
        layer.merge()
        pytest.fail(f"{call} twice did not raise ValueError")
    layer.unmerge()
    assert_close(base.weight.detach(), w0, **tol, name="base weight after merge() then unmerge()", call=call)
    assert_close(layer(x).detach(), before, **tol, name="output after unmerge()", call=call)
    with pytest.raises(ValueError):
        layer.unmerge()
        pytest.fail("unmerge() on an unmerged layer did not raise ValueError")


@pytest.mark.parametrize("r", [0, -2])
def test_rank_must_be_positive(kata, r):
    with pytest.raises(ValueError):
        kata.LoRALinear(nn.Linear(3, 3), r, 8.0)
        pytest.fail(f"LoRALinear(Linear(3, 3), r={r}, ...) returned instead of raising ValueError")


TARGETS = st.lists(st.sampled_from(["proj", "out_proj", "fc", "fc2", "head", "embed"]), min_size=1, max_size=3,
                   unique=True)


@given(targets=TARGETS, r=st.integers(1, 3), alpha=st.sampled_from([4.0, 16.0]), seed=seeds())
@example(targets=["proj", "fc"], r=2, alpha=16.0, seed=0)
def test_inject_lora_matches_peft(kata, targets, r, alpha, seed):
    linear_targets = [t for t in targets if t != "embed"]
    ours, theirs = toy(seed % 13), toy(seed % 13)
    idx = torch.randint(10, (2, 5), generator=torch.Generator().manual_seed(seed))
    base_out = ours(idx).detach()
    call = describe_call("inject_lora", "Toy", targets, r, alpha, "generator")
    names = kata.inject_lora(ours, targets, r, alpha, torch.Generator().manual_seed(seed))
    assert_equal(ours(idx).detach(), base_out, name="output right after injection (B = 0)", call=call)
    if not linear_targets:
        assert names == [], f"{call} wrapped {names}, but no nn.Linear is named {targets}"
        return
    peft_model = get_peft_model(theirs, LoraConfig(r=r, lora_alpha=alpha, target_modules=linear_targets,
                                                   lora_dropout=0.0))
    want_names = [n.removeprefix("base_model.model.") for n, m in peft_model.named_modules()
                  if hasattr(m, "lora_A") and isinstance(m.lora_A, nn.ModuleDict)]
    assert names == want_names, f"{call} wrapped {names}; peft wraps {want_names} (exact name or '.' + target)"
    g_ref = torch.Generator().manual_seed(seed)
    for n in names:
        layer = ours.get_submodule(n)
        d_in = layer.lora_A.shape[1]
        want_a = (torch.rand(r, d_in, generator=g_ref, dtype=torch.float64) * 2 - 1) / math.sqrt(d_in)
        assert_close(layer.lora_A.detach(), want_a.float(), rtol=0, atol=0, call=call,
                     name=f"{n}.lora_A (one generator, layers wrapped in named_modules() order)")
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for n in names:
            mine = ours.get_submodule(n)
            assert isinstance(mine, kata.LoRALinear), f"{call}: module {n} is {type(mine).__name__}, not LoRALinear"
            mine.lora_B.normal_(generator=g)
            peft_layer = peft_model.base_model.model.get_submodule(n)
            peft_layer.lora_A["default"].weight.copy_(mine.lora_A)
            peft_layer.lora_B["default"].weight.copy_(mine.lora_B)
    assert_close(ours(idx).detach(), peft_model(idx).detach(), rtol=1e-5, atol=1e-5,
                 name="output with trained A, B vs peft", call=call)
    mine_trainable = sum(p.numel() for p in ours.parameters() if p.requires_grad)
    peft_trainable = sum(p.numel() for p in peft_model.parameters() if p.requires_grad)
    assert mine_trainable == peft_trainable == sum(r * (ours.get_submodule(n).base.in_features
                                                        + ours.get_submodule(n).base.out_features) for n in names), (
        f"{call}: {mine_trainable} trainable scalars, peft has {peft_trainable}: everything but A and B is frozen")


@settings(max_examples=1)
@given(seed=st.integers(0, 3))
def test_lora_fine_tune_of_the_trained_model_leaves_its_weights_alone(kata, seed):
    torch.set_num_threads(1)
    model = copy.deepcopy(lm.load_model())
    before = {k: v.clone() for k, v in model.state_dict().items()}
    lower = "abcdefghijklmnopqrstuvwxyz"
    table = str.maketrans(lower + lower.upper(), lower[13:] + lower[:13] + lower.upper()[13:] + lower.upper()[:13])
    text = lm.corpus_text()
    ids = lm.encode(text[:20_000].translate(table))[:19_800].view(-1, 33)
    val = lm.encode(text[1_000_000:1_003_300].translate(table))
    names = kata.inject_lora(model, ["qkv", "proj"], 4, 8.0, torch.Generator().manual_seed(seed))
    assert len(names) == 8, f"inject_lora(CharGPT, ['qkv', 'proj']) wrapped {names}, expected 4 layers x 2"
    start = lm.evaluate_loss(model, val, context=32)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-2, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    for _ in range(25):
        batch = ids[torch.randint(len(ids), (16,), generator=g)]
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    end = lm.evaluate_loss(model, val, context=32)
    assert end < start - 0.3, f"ROT13 validation loss went from {start:.3f} to {end:.3f} with LoRA on qkv and proj"
    for n in names:
        model.get_submodule(n).merge()
    merged = {k.replace(".base.", "."): v for k, v in model.state_dict().items() if "lora_" not in k}
    changed = [k for k in before if not torch.equal(merged[k], before[k])]
    assert sorted(changed) == sorted(n + ".weight" for n in names), (
        f"after merging, the weights that differ from the pretrained model are {changed}; expected exactly the "
        f"wrapped layers' weights")
    for n in names:
        model.get_submodule(n).unmerge()
    unmerged = {k.replace(".base.", "."): v for k, v in model.state_dict().items() if "lora_" not in k}
    for k in before:
        assert_close(unmerged[k], before[k], rtol=0, atol=1e-6, name=f"{k} after merge + unmerge")

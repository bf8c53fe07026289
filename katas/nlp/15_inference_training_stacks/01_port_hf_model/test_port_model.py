"""Tests for nlp-15-1, porting a Hugging Face GPT-2 checkpoint to three engine layouts.

Reference: a real `transformers.GPT2LMHeadModel` (built from a GPT2Config with random weights,
offline) and EngineGPT must produce the same logits in float64 once the converted state dict is
loaded with strict=True; every attention tensor is also rebuilt element by element with explicit
index loops (q/k/v rows of head h); the deepspeed round trip must reproduce the checkpoint bit for
bit and load strictly into GPT2LMHeadModel; a checkpoint written by `save_pretrained` (safetensors,
tied lm_head stored once) is ported, and the port is written back with `safetensors.torch.save_file`,
which refuses shared or non-contiguous tensors; ownership is also checked through storage pointers.
"""
import os
import tempfile

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from safetensors.torch import load_file, save_file
from transformers.utils import logging as hf_logging

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

LAYOUT = st.sampled_from(["vllm", "deepspeed", "exllama"])
SHAPES = st.sampled_from([(1, 4, 1), (2, 4, 2), (4, 8, 1), (2, 12, 2), (3, 12, 1), (4, 16, 2)])  # heads, d, layers
TOL = 1e-10  # float64 end to end: only the order of summation could differ, and it does not


def make_cfg(kata, shape):
    heads, d, layers = shape
    return kata.GPTConfig(vocab_size=11, n_positions=9, d_model=d, n_heads=heads, n_layers=layers)


def hf_model(kata, cfg, seed: int):
    model = kata.hf_gpt2(cfg).double()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():            # every parameter random, LayerNorms included
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.5)
    return model.eval()


def checkpoint(model, cfg, old_buffers: bool, tied_once: bool) -> dict:
    """The dict a checkpoint file would hold: maybe old mask buffers, maybe lm_head saved only once."""
    sd = {k: v.detach().clone() for k, v in model.state_dict().items()}
    if old_buffers:
        for i in range(cfg.n_layers):
            sd[f"transformer.h.{i}.attn.bias"] = torch.ones(1, 1, cfg.n_positions, cfg.n_positions).tril()
            sd[f"transformer.h.{i}.attn.masked_bias"] = torch.tensor(-1e4)
    if tied_once:
        del sd["lm_head.weight"]
    return sd


def load_strict(module, state: dict, what: str) -> None:
    result = None
    try:
        result = module.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise AssertionError(f"{what} does not load with strict=True:\n{e}") from None
    assert not result.missing_keys and not result.unexpected_keys, f"{what}: {result}"


def ids_for(cfg, seed: int, batch: int = 2, length: int = 7) -> torch.Tensor:
    return torch.randint(0, cfg.vocab_size, (batch, length), generator=torch.Generator().manual_seed(seed + 7))


def expected_attention(hf_state: dict, cfg, layout: str, i: int) -> dict:
    """The engine's attention tensors of layer i, element by element from c_attn (in, 3d) / c_proj (in, out)."""
    d, h, dh = cfg.d_model, cfg.n_heads, cfg.d_head
    w = hf_state[f"transformer.h.{i}.attn.c_attn.weight"]
    b = hf_state[f"transformer.h.{i}.attn.c_attn.bias"]
    q_w = torch.stack([w[:, r] for r in range(0, d)])                 # row r of q_proj = column r of c_attn
    k_w = torch.stack([w[:, d + r] for r in range(0, d)])
    v_w = torch.stack([w[:, 2 * d + r] for r in range(0, d)])
    q_b, k_b, v_b = b[:d], b[d:2 * d], b[2 * d:]
    o = hf_state[f"transformer.h.{i}.attn.c_proj.weight"]
    o_w = torch.stack([o[:, r] for r in range(d)])
    o_b = hf_state[f"transformer.h.{i}.attn.c_proj.bias"]
    p = f"layers.{i}.self_attn."
    if layout == "exllama":
        return {p + "q_proj.weight": q_w, p + "q_proj.bias": q_b, p + "k_proj.weight": k_w, p + "k_proj.bias": k_b,
                p + "v_proj.weight": v_w, p + "v_proj.bias": v_b, p + "o_proj.weight": o_w, p + "o_proj.bias": o_b}
    if layout == "vllm":
        return {p + "qkv_proj.weight": torch.cat([q_w, k_w, v_w]), p + "qkv_proj.bias": torch.cat([q_b, k_b, v_b]),
                p + "o_proj.weight": o_w, p + "o_proj.bias": o_b}
    rows, bias = [], []
    for head in range(h):
        for mat, vec in ((q_w, q_b), (k_w, k_b), (v_w, v_b)):
            rows.append(mat[head * dh:(head + 1) * dh])
            bias.append(vec[head * dh:(head + 1) * dh])
    return {p + "query_key_value.weight": torch.cat(rows), p + "query_key_value.bias": torch.cat(bias),
            p + "dense.weight": o_w, p + "dense.bias": o_b}


def storages(tensors) -> dict[int, str]:
    return {t.untyped_storage().data_ptr(): name for name, t in tensors}


@settings(max_examples=10)  # a transformers forward costs ~20 ms
@given(seed=seeds(), shape=SHAPES, layout=LAYOUT, old_buffers=st.booleans(), tied_once=st.booleans())
@example(seed=0, shape=(2, 4, 2), layout="vllm", old_buffers=False, tied_once=False)
@example(seed=1, shape=(4, 16, 2), layout="deepspeed", old_buffers=True, tied_once=True)
@example(seed=2, shape=(2, 12, 1), layout="exllama", old_buffers=True, tied_once=False)
def test_ported_model_gives_the_same_logits(kata, seed, shape, layout, old_buffers, tied_once):
    cfg = make_cfg(kata, shape)
    hf = hf_model(kata, cfg, seed)
    sd = checkpoint(hf, cfg, old_buffers, tied_once)
    before = {k: v.clone() for k, v in sd.items()}
    call = describe_call("port", f"<HF GPT-2 state dict, {len(sd)} keys>", cfg, layout)
    ported = kata.port(sd, cfg, layout)
    assert set(sd) == set(before) and all(torch.equal(sd[k], before[k]) for k in sd), f"{call} modified its input"
    engine = kata.EngineGPT(cfg, layout).double()
    load_strict(engine, ported, f"the state dict returned by {call}")
    ids = ids_for(cfg, seed)
    with torch.no_grad():
        want, got = hf(ids).logits, engine.eval()(ids)
    assert_close(got, want, rtol=TOL, atol=TOL, name="EngineGPT logits after loading the ported weights", call=call)


@given(seed=seeds(), shape=SHAPES, layout=LAYOUT)
@example(seed=0, shape=(4, 8, 1), layout="deepspeed")
@example(seed=0, shape=(1, 4, 1), layout="deepspeed")
def test_attention_weights_follow_each_layout(kata, seed, shape, layout):
    """Row by row: which q/k/v row of which head lands where (the layouts differ only here)."""
    cfg = make_cfg(kata, shape)
    sd = checkpoint(hf_model(kata, cfg, seed), cfg, False, False)
    call = describe_call("port", "<HF GPT-2 state dict>", cfg, layout)
    ported = kata.port(sd, cfg, layout)
    for i in range(cfg.n_layers):
        for name, want in expected_attention(sd, cfg, layout, i).items():
            assert name in ported, f"{call} has no key {name!r}; its keys for layer {i}: " \
                                   f"{sorted(k for k in ported if k.startswith(f'layers.{i}.self_attn'))}"
            hint = ""
            if layout == "deepspeed" and name.endswith("query_key_value.weight") and ported[name].shape == want.shape:
                fused = torch.cat([want.view(cfg.n_heads, 3, cfg.d_head, -1)[:, j].reshape(cfg.d_model, -1)
                                   for j in range(3)])
                if cfg.n_heads > 1 and torch.equal(ported[name], fused):
                    hint = " (this is vllm's [q | k | v] order; deepspeed groups the rows per head: q_h, k_h, v_h)"
            assert_equal(ported[name], want, name=name + hint, call=call)


@given(seed=seeds(), layout=LAYOUT, dtype=st.sampled_from([torch.float32, torch.bfloat16, torch.float16]),
       tied_once=st.booleans())
@example(seed=0, layout="exllama", dtype=torch.bfloat16, tied_once=True)
def test_every_ported_tensor_owns_contiguous_memory_of_the_same_dtype(kata, seed, layout, dtype, tied_once):
    cfg = make_cfg(kata, (2, 8, 2))
    sd = {k: v.to(dtype) for k, v in checkpoint(hf_model(kata, cfg, seed), cfg, True, tied_once).items()
          if v.is_floating_point()}
    call = describe_call("port", f"<{str(dtype).removeprefix('torch.')} HF state dict>", cfg, layout)
    ported = kata.port(sd, cfg, layout)
    source = storages(sd.items())
    seen: dict[int, str] = {}
    for name, t in ported.items():
        assert t.dtype == dtype, f"{call}: {name} is {t.dtype}, expected {dtype} (a port must not change precision)"
        assert t.is_contiguous(), (f"{call}: {name} (stride {t.stride()}) is not contiguous: a transposed or sliced "
                                   "view; safetensors refuses it (call .contiguous() or .clone())")
        ptr = t.untyped_storage().data_ptr()
        assert ptr not in source, (f"{call}: {name} shares memory with the checkpoint's {source[ptr]}: a view, not a "
                                   "copy; editing one changes the other, and torch.save would write the whole storage")
        assert ptr not in seen, (f"{call}: {name} and {seen[ptr]} share memory; safetensors refuses shared tensors "
                                 "(give the untied lm_head its own copy)")
        seen[ptr] = name


@given(seed=seeds(), shape=SHAPES, old_buffers=st.booleans(), tied_once=st.booleans())
@example(seed=0, shape=(4, 16, 2), old_buffers=False, tied_once=False)
def test_deepspeed_round_trip_restores_the_checkpoint(kata, seed, shape, old_buffers, tied_once):
    cfg = make_cfg(kata, shape)
    hf = hf_model(kata, cfg, seed)
    sd = checkpoint(hf, cfg, old_buffers, tied_once)
    call = describe_call("deepspeed_to_hf(port(state, cfg, 'deepspeed'))", cfg)
    back = kata.deepspeed_to_hf(kata.port(sd, cfg, "deepspeed"), cfg)
    want = hf.state_dict()
    assert set(back) == set(want), (f"{call}: keys differ from GPT2LMHeadModel's; missing {sorted(set(want) - set(back))}, "
                                    f"unexpected {sorted(set(back) - set(want))}")
    for name in want:
        assert_equal(back[name], want[name], name=name, call=call)


@settings(max_examples=10)  # a transformers forward costs ~20 ms
@given(seed=seeds(), shape=SHAPES)
@example(seed=0, shape=(2, 4, 2))
def test_deepspeed_to_hf_loads_into_the_hf_model_with_the_same_logits(kata, seed, shape):
    cfg = make_cfg(kata, shape)
    engine = kata.EngineGPT(cfg, "deepspeed").double()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in engine.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.5)
        engine.lm_head.weight.copy_(engine.embed_tokens.weight)       # GPT-2 ties them
    call = describe_call("deepspeed_to_hf", "<EngineGPT deepspeed state dict>", cfg)
    engine_state = engine.state_dict()
    state = kata.deepspeed_to_hf(engine_state, cfg)
    source, seen = storages(engine_state.items()), {}
    for name, tensor in state.items():   # "same ownership rules as port"
        ptr = tensor.untyped_storage().data_ptr()
        assert tensor.is_contiguous() and ptr not in source and ptr not in seen, (
            f"{call}: {name} is a view (contiguous: {tensor.is_contiguous()}) or shares memory with "
            f"{source.get(ptr) or seen.get(ptr)}: return contiguous copies that own their memory")
        seen[ptr] = name
    hf = kata.hf_gpt2(cfg).double()
    load_strict(hf, state, f"the state dict returned by {call}")
    ids = ids_for(cfg, seed)
    with torch.no_grad():
        assert_close(hf.eval()(ids).logits, engine.eval()(ids), rtol=TOL, atol=TOL, name="GPT2LMHeadModel logits",
                     call=call)


@settings(max_examples=3)  # writes and reads two small files per example
@given(seed=seeds(), layout=LAYOUT)
@example(seed=0, layout="deepspeed")
def test_ports_a_save_pretrained_checkpoint_and_writes_safetensors(kata, seed, layout):
    """The real file round trip: save_pretrained stores the tied lm_head once; save_file refuses views and sharing."""
    cfg = make_cfg(kata, (2, 8, 2))
    hf = hf_model(kata, cfg, seed).float()
    hf_logging.disable_progress_bar()
    with tempfile.TemporaryDirectory() as folder:
        hf.save_pretrained(folder)
        sd = load_file(os.path.join(folder, "model.safetensors"))
        call = describe_call("port", f"<save_pretrained checkpoint, {len(sd)} tensors>", cfg, layout)
        ported = kata.port(sd, cfg, layout)
        try:
            save_file(ported, os.path.join(folder, "engine.safetensors"))
        except (ValueError, RuntimeError) as e:
            raise AssertionError(f"safetensors.torch.save_file refuses the dict returned by {call}: {e}") from None
        engine = kata.EngineGPT(cfg, layout)
        load_strict(engine, load_file(os.path.join(folder, "engine.safetensors")), f"the saved result of {call}")
    ids = ids_for(cfg, seed)
    with torch.no_grad():
        # float32 end to end; the two models sum in different orders: ~1e-6 relative.
        assert_close(engine.eval()(ids), hf(ids).logits, rtol=1e-5, atol=1e-5, name="EngineGPT logits", call=call)


@given(layout=st.sampled_from(["tensorrt", "VLLM", ""]))
def test_rejects_unknown_layouts(kata, layout):
    cfg = make_cfg(kata, (1, 4, 1))
    sd = checkpoint(hf_model(kata, cfg, 0), cfg, False, False)
    with pytest.raises(ValueError):
        kata.port(sd, cfg, layout)
        pytest.fail(f"port(..., layout={layout!r}) did not raise ValueError")

"""Plausible wrong converters that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from port_model import LAYOUTS, GPTConfig, deepspeed_to_hf


def _port_variant(hf_state: dict[str, torch.Tensor], cfg: GPTConfig, layout: str, *, transpose_square: bool = True,
                  ds_order: str = "per_head", copy: bool = True, keep_buffers: bool = False,
                  upcast: bool = False) -> dict[str, torch.Tensor]:
    if layout not in LAYOUTS:
        raise ValueError(layout)
    d, h, dh = cfg.d_model, cfg.n_heads, cfg.d_head

    def own(t: torch.Tensor) -> torch.Tensor:
        t = t.float() if upcast else t
        return t.detach().clone().contiguous() if copy else t

    def lin(t: torch.Tensor) -> torch.Tensor:
        return t.t() if transpose_square or t.shape[0] != t.shape[1] else t

    out = {"embed_tokens.weight": own(hf_state["transformer.wte.weight"]),
           "embed_positions.weight": own(hf_state["transformer.wpe.weight"]),
           "norm.weight": own(hf_state["transformer.ln_f.weight"]), "norm.bias": own(hf_state["transformer.ln_f.bias"]),
           "lm_head.weight": own(hf_state.get("lm_head.weight", hf_state["transformer.wte.weight"]))}
    for i in range(cfg.n_layers):
        src, dst = f"transformer.h.{i}.", f"layers.{i}."
        for a, b in (("ln_1", "input_layernorm"), ("ln_2", "post_attention_layernorm")):
            out[dst + b + ".weight"] = own(hf_state[src + a + ".weight"])
            out[dst + b + ".bias"] = own(hf_state[src + a + ".bias"])
        for a, b in (("mlp.c_fc", "up_proj"), ("mlp.c_proj", "down_proj")):
            out[dst + b + ".weight"] = own(lin(hf_state[src + a + ".weight"]))
            out[dst + b + ".bias"] = own(hf_state[src + a + ".bias"])
        w, bias = hf_state[src + "attn.c_attn.weight"].t(), hf_state[src + "attn.c_attn.bias"]
        o_name = "dense" if layout == "deepspeed" else "o_proj"
        out[dst + f"self_attn.{o_name}.weight"] = own(lin(hf_state[src + "attn.c_proj.weight"]))
        out[dst + f"self_attn.{o_name}.bias"] = own(hf_state[src + "attn.c_proj.bias"])
        if layout == "vllm" or (layout == "deepspeed" and ds_order == "fused"):
            name = "qkv_proj" if layout == "vllm" else "query_key_value"
            out[dst + f"self_attn.{name}.weight"], out[dst + f"self_attn.{name}.bias"] = own(w), own(bias)
        elif layout == "deepspeed" and ds_order == "per_head":
            out[dst + "self_attn.query_key_value.weight"] = own(w.reshape(3, h, dh, d).transpose(0, 1).reshape(3 * d, d))
            out[dst + "self_attn.query_key_value.bias"] = own(bias.reshape(3, h, dh).transpose(0, 1).reshape(3 * d))
        elif layout == "deepspeed":   # "head_major_view": reads [q|k|v] as if it were already (h, 3, dh)
            out[dst + "self_attn.query_key_value.weight"] = own(w.reshape(h, 3, dh, d).transpose(0, 1).reshape(3 * d, d))
            out[dst + "self_attn.query_key_value.bias"] = own(bias.reshape(h, 3, dh).transpose(0, 1).reshape(3 * d))
        else:
            for name, rows, b_rows in zip(("q_proj", "k_proj", "v_proj"), w.split(d), bias.split(d), strict=True):
                out[dst + f"self_attn.{name}.weight"], out[dst + f"self_attn.{name}.bias"] = own(rows), own(b_rows)
        if keep_buffers:
            for suffix in ("attn.bias", "attn.masked_bias"):
                if src + suffix in hf_state:
                    out[dst + "self_attn." + suffix.split(".")[1]] = hf_state[src + suffix]
    return out


@pitfall(replaces="port", why="transposes only the non-square Conv1D weights (the ones load_state_dict complains about); "
                              "the square c_proj stays (in, out) and loads silently")
def square_not_transposed(hf_state: dict[str, torch.Tensor], cfg: GPTConfig, layout: str) -> dict[str, torch.Tensor]:
    return _port_variant(hf_state, cfg, layout, transpose_square=False)


@pitfall(replaces="port", why="deepspeed gets vllm's [q | k | v] order instead of Megatron's per-head grouping")
def deepspeed_not_regrouped(hf_state: dict[str, torch.Tensor], cfg: GPTConfig, layout: str) -> dict[str, torch.Tensor]:
    return _port_variant(hf_state, cfg, layout, ds_order="fused")


@pitfall(replaces="port", why="regroups with the inverse permutation: views [q | k | v] as (heads, 3, d_head)")
def deepspeed_inverse_permutation(hf_state: dict[str, torch.Tensor], cfg: GPTConfig,
                                  layout: str) -> dict[str, torch.Tensor]:
    return _port_variant(hf_state, cfg, layout, ds_order="head_major_view")


@pitfall(replaces="port", why="returns transposed views of the checkpoint's tensors instead of contiguous copies")
def views_not_copies(hf_state: dict[str, torch.Tensor], cfg: GPTConfig, layout: str) -> dict[str, torch.Tensor]:
    return _port_variant(hf_state, cfg, layout, copy=False)


@pitfall(replaces="port", why="carries the old attn.bias / attn.masked_bias mask buffers over as if they were weights")
def keeps_mask_buffers(hf_state: dict[str, torch.Tensor], cfg: GPTConfig, layout: str) -> dict[str, torch.Tensor]:
    return _port_variant(hf_state, cfg, layout, keep_buffers=True)


@pitfall(replaces="port", why="upcasts everything to float32 (a bf16 checkpoint doubles in size)")
def upcasts(hf_state: dict[str, torch.Tensor], cfg: GPTConfig, layout: str) -> dict[str, torch.Tensor]:
    return _port_variant(hf_state, cfg, layout, upcast=True)


@pitfall(replaces="port", why="reads lm_head.weight from the checkpoint, which tied checkpoints leave out")
def assumes_lm_head_saved(hf_state: dict[str, torch.Tensor], cfg: GPTConfig, layout: str) -> dict[str, torch.Tensor]:
    out = _port_variant(hf_state, cfg, layout)
    out["lm_head.weight"] = hf_state["lm_head.weight"].detach().clone()
    return out


@pitfall(replaces="port", why="shares one tensor between embed_tokens and the untied lm_head (safetensors refuses)")
def shared_head(hf_state: dict[str, torch.Tensor], cfg: GPTConfig, layout: str) -> dict[str, torch.Tensor]:
    out = _port_variant(hf_state, cfg, layout)
    out["lm_head.weight"] = out["embed_tokens.weight"]
    return out


@pitfall(replaces="deepspeed_to_hf", why="undoes the transposes but not the per-head grouping of query_key_value")
def forgets_to_ungroup(engine_state: dict[str, torch.Tensor], cfg: GPTConfig) -> dict[str, torch.Tensor]:
    out = _reference_deepspeed_to_hf(engine_state, cfg)
    for i in range(cfg.n_layers):
        w = engine_state[f"layers.{i}.self_attn.query_key_value.weight"]
        out[f"transformer.h.{i}.attn.c_attn.weight"] = w.t().contiguous()
        out[f"transformer.h.{i}.attn.c_attn.bias"] = engine_state[f"layers.{i}.self_attn.query_key_value.bias"].clone()
    return out


@pitfall(replaces="deepspeed_to_hf", why="drops lm_head.weight because GPT-2 ties it to wte (GPT2LMHeadModel's state dict has both)")
def no_lm_head(engine_state: dict[str, torch.Tensor], cfg: GPTConfig) -> dict[str, torch.Tensor]:
    out = _reference_deepspeed_to_hf(engine_state, cfg)
    del out["lm_head.weight"]
    return out


_reference_deepspeed_to_hf = deepspeed_to_hf

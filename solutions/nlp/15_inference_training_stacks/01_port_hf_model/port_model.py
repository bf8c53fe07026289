"""Reference solution for nlp-15-1."""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from transformers import GPT2Config, GPT2LMHeadModel

LAYOUTS = ("vllm", "deepspeed", "exllama")


@dataclass(frozen=True)
class GPTConfig:
    """Given, complete: the sizes of a GPT-2-style model."""

    vocab_size: int = 64
    n_positions: int = 32
    d_model: int = 16
    n_heads: int = 4
    n_layers: int = 2
    eps: float = 1e-5

    @property
    def d_head(self) -> int:
        return self.d_model // self.n_heads


def causal_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Given, complete: (B, H, T, d_head) each -> (B, T, H * d_head), causal softmax attention."""
    t = q.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    mask = torch.ones(t, t, dtype=torch.bool, device=q.device).tril()
    out = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1) @ v
    return out.transpose(1, 2).reshape(q.shape[0], t, -1)


# --------------------------------------------------------------------------------------------
# The source: a real Hugging Face GPT-2 (transformers), built from its config (given, complete).
# --------------------------------------------------------------------------------------------


def hf_gpt2(cfg: GPTConfig) -> GPT2LMHeadModel:
    """Given, complete: a real Hugging Face GPT-2 (`transformers.GPT2LMHeadModel`) of these sizes.

    Built from a `GPT2Config`, offline, with random weights; dropout off, eager attention (so it
    also runs in float64), `gelu_new` (the tanh GELU). Its state dict uses Hugging Face's names and
    Conv1D layout: transformer.wte.weight (V, d), transformer.wpe.weight (P, d),
    transformer.h.{i}.ln_1.{weight,bias}, transformer.h.{i}.attn.c_attn.{weight (d, 3d), bias (3d)},
    transformer.h.{i}.attn.c_proj.{weight (d, d), bias}, transformer.h.{i}.ln_2.{weight,bias},
    transformer.h.{i}.mlp.c_fc.{weight (d, 4d), bias}, transformer.h.{i}.mlp.c_proj.{weight (4d, d), bias},
    transformer.ln_f.{weight,bias}, lm_head.weight (V, d): tied, the same tensor as wte.
    `model(ids).logits` maps ids (B, T) int64 to logits (B, T, V).
    """
    config = GPT2Config(vocab_size=cfg.vocab_size, n_positions=cfg.n_positions, n_embd=cfg.d_model,
                        n_layer=cfg.n_layers, n_head=cfg.n_heads, layer_norm_epsilon=cfg.eps,
                        activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                        bos_token_id=0, eos_token_id=0, tie_word_embeddings=True)
    config._attn_implementation = "eager"
    return GPT2LMHeadModel(config).eval()


# --------------------------------------------------------------------------------------------
# The targets: one engine model, three attention layouts (given, complete).
# --------------------------------------------------------------------------------------------


class EngineAttention(nn.Module):
    """Given, complete: the attention projections in each engine's layout (nn.Linear: (out, in)).

    vllm:      qkv_proj (3d, d), rows [all q | all k | all v]; o_proj (d, d)
    deepspeed: query_key_value (3d, d), rows grouped per head: [q_h0 k_h0 v_h0 | q_h1 k_h1 v_h1 | ...],
               each block d_head rows (Megatron's layout); dense (d, d)
    exllama:   q_proj, k_proj, v_proj, o_proj, each (d, d)
    """

    def __init__(self, cfg: GPTConfig, layout: str) -> None:
        super().__init__()
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
        self.cfg, self.layout = cfg, layout
        d = cfg.d_model
        if layout == "vllm":
            self.qkv_proj, self.o_proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        elif layout == "deepspeed":
            self.query_key_value, self.dense = nn.Linear(d, 3 * d), nn.Linear(d, d)
        else:
            self.q_proj, self.k_proj, self.v_proj = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
            self.o_proj = nn.Linear(d, d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        h, dh = self.cfg.n_heads, self.cfg.d_head
        if self.layout == "vllm":
            q, k, v = self.qkv_proj(x).split(d, dim=-1)
            out_proj = self.o_proj
        elif self.layout == "deepspeed":
            q, k, v = self.query_key_value(x).view(b, t, h, 3, dh).unbind(dim=3)
            q, k, v = (z.reshape(b, t, d) for z in (q, k, v))
            out_proj = self.dense
        else:
            q, k, v = self.q_proj(x), self.k_proj(x), self.v_proj(x)
            out_proj = self.o_proj
        q, k, v = (z.reshape(b, t, h, dh).transpose(1, 2) for z in (q, k, v))
        return out_proj(causal_attention(q, k, v))


class EngineLayer(nn.Module):
    def __init__(self, cfg: GPTConfig, layout: str) -> None:
        super().__init__()
        self.input_layernorm = nn.LayerNorm(cfg.d_model, eps=cfg.eps)
        self.self_attn = EngineAttention(cfg, layout)
        self.post_attention_layernorm = nn.LayerNorm(cfg.d_model, eps=cfg.eps)
        self.up_proj = nn.Linear(cfg.d_model, 4 * cfg.d_model)
        self.down_proj = nn.Linear(4 * cfg.d_model, cfg.d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.self_attn(self.input_layernorm(x))
        return x + self.down_proj(F.gelu(self.up_proj(self.post_attention_layernorm(x)), approximate="tanh"))


class EngineGPT(nn.Module):
    """Given, complete: the same network with an inference engine's names and layouts.

    state_dict() keys: embed_tokens.weight (V, d), embed_positions.weight (P, d),
    layers.{i}.input_layernorm.{weight,bias}, layers.{i}.self_attn.<layout's projections>.{weight,bias},
    layers.{i}.post_attention_layernorm.{weight,bias}, layers.{i}.up_proj.{weight (4d, d), bias},
    layers.{i}.down_proj.{weight (d, 4d), bias}, norm.{weight,bias}, lm_head.weight (V, d), an untied
    parameter of its own. forward(ids (B, T) int64) -> logits (B, T, V).
    """

    def __init__(self, cfg: GPTConfig, layout: str) -> None:
        super().__init__()
        self.cfg, self.layout = cfg, layout
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.embed_positions = nn.Embedding(cfg.n_positions, cfg.d_model)
        self.layers = nn.ModuleList(EngineLayer(cfg, layout) for _ in range(cfg.n_layers))
        self.norm = nn.LayerNorm(cfg.d_model, eps=cfg.eps)
        self.lm_head = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.embed_tokens(ids) + self.embed_positions(torch.arange(ids.shape[1], device=ids.device))
        for layer in self.layers:
            x = layer(x)
        return self.lm_head(self.norm(x))


# --------------------------------------------------------------------------------------------
# What you write: the converters.
# --------------------------------------------------------------------------------------------


def port(hf_state: dict[str, torch.Tensor], cfg: GPTConfig, layout: str) -> dict[str, torch.Tensor]:
    """Convert a Hugging Face GPT-2 state dict into EngineGPT(cfg, layout)'s state dict.

    - names: transformer.wte -> embed_tokens, wpe -> embed_positions, h.{i}.ln_1 -> layers.{i}.input_layernorm,
      ln_2 -> post_attention_layernorm, mlp.c_fc -> up_proj, mlp.c_proj -> down_proj, ln_f -> norm,
      attn.c_proj -> o_proj (vllm, exllama) or dense (deepspeed), attn.c_attn -> the layout's q/k/v projections;
    - every Conv1D weight is transposed to nn.Linear's (out, in);
    - c_attn's fused [q | k | v] is kept fused (vllm), regrouped per head (deepspeed) or split (exllama),
      biases exactly like their weight rows;
    - lm_head.weight is taken from lm_head.weight, or from transformer.wte.weight when the checkpoint
      omits it (tied weights are often saved once);
    - keys that are not parameters (old checkpoints carry attn.bias / attn.masked_bias mask buffers)
      are dropped.
    Every returned tensor keeps its dtype, is contiguous and owns its memory (no views of hf_state
    and no two entries sharing storage): safetensors refuses anything else.

    Returns:
        a dict that EngineGPT(cfg, layout).load_state_dict(..., strict=True) accepts

    Raises:
        ValueError: for an unknown layout.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    d, h, dh = cfg.d_model, cfg.n_heads, cfg.d_head

    def own(t: torch.Tensor) -> torch.Tensor:
        return t.detach().clone(memory_format=torch.contiguous_format)

    out = {
        "embed_tokens.weight": own(hf_state["transformer.wte.weight"]),
        "embed_positions.weight": own(hf_state["transformer.wpe.weight"]),
        "norm.weight": own(hf_state["transformer.ln_f.weight"]),
        "norm.bias": own(hf_state["transformer.ln_f.bias"]),
        "lm_head.weight": own(hf_state.get("lm_head.weight", hf_state["transformer.wte.weight"])),
    }
    for i in range(cfg.n_layers):
        src, dst = f"transformer.h.{i}.", f"layers.{i}."
        for a, b in (("ln_1", "input_layernorm"), ("ln_2", "post_attention_layernorm")):
            out[dst + b + ".weight"] = own(hf_state[src + a + ".weight"])
            out[dst + b + ".bias"] = own(hf_state[src + a + ".bias"])
        for a, b in (("mlp.c_fc", "up_proj"), ("mlp.c_proj", "down_proj")):
            out[dst + b + ".weight"] = own(hf_state[src + a + ".weight"].t())
            out[dst + b + ".bias"] = own(hf_state[src + a + ".bias"])
        w = hf_state[src + "attn.c_attn.weight"].t()          # (3d, d), rows [q | k | v]
        bias = hf_state[src + "attn.c_attn.bias"]            # (3d,)
        o_name = "dense" if layout == "deepspeed" else "o_proj"
        out[dst + f"self_attn.{o_name}.weight"] = own(hf_state[src + "attn.c_proj.weight"].t())
        out[dst + f"self_attn.{o_name}.bias"] = own(hf_state[src + "attn.c_proj.bias"])
        if layout == "vllm":
            out[dst + "self_attn.qkv_proj.weight"] = own(w)
            out[dst + "self_attn.qkv_proj.bias"] = own(bias)
        elif layout == "deepspeed":
            out[dst + "self_attn.query_key_value.weight"] = own(w.reshape(3, h, dh, d).transpose(0, 1).reshape(3 * d, d))
            out[dst + "self_attn.query_key_value.bias"] = own(bias.reshape(3, h, dh).transpose(0, 1).reshape(3 * d))
        else:
            for name, rows, b_rows in zip(("q_proj", "k_proj", "v_proj"), w.split(d, dim=0), bias.split(d), strict=True):
                out[dst + f"self_attn.{name}.weight"] = own(rows)
                out[dst + f"self_attn.{name}.bias"] = own(b_rows)
    return out


def deepspeed_to_hf(engine_state: dict[str, torch.Tensor], cfg: GPTConfig) -> dict[str, torch.Tensor]:
    """The inverse of port(..., layout="deepspeed"): back to Hugging Face GPT-2's state-dict names and layouts.

    Undo the per-head grouping of query_key_value into c_attn's [q | k | v], transpose every linear
    weight back to Conv1D's (in, out), and emit both transformer.wte.weight and lm_head.weight (the
    engine's lm_head.weight). Same ownership rules as port.

    Returns:
        a dict that hf_gpt2(cfg).load_state_dict(..., strict=True) accepts
    """
    d, h, dh = cfg.d_model, cfg.n_heads, cfg.d_head

    def own(t: torch.Tensor) -> torch.Tensor:
        return t.detach().clone(memory_format=torch.contiguous_format)

    out = {
        "transformer.wte.weight": own(engine_state["embed_tokens.weight"]),
        "transformer.wpe.weight": own(engine_state["embed_positions.weight"]),
        "transformer.ln_f.weight": own(engine_state["norm.weight"]),
        "transformer.ln_f.bias": own(engine_state["norm.bias"]),
        "lm_head.weight": own(engine_state["lm_head.weight"]),
    }
    for i in range(cfg.n_layers):
        src, dst = f"layers.{i}.", f"transformer.h.{i}."
        for a, b in (("ln_1", "input_layernorm"), ("ln_2", "post_attention_layernorm")):
            out[dst + a + ".weight"] = own(engine_state[src + b + ".weight"])
            out[dst + a + ".bias"] = own(engine_state[src + b + ".bias"])
        for a, b in (("mlp.c_fc", "up_proj"), ("mlp.c_proj", "down_proj"), ("attn.c_proj", "self_attn.dense")):
            out[dst + a + ".weight"] = own(engine_state[src + b + ".weight"].t())
            out[dst + a + ".bias"] = own(engine_state[src + b + ".bias"])
        w = engine_state[src + "self_attn.query_key_value.weight"]      # (3d, d), per head [q k v]
        bias = engine_state[src + "self_attn.query_key_value.bias"]
        out[dst + "attn.c_attn.weight"] = own(w.reshape(h, 3, dh, d).transpose(0, 1).reshape(3 * d, d).t())
        out[dst + "attn.c_attn.bias"] = own(bias.reshape(h, 3, dh).transpose(0, 1).reshape(3 * d))
    return out

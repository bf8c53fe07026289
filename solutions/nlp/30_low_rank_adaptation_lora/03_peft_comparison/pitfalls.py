"""Plausible wrong adapter and prefix-tuning code that the tests must reject."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from peft_compare import (
        Adapter,
        PrefixAttention,
        add_adapters,
        add_prefixes,
        lora_model,
        n_trainable,
        train_params,
    )


@pitfall(replaces="Adapter.forward", why="no residual connection: the adapter replaces the layer's output instead of adding to it")
def no_residual(self: Adapter, h: torch.Tensor) -> torch.Tensor:
    return self.up(F.gelu(self.down(self.base(h))))


@pitfall(replaces="Adapter.__init__", why="leaves up randomly initialised: the adapted model no longer starts as the pretrained one")
def random_up(self: Adapter, base: nn.Linear, bottleneck: int, generator: torch.Generator | None = None) -> None:
    nn.Module.__init__(self)
    self.base = base
    base.requires_grad_(False)
    d = base.out_features
    self.down = nn.Linear(d, bottleneck)
    self.up = nn.Linear(bottleneck, d)
    with torch.no_grad():
        self.down.weight.copy_(torch.randn(bottleneck, d, generator=generator, dtype=torch.float64) * 0.02)
        self.down.bias.zero_()


@pitfall(replaces="PrefixAttention.forward", why="applies the causal mask to the prefixes too: query t sees only the first t + 1 prefix slots")
def causal_over_prefix(self: PrefixAttention, x: torch.Tensor, positions: torch.Tensor, attention: object = None) -> torch.Tensor:
    q, k, v = self.attn.split_heads(x, positions)
    B, H, T, _ = q.shape
    P = self.prefix_k.shape[1]
    k = torch.cat([self.prefix_k.expand(B, H, P, -1), k], dim=2)
    v = torch.cat([self.prefix_v.expand(B, H, P, -1), v], dim=2)
    mask = torch.ones(T, P + T, dtype=torch.bool).tril(diagonal=P - 1) if P else torch.ones(T, T, dtype=torch.bool).tril()
    mask[:, :P] = torch.ones(T, P, dtype=torch.bool).tril()
    return self.attn.merge_heads(F.scaled_dot_product_attention(q, k, v, attn_mask=mask))


@pitfall(replaces="PrefixAttention.forward", why="appends the prefixes after the real keys but builds the mask for prepended ones")
def appended_prefixes(self: PrefixAttention, x: torch.Tensor, positions: torch.Tensor, attention: object = None) -> torch.Tensor:
    q, k, v = self.attn.split_heads(x, positions)
    B, H, T, _ = q.shape
    P = self.prefix_k.shape[1]
    k = torch.cat([k, self.prefix_k.expand(B, H, P, -1)], dim=2)
    v = torch.cat([v, self.prefix_v.expand(B, H, P, -1)], dim=2)
    mask = torch.cat([torch.ones(T, P, dtype=torch.bool), torch.ones(T, T, dtype=torch.bool).tril()], dim=1)
    return self.attn.merge_heads(F.scaled_dot_product_attention(q, k, v, attn_mask=mask))


@pitfall(replaces="add_prefixes", why="forgets to freeze the model: prefix-tuning silently becomes full fine-tuning")
def prefixes_unfrozen(model: lm.CharGPT, n_prefix: int, generator: torch.Generator | None = None) -> lm.CharGPT:
    for block in model.blocks:
        block.attn = PrefixAttention(block.attn, n_prefix, generator)
        block.attn.attn.requires_grad_(True)
    return model


@pitfall(replaces="compare_methods", why="adapts `base` itself instead of a copy: the second method starts from the first one's model")
def shares_base(base: lm.CharGPT, train_windows: torch.Tensor, val_ids: torch.Tensor, steps: int, r: int = 4,
                bottleneck: int = 8, n_prefix: int = 8, seed: int = 0, lr: float = 1e-2) -> dict[str, dict]:
    out = {}
    for name in ("lora", "adapter", "prefix"):
        if name == "lora":
            model = lora_model(base, r, seed)
        elif name == "adapter":
            model = add_adapters(base, bottleneck, torch.Generator().manual_seed(seed))
        else:
            model = add_prefixes(base, n_prefix, torch.Generator().manual_seed(seed))
        trainable = n_trainable(model)
        train_params(model, train_windows, steps, lr=lr, seed=seed)
        out[name] = {"trainable": trainable, "val_loss": lm.evaluate_loss(model, val_ids, context=32)}
    return out


@pitfall(replaces="compare_methods", why="counts trainable parameters after training on a copy that was never frozen")
def counts_all_params(base: lm.CharGPT, train_windows: torch.Tensor, val_ids: torch.Tensor, steps: int, r: int = 4,
                      bottleneck: int = 8, n_prefix: int = 8, seed: int = 0, lr: float = 1e-2) -> dict[str, dict]:
    models = {"lora": lora_model(base, r, seed),
              "adapter": add_adapters(copy.deepcopy(base), bottleneck, torch.Generator().manual_seed(seed)),
              "prefix": add_prefixes(copy.deepcopy(base), n_prefix, torch.Generator().manual_seed(seed))}
    out = {}
    for name, model in models.items():
        train_params(model, train_windows, steps, lr=lr, seed=seed)
        out[name] = {"trainable": sum(p.numel() for p in model.parameters()),
                     "val_loss": lm.evaluate_loss(model, val_ids, context=32)}
    return out

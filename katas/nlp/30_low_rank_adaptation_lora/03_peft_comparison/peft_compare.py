"""nlp-30-3: LoRA, prefix-tuning and adapters compared on one task. Edit this file; `grader check nlp-30-3` tests it."""
from __future__ import annotations

import copy

import torch
import torch.nn.functional as F
from peft import LoraConfig, get_peft_model
from torch import nn

from grader import lm


def rot13_windows(start: int, stop: int, length: int = 32) -> torch.Tensor:
    """Given: characters [start, stop) of the corpus in ROT13, as (N, length + 1) int64 windows."""
    lower = "abcdefghijklmnopqrstuvwxyz"
    upper = lower.upper()
    table = str.maketrans(lower + upper, lower[13:] + lower[:13] + upper[13:] + upper[:13])
    ids = lm.encode(lm.corpus_text()[start:stop].translate(table))
    n = len(ids) // (length + 1)
    return ids[: n * (length + 1)].view(n, length + 1)


def lora_model(base: nn.Module, r: int, seed: int) -> nn.Module:
    """Given: peft LoRA of rank r (alpha 8) on qkv, proj, fc and out of a copy of `base`."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return get_peft_model(copy.deepcopy(base), LoraConfig(r=r, lora_alpha=8.0, lora_dropout=0.0,
                                                              target_modules=["qkv", "proj", "fc", "out"]))


def train_params(model: nn.Module, windows: torch.Tensor, steps: int, lr: float = 1e-2, seed: int = 0,
                 batch_size: int = 16) -> None:
    """Given: AdamW on the parameters with requires_grad, seeded random batches, next-character loss."""
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        batch = windows[torch.randint(len(windows), (batch_size,), generator=g)]
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()


def n_trainable(model: nn.Module) -> int:
    """Given: the number of scalars with requires_grad."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


class Adapter(nn.Module):
    """A bottleneck adapter after a frozen linear layer (Houlsby et al., 2019):

        y = base(h);   out = y + up(gelu(down(y)))

    down = nn.Linear(d, bottleneck) with weight (torch.randn(bottleneck, d, generator=generator,
    dtype=torch.float64) * 0.02) cast to the base weight's dtype and a zero bias; up =
    nn.Linear(bottleneck, d) with zero weight and bias, so the adapter starts as the identity and the
    wrapped layer computes exactly base(h). The base layer is frozen.

    Shapes:
        h: (..., base.in_features) -> (..., d) with d = base.out_features
    """

    def __init__(self, base: nn.Linear, bottleneck: int, generator: torch.Generator | None = None) -> None:
        raise NotImplementedError("Adapter.__init__: freeze base; down small random, up zero")

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Adapter.forward: y + up(gelu(down(y))) with y = base(h)")


def add_adapters(model: lm.CharGPT, bottleneck: int, generator: torch.Generator | None = None) -> lm.CharGPT:
    """Freeze `model` and wrap each block's MLP output layer (`blocks[i].out`) in an Adapter, block 0
    first (one generator for all); returns the same model, modified in place."""
    raise NotImplementedError("add_adapters: wrap every blocks[i].out in an Adapter, freeze the rest")


class PrefixAttention(nn.Module):
    """Prefix-tuning for one attention layer (Li & Liang, 2021): n_prefix trainable key/value vectors
    per head, prepended to the layer's keys and values. Every query may attend to every prefix
    position; among the real positions the causal mask still applies. The prefixes carry no
    position (no rotation). The wrapped attention's own weights are frozen.

    prefix_k and prefix_v are nn.Parameters of shape (n_head, n_prefix, head_dim), drawn as
    torch.randn(n_head, n_prefix, head_dim, generator=generator, dtype=torch.float64) * 0.5 (first k,
    then v) and cast to float32. With n_prefix = 0 the layer computes what `attn` does (up to rounding).

    forward(x, positions, attention=None) has the signature of grader.lm.Attention.forward (the
    `attention` override is not supported and must be None): q, k, v = attn.split_heads(x,
    positions); prepend the prefixes to k and v; softmax(q k^T / sqrt(head_dim) + mask) v;
    attn.merge_heads of the result.

    Shapes:
        x: (B, T, D) -> (B, T, D)
    """

    def __init__(self, attn: lm.Attention, n_prefix: int, generator: torch.Generator | None = None) -> None:
        raise NotImplementedError("PrefixAttention.__init__: freeze attn; prefix_k, prefix_v of shape (n_head, n_prefix, head_dim)")

    def forward(self, x: torch.Tensor, positions: torch.Tensor, attention: object = None) -> torch.Tensor:
        raise NotImplementedError("PrefixAttention.forward: prepend the prefixes to k and v; prefixes always visible")


def add_prefixes(model: lm.CharGPT, n_prefix: int, generator: torch.Generator | None = None) -> lm.CharGPT:
    """Freeze `model` and replace each block's `attn` with a PrefixAttention around it, block 0 first
    (one generator for all); returns the same model, modified in place."""
    raise NotImplementedError("add_prefixes: wrap every blocks[i].attn, freeze the rest")


def compare_methods(base: lm.CharGPT, train_windows: torch.Tensor, val_ids: torch.Tensor, steps: int,
                    r: int = 4, bottleneck: int = 8, n_prefix: int = 8, seed: int = 0,
                    lr: float = 1e-2) -> dict[str, dict]:
    """Adapt `base` three ways on the same task with the same training and measure each.

    "lora": lora_model(base, r, seed); "adapter": add_adapters(copy.deepcopy(base), bottleneck,
    torch.Generator().manual_seed(seed)); "prefix": add_prefixes(copy.deepcopy(base), n_prefix,
    torch.Generator().manual_seed(seed)). Each is trained with train_params(model, train_windows,
    steps, lr=lr, seed=seed) and scored with lm.evaluate_loss(model, val_ids, context=32). `base` is
    not modified.

    Returns:
        {"lora": {"trainable": n_trainable(model), "val_loss": float}, "adapter": {...}, "prefix": {...}}
    """
    raise NotImplementedError("compare_methods: three adapted copies, same training, measured")

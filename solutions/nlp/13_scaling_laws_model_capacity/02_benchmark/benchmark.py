"""Reference solution for nlp-13-2."""
from __future__ import annotations

import math
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

VOCAB_SIZE = 14


class Block(nn.Module):
    """Given: a pre-norm transformer block with a causal mask."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.ln1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.fc = nn.Linear(d_model, 4 * d_model)
        self.out = nn.Linear(4 * d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.n_heads)
        scores = scores.masked_fill(~torch.ones(t, t, dtype=torch.bool, device=x.device).tril(), float("-inf"))
        y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class TinyLM(nn.Module):
    """Given: a tiny causal transformer LM whose size you choose. Parameter names: tok_emb.*, pos_emb.*,
    blocks.<i>.{ln1, qkv, proj, ln2, fc, out}.*, norm.*, head.weight (no bias).

    forward(idx (B, T) long) -> logits (B, T, vocab_size).
    """

    def __init__(self, vocab_size: int = VOCAB_SIZE, d_model: int = 32, n_heads: int = 2, n_layers: int = 2,
                 max_len: int = 32) -> None:
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(idx.shape[-1], device=idx.device))
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))


def lm_loss(logits: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    """Given: mean next-token cross-entropy, logits at t scored against idx[t + 1]."""
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), idx[:, 1:].reshape(-1))


LADDER = {
    "tiny": {"d_model": 2, "n_heads": 1, "n_layers": 1},
    "small": {"d_model": 8, "n_heads": 2, "n_layers": 1},
    "medium": {"d_model": 32, "n_heads": 2, "n_layers": 2},
}




def forward_flops(d_model: int, n_layers: int, vocab_size: int, seq_len: int, batch_size: int) -> int:
    """Floating-point operations of the matrix multiplications in one TinyLM forward pass.

    A (m x k) @ (k x n) product costs 2*m*k*n (one multiply and one add per term). Count every
    nn.Linear (qkv, proj, fc, out of each block, and head) and the two attention products per block
    (q @ k^T and weights @ v, all heads together); embeddings, norms, softmax and GELU are not
    matmuls and count 0, as in torch.utils.flop_counter.FlopCounterMode.
    """
    tokens, d = batch_size * seq_len, d_model
    linear = 2 * tokens * (3 * d * d + d * d + 4 * d * d + 4 * d * d)      # qkv, proj, fc, out
    attention = 2 * 2 * batch_size * seq_len * seq_len * d                 # q k^T and weights v
    return n_layers * (linear + attention) + 2 * tokens * d * vocab_size    # + head


def training_flops(d_model: int, n_layers: int, vocab_size: int, seq_len: int, batch_size: int) -> int:
    """Matmul FLOPs of one training step, forward plus backward: the backward of y = x @ W needs
    dL/dx and dL/dW, two products as large as the forward one."""
    return 3 * forward_flops(d_model, n_layers, vocab_size, seq_len, batch_size)


def measure_flops(model: nn.Module, idx: torch.Tensor, train: bool = False) -> int:
    """Count the FLOPs that actually run, with torch.utils.flop_counter.FlopCounterMode(display=False):
    model(idx) alone, or with train=True also lm_loss(logits, idx).backward() inside the counter."""
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        logits = model(idx)
        if train:
            lm_loss(logits, idx).backward()
    return counter.get_total_flops()


def state_bytes(model: nn.Module, optimizer: str = "adamw") -> dict[str, int]:
    """Predicted memory of the training state, from the parameters alone.

    "params": bytes of every parameter (numel * element_size); "grads": bytes of the gradients of
    the trainable ones (requires_grad); "optimizer": bytes of the optimizer's per-parameter state
    tensors for the trainable ones: 0 for "sgd" (no momentum), 1 tensor like the parameter for
    "momentum", 2 (exp_avg, exp_avg_sq) for "adamw"; "total": the sum of the three.

    Raises:
        ValueError: for another optimizer name.
    """
    states = {"sgd": 0, "momentum": 1, "adamw": 2}
    if optimizer not in states:
        raise ValueError(f"optimizer must be one of {sorted(states)}, not {optimizer!r}")
    params = sum(p.numel() * p.element_size() for p in model.parameters())
    trainable = sum(p.numel() * p.element_size() for p in model.parameters() if p.requires_grad)
    out = {"params": params, "grads": trainable, "optimizer": states[optimizer] * trainable}
    out["total"] = sum(out.values())
    return out


def saved_activation_bytes(model: nn.Module, idx: torch.Tensor) -> int:
    """The activation memory of a training step: the bytes autograd keeps for the backward pass.

    Compute lm_loss(model(idx), idx) inside torch.autograd.graph.saved_tensors_hooks(pack, unpack),
    record every tensor that pack receives, leave out those that share storage with a parameter,
    and return the total nbytes of the distinct storages that remain (each storage counted once,
    whole: t.untyped_storage().nbytes(), keyed by its data_ptr()).
    """
    param_ptrs = {p.untyped_storage().data_ptr() for p in model.parameters()}
    storages: dict[int, int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        if storage.data_ptr() not in param_ptrs:
            storages[storage.data_ptr()] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        lm_loss(model(idx), idx)
    return sum(storages.values())


def measure_throughput(fn: Callable[[], object], n_tokens: int, warmup: int = 2, repeats: int = 5,
                       clock: Callable[[], float] = time.perf_counter) -> dict[str, float]:
    """Time fn like a benchmark harness: call it `warmup` times untimed, then `repeats` times, each
    call timed on its own as clock() after minus clock() before (two clock() calls per repeat).

    Returns:
        {"median_s": median seconds per call, "tokens_per_s": n_tokens / median_s}
    """
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append(clock() - start)
    times.sort()
    mid = len(times) // 2
    median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    return {"median_s": median, "tokens_per_s": n_tokens / median}

"""Plausible wrong counters and timers that the tests must reject."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from benchmark import forward_flops, lm_loss


@pitfall(replaces="forward_flops", why="counts multiply-accumulates (m*k*n), half the FLOPs")
def macs_not_flops(d_model: int, n_layers: int, vocab_size: int, seq_len: int, batch_size: int) -> int:
    tokens, d = batch_size * seq_len, d_model
    return n_layers * (tokens * 12 * d * d + 2 * batch_size * seq_len * seq_len * d) + tokens * d * vocab_size


@pitfall(replaces="forward_flops", why="only the linear layers (2 N per token): forgets q @ k^T and weights @ v")
def no_attention_products(d_model: int, n_layers: int, vocab_size: int, seq_len: int, batch_size: int) -> int:
    tokens, d = batch_size * seq_len, d_model
    return n_layers * 24 * tokens * d * d + 2 * tokens * d * vocab_size


@pitfall(replaces="training_flops", why="backward counted as one forward: 2x instead of 3x")
def backward_as_one_forward(d_model: int, n_layers: int, vocab_size: int, seq_len: int, batch_size: int) -> int:
    return 2 * forward_flops(d_model, n_layers, vocab_size, seq_len, batch_size)


@pitfall(replaces="measure_flops", why="runs the backward outside the counter")
def backward_not_counted(model: nn.Module, idx: torch.Tensor, train: bool = False) -> int:
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        logits = model(idx)
    if train:
        lm_loss(logits, idx).backward()
    return counter.get_total_flops()


@pitfall(replaces="state_bytes", why="Adam keeps one state per parameter, not two")
def adam_one_state(model: nn.Module, optimizer: str = "adamw") -> dict[str, int]:
    states = {"sgd": 0, "momentum": 1, "adamw": 1}
    if optimizer not in states:
        raise ValueError(optimizer)
    params = sum(p.numel() * p.element_size() for p in model.parameters())
    trainable = sum(p.numel() * p.element_size() for p in model.parameters() if p.requires_grad)
    out = {"params": params, "grads": trainable, "optimizer": states[optimizer] * trainable}
    out["total"] = sum(out.values())
    return out


@pitfall(replaces="state_bytes", why="gradients and optimizer state for frozen parameters too")
def frozen_counted(model: nn.Module, optimizer: str = "adamw") -> dict[str, int]:
    states = {"sgd": 0, "momentum": 1, "adamw": 2}
    if optimizer not in states:
        raise ValueError(optimizer)
    params = sum(p.numel() * p.element_size() for p in model.parameters())
    out = {"params": params, "grads": params, "optimizer": states[optimizer] * params}
    out["total"] = sum(out.values())
    return out


@pitfall(replaces="state_bytes", why="assumes 4 bytes per element whatever the dtype")
def always_four_bytes(model: nn.Module, optimizer: str = "adamw") -> dict[str, int]:
    states = {"sgd": 0, "momentum": 1, "adamw": 2}
    if optimizer not in states:
        raise ValueError(optimizer)
    params = sum(p.numel() * 4 for p in model.parameters())
    trainable = sum(p.numel() * 4 for p in model.parameters() if p.requires_grad)
    out = {"params": params, "grads": trainable, "optimizer": states[optimizer] * trainable}
    out["total"] = sum(out.values())
    return out


@pitfall(replaces="saved_activation_bytes", why="counts the parameters autograd saves (weights of every Linear) too")
def parameters_counted(model: nn.Module, idx: torch.Tensor) -> int:
    storages: dict[int, int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storages[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        lm_loss(model(idx), idx)
    return sum(storages.values())


@pitfall(replaces="saved_activation_bytes", why="adds up t.nbytes of every saved tensor: views and repeats counted again")
def no_dedup(model: nn.Module, idx: torch.Tensor) -> int:
    param_ptrs = {p.untyped_storage().data_ptr() for p in model.parameters()}
    total = 0

    def pack(t: torch.Tensor) -> torch.Tensor:
        nonlocal total
        if t.untyped_storage().data_ptr() not in param_ptrs:
            total += t.nbytes
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        lm_loss(model(idx), idx)
    return total


@pitfall(replaces="measure_throughput", why="times the warm-up calls too")
def warmup_timed(fn: Callable[[], object], n_tokens: int, warmup: int = 2, repeats: int = 5,
                 clock: Callable[[], float] = time.perf_counter) -> dict[str, float]:
    times = []
    for _ in range(warmup + repeats):
        start = clock()
        fn()
        times.append(clock() - start)
    times.sort()
    mid = len(times) // 2
    median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    return {"median_s": median, "tokens_per_s": n_tokens / median}


@pitfall(replaces="measure_throughput", why="the mean, which one slow outlier drags up, instead of the median")
def mean_not_median(fn: Callable[[], object], n_tokens: int, warmup: int = 2, repeats: int = 5,
                    clock: Callable[[], float] = time.perf_counter) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    total = 0.0
    for _ in range(repeats):
        start = clock()
        fn()
        total += clock() - start
    mean = total / repeats
    return {"median_s": mean, "tokens_per_s": n_tokens / mean}

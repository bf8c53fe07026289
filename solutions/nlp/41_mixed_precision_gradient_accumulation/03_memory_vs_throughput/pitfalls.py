"""Plausible wrong ways to count training memory that the tests must reject."""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from memory_throughput import saved_activation_bytes


def _count(model: nn.Module, x: torch.Tensor, dtype: torch.dtype | None, size: Callable[[torch.Tensor], int], skip_params: bool = True,
           dedupe: bool = True, autocast_on: bool = True) -> int:
    params = {p.untyped_storage().data_ptr() for p in model.parameters()} if skip_params else set()
    seen: dict[int, int] = {}
    total = [0]

    def pack(t: torch.Tensor) -> torch.Tensor:
        ptr = t.untyped_storage().data_ptr()
        if ptr not in params:
            if dedupe:
                seen[ptr] = size(t)
            else:
                total[0] += size(t)
        return t

    ctx = torch.autocast("cpu", dtype=dtype) if dtype is not None and autocast_on else contextlib.nullcontext()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), ctx:
        out = model(x)
    del out
    return total[0] + sum(seen.values())


@pitfall(replaces="saved_activation_bytes",
         why="counts the parameters autograd saves (a Linear saves its weight) as activation memory")
def counts_parameters(model: nn.Module, x: torch.Tensor, dtype: torch.dtype | None = None) -> int:
    return _count(model, x, dtype, lambda t: t.untyped_storage().nbytes(), skip_params=False)


@pitfall(replaces="saved_activation_bytes",
         why="adds up every saved tensor without de-duplicating: ReLU's output and the next Linear's input "
             "are the same memory, counted twice")
def no_dedupe(model: nn.Module, x: torch.Tensor, dtype: torch.dtype | None = None) -> int:
    return _count(model, x, dtype, lambda t: t.untyped_storage().nbytes(), dedupe=False)


@pitfall(replaces="saved_activation_bytes",
         why="4 bytes per element whatever the dtype: bfloat16 (2 bytes) and float64 (8) miscounted")
def four_bytes_per_element(model: nn.Module, x: torch.Tensor, dtype: torch.dtype | None = None) -> int:
    return _count(model, x, dtype, lambda t: 4 * t.numel())


@pitfall(replaces="saved_activation_bytes", why="never enters torch.autocast: the dtype argument is ignored")
def ignores_autocast(model: nn.Module, x: torch.Tensor, dtype: torch.dtype | None = None) -> int:
    return _count(model, x, dtype, lambda t: t.untyped_storage().nbytes(), autocast_on=False)


@pitfall(replaces="peak_activation_bytes",
         why="adds the micro-batches' activations up, as if every graph stayed alive until the optimizer step")
def peak_is_sum(model: nn.Module, x: torch.Tensor, micro_batch_size: int, dtype: torch.dtype | None = None) -> int:
    if micro_batch_size < 1:
        raise ValueError("micro_batch_size must be >= 1")
    return sum(saved_activation_bytes(model, x[s:s + micro_batch_size], dtype)
               for s in range(0, len(x), micro_batch_size))


@pitfall(replaces="peak_activation_bytes",
         why="measures only the last micro-batch, which is shorter when N % micro_batch_size != 0")
def last_micro_batch(model: nn.Module, x: torch.Tensor, micro_batch_size: int, dtype: torch.dtype | None = None) -> int:
    if micro_batch_size < 1:
        raise ValueError("micro_batch_size must be >= 1")
    start = (len(x) - 1) // micro_batch_size * micro_batch_size
    return saved_activation_bytes(model, x[start:], dtype)


@pitfall(replaces="training_state_bytes",
         why="assumes every parameter has a gradient: counts a gradient before any backward and for frozen weights")
def grads_always_exist(model: nn.Module, optimizer: torch.optim.Optimizer) -> dict[str, int]:
    params = sum(p.nbytes for p in model.parameters())
    state = sum(v.nbytes for s in optimizer.state.values() for v in s.values() if isinstance(v, torch.Tensor))
    return {"parameters": params, "gradients": params, "optimizer_state": state}


@pitfall(replaces="training_state_bytes",
         why="counts only the state tensors shaped like a parameter: Adam's scalar `step` tensors are missed")
def skips_step_counters(model: nn.Module, optimizer: torch.optim.Optimizer) -> dict[str, int]:
    params = sum(p.nbytes for p in model.parameters())
    grads = sum(p.grad.nbytes for p in model.parameters() if p.grad is not None)
    state = sum(v.nbytes for s in optimizer.state.values() for v in s.values()
                if isinstance(v, torch.Tensor) and v.dim() > 0)
    return {"parameters": params, "gradients": grads, "optimizer_state": state}


@pitfall(replaces="training_state_bytes", why="counts only trainable parameters: frozen weights take memory too")
def only_trainable_parameters(model: nn.Module, optimizer: torch.optim.Optimizer) -> dict[str, int]:
    params = sum(p.nbytes for p in model.parameters() if p.requires_grad)
    grads = sum(p.grad.nbytes for p in model.parameters() if p.grad is not None)
    state = sum(v.nbytes for s in optimizer.state.values() for v in s.values() if isinstance(v, torch.Tensor))
    return {"parameters": params, "gradients": grads, "optimizer_state": state}

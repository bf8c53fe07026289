"""nlp-41-3: measure throughput gains vs memory savings. Edit this file; `grader check nlp-41-3` tests it."""
from __future__ import annotations

import contextlib
import time

import torch
from torch import nn


def saved_activation_bytes(model: nn.Module, x: torch.Tensor, dtype: torch.dtype | None = None) -> int:
    """Bytes that autograd keeps alive for the backward pass of `model(x)`, counted exactly.

    Run the forward pass of `model` on `x` (inside `torch.autocast("cpu", dtype=dtype)` when `dtype`
    is given, in the model's own precision when it is None) while a
    `torch.autograd.graph.saved_tensors_hooks` pack hook sees every tensor autograd saves. Count each
    distinct storage once (`t.untyped_storage()`: its `nbytes()`, keyed by its `data_ptr()`), and leave
    out the storages of the model's own parameters (they are in memory whether or not you train).
    Casts of parameters that autocast makes (a bfloat16 copy of a weight) are new storages and count.

    No backward pass is run: the model's parameters and their `.grad` are left as they were, and `x`
    is not modified.

    Shapes:
        x: (B, d_in), any float dtype the model accepts
        returns: a Python int, bytes
    """
    param_storages = {p.untyped_storage().data_ptr() for p in model.parameters()}
    saved: dict[int, int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        if storage.data_ptr() not in param_storages:
            saved[storage.data_ptr()] = storage.nbytes()
        return t

    autocast = torch.autocast("cpu", dtype=dtype) if dtype is not None else contextlib.nullcontext()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), autocast:
        out = model(x)
    total = sum(saved.values())
    del out
    return total


def peak_activation_bytes(model: nn.Module, x: torch.Tensor, micro_batch_size: int,
                          dtype: torch.dtype | None = None) -> int:
    """Peak saved-activation bytes of one accumulation step over `x` in micro-batches of `micro_batch_size` rows.

    With gradient accumulation each micro-batch's graph is freed by its backward pass before the next
    forward, so only one micro-batch's activations are alive at a time: the peak is the largest
    `saved_activation_bytes` over the micro-batches x[0:m], x[m:2m], ... (the last may be shorter).
    `micro_batch_size >= len(x)` is one full-batch forward.

    Shapes:
        x: (N, d_in) with N >= 1
        returns: a Python int, bytes

    Raises:
        ValueError: if micro_batch_size < 1.
    """
    if micro_batch_size < 1:
        raise ValueError(f"micro_batch_size must be >= 1, got {micro_batch_size}")
    return max(saved_activation_bytes(model, x[start:start + micro_batch_size], dtype)
               for start in range(0, len(x), micro_batch_size))


def training_state_bytes(model: nn.Module, optimizer: torch.optim.Optimizer) -> dict[str, int]:
    """Bytes of the training state that lives across steps, counted from the tensors themselves.

    Returns a dict with three keys:
        "parameters":      nbytes of every parameter of `model`;
        "gradients":       nbytes of every `p.grad` that is not None;
        "optimizer_state": nbytes of every tensor in `optimizer.state` (momentum buffers, Adam's
                           exp_avg / exp_avg_sq, and its `step` counters, which are tensors too).
    Count what exists now: before the first `optimizer.step()` the state is empty.

    Shapes:
        returns: {"parameters": int, "gradients": int, "optimizer_state": int}
    """
    params = sum(p.nbytes for p in model.parameters())
    grads = sum(p.grad.nbytes for p in model.parameters() if p.grad is not None)
    state = sum(v.nbytes for per_param in optimizer.state.values() for v in per_param.values()
                if isinstance(v, torch.Tensor))
    return {"parameters": params, "gradients": grads, "optimizer_state": state}


def samples_per_second(model: nn.Module, x: torch.Tensor, y: torch.Tensor, micro_batch_size: int,
                       dtype: torch.dtype | None = None, steps: int = 5) -> float:
    """Given: wall-clock throughput of SGD accumulation steps (for the benchmark, never for a test)."""
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)
    autocast = (lambda: torch.autocast("cpu", dtype=dtype)) if dtype is not None else contextlib.nullcontext

    def step() -> None:
        opt.zero_grad()
        for start in range(0, len(x), micro_batch_size):
            xb, yb = x[start:start + micro_batch_size], y[start:start + micro_batch_size]
            with autocast():
                loss = nn.functional.cross_entropy(model(xb), yb) * (len(xb) / len(x))
            loss.backward()
        opt.step()

    step()  # warm-up
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * len(x) / (time.perf_counter() - t0)

"""Plausible wrong versions of accumulation_step that the tests must reject."""
from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

from grader.pitfalls import pitfall


@pitfall(replaces="accumulation_step", why="divides every micro-batch loss by the number of micro-batches: "
         "a short last micro-batch is over-weighted")
def divide_by_steps(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn: Callable,
                    inputs: torch.Tensor, targets: torch.Tensor, micro_batch_size: int) -> float:
    if micro_batch_size < 1:
        raise ValueError("micro_batch_size")
    n = inputs.shape[0]
    k = math.ceil(n / micro_batch_size)
    optimizer.zero_grad()
    total = 0.0
    for start in range(0, n, micro_batch_size):
        loss = loss_fn(model(inputs[start:start + micro_batch_size]), targets[start:start + micro_batch_size]) / k
        loss.backward()
        total += loss.item()
    optimizer.step()
    return total


@pitfall(replaces="accumulation_step", why="does not scale the micro-batch losses: the gradient is k times too large")
def unscaled(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn: Callable,
             inputs: torch.Tensor, targets: torch.Tensor, micro_batch_size: int) -> float:
    if micro_batch_size < 1:
        raise ValueError("micro_batch_size")
    n = inputs.shape[0]
    optimizer.zero_grad()
    total = 0.0
    for start in range(0, n, micro_batch_size):
        x = inputs[start:start + micro_batch_size]
        loss = loss_fn(model(x), targets[start:start + micro_batch_size])
        loss.backward()
        total += loss.item() * x.shape[0] / n
    optimizer.step()
    return total


@pitfall(replaces="accumulation_step", why="calls zero_grad inside the loop: only the last micro-batch's gradient is used")
def zero_grad_inside(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn: Callable,
                     inputs: torch.Tensor, targets: torch.Tensor, micro_batch_size: int) -> float:
    if micro_batch_size < 1:
        raise ValueError("micro_batch_size")
    n = inputs.shape[0]
    total = 0.0
    for start in range(0, n, micro_batch_size):
        optimizer.zero_grad()
        x = inputs[start:start + micro_batch_size]
        loss = loss_fn(model(x), targets[start:start + micro_batch_size]) * (x.shape[0] / n)
        loss.backward()
        total += loss.item()
    optimizer.step()
    return total


@pitfall(replaces="accumulation_step", why="never zeroes the gradients: the previous step's gradient leaks into this one")
def no_zero_grad(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn: Callable,
                 inputs: torch.Tensor, targets: torch.Tensor, micro_batch_size: int) -> float:
    if micro_batch_size < 1:
        raise ValueError("micro_batch_size")
    n = inputs.shape[0]
    total = 0.0
    for start in range(0, n, micro_batch_size):
        x = inputs[start:start + micro_batch_size]
        loss = loss_fn(model(x), targets[start:start + micro_batch_size]) * (x.shape[0] / n)
        loss.backward()
        total += loss.item()
    optimizer.step()
    return total


@pitfall(replaces="accumulation_step", why="steps the optimizer after every micro-batch: k small steps, not one large one")
def step_every_micro_batch(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn: Callable,
                           inputs: torch.Tensor, targets: torch.Tensor, micro_batch_size: int) -> float:
    if micro_batch_size < 1:
        raise ValueError("micro_batch_size")
    n = inputs.shape[0]
    total = 0.0
    for start in range(0, n, micro_batch_size):
        optimizer.zero_grad()
        x = inputs[start:start + micro_batch_size]
        loss = loss_fn(model(x), targets[start:start + micro_batch_size])
        loss.backward()
        optimizer.step()
        total += loss.item() * x.shape[0] / n
    return total


@pitfall(replaces="accumulation_step", why="drops the last, shorter micro-batch (range(0, N - m + 1, m))")
def drops_remainder(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn: Callable,
                    inputs: torch.Tensor, targets: torch.Tensor, micro_batch_size: int) -> float:
    if micro_batch_size < 1:
        raise ValueError("micro_batch_size")
    n = inputs.shape[0]
    m = min(micro_batch_size, n)
    used = (n // m) * m
    optimizer.zero_grad()
    total = 0.0
    for start in range(0, used, m):
        loss = loss_fn(model(inputs[start:start + m]), targets[start:start + m]) * (m / used)
        loss.backward()
        total += loss.item()
    optimizer.step()
    return total


@pitfall(replaces="accumulation_step", why="runs the whole batch in one forward pass: right step, no memory saved")
def one_big_batch(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn: Callable,
                  inputs: torch.Tensor, targets: torch.Tensor, micro_batch_size: int) -> float:
    if micro_batch_size < 1:
        raise ValueError("micro_batch_size")
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()

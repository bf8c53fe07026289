"""Plausible wrong pipeline implementations that the tests must reject."""
from __future__ import annotations

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall


@pitfall(replaces="split_stages", why="gives the remainder layers to the LAST stage: not np.array_split's balance")
def remainder_last(n_layers: int, world: int) -> list[range]:
    if world < 1 or n_layers < world:
        raise ValueError("bad")
    base = n_layers // world
    return [range(r * base, (r + 1) * base if r < world - 1 else n_layers) for r in range(world)]


@pitfall(replaces="bubble_fraction", why="S / (M + S): counts one stage too many")
def bubble_off_by_one(n_stages: int, n_micro: int) -> float:
    return n_stages / (n_micro + n_stages)


def _step(stage: nn.Module, micro_inputs: list | None, micro_targets: list | None, n_micro: int,
          act_shape: tuple[int, ...], scale: float, reverse_backward_on_first: bool) -> float | None:
    rank, world = dist.get_rank(), dist.get_world_size()
    first, last = rank == 0, rank == world - 1
    dtype = next(stage.parameters()).dtype
    ins, outs = [], []
    for j in range(n_micro):
        if first:
            x = micro_inputs[j]
        else:
            x = torch.empty(act_shape, dtype=dtype)
            dist.recv(x, src=rank - 1)
            x.requires_grad_(True)
        y = stage(x)
        if not last:
            dist.send(y.detach(), dst=rank + 1)
        ins.append(x)
        outs.append(y)
    total = 0.0
    order = list(range(n_micro))
    for j in order:
        if last:
            loss = F.mse_loss(outs[j], micro_targets[j]) * scale
            loss.backward()
            total += loss.item()
        else:
            grad = torch.empty(act_shape, dtype=dtype)
            dist.recv(grad, src=rank + 1)
            k = n_micro - 1 - j if (first and reverse_backward_on_first) else j
            outs[k].backward(grad)
        if not first:
            dist.send(ins[j].grad, dst=rank - 1)
    return total if last else None


@pitfall(replaces="pipeline_step", why="sums the micro-batch losses without dividing by n_micro: gradients n_micro times too large")
def unscaled_loss(stage: nn.Module, micro_inputs: list | None, micro_targets: list | None, n_micro: int,
                  act_shape: tuple[int, ...]) -> float | None:
    return _step(stage, micro_inputs, micro_targets, n_micro, act_shape, 1.0, False)


@pitfall(replaces="pipeline_step", why="the first stage backpropagates the incoming gradients in reverse micro-batch order")
def mismatched_order(stage: nn.Module, micro_inputs: list | None, micro_targets: list | None, n_micro: int,
                     act_shape: tuple[int, ...]) -> float | None:
    return _step(stage, micro_inputs, micro_targets, n_micro, act_shape, 1.0 / n_micro, True)

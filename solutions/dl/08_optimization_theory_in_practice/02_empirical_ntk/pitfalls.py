"""Plausible wrong NTK computations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ntk import param_jacobian


@pitfall(replaces="param_jacobian", why="weights only: the biases' columns are missing")
def weights_only(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    params = [p for n, p in model.named_parameters() if n.endswith("weight")]
    rows = [torch.cat([g.reshape(-1) for g in torch.autograd.grad(model(x[i:i + 1]).sum(), params)])
            for i in range(len(x))]
    return torch.stack(rows).detach()


@pitfall(replaces="param_jacobian", why="uses loss.backward() and reads p.grad: accumulates into (and clobbers) .grad")
def via_backward(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    rows = []
    for i in range(len(x)):
        model.zero_grad()
        model(x[i:i + 1]).sum().backward()
        rows.append(torch.cat([p.grad.reshape(-1).clone() for p in model.parameters()]))
    return torch.stack(rows)


@pitfall(replaces="param_jacobian", why="differentiates the batch sum once and repeats that row for every input")
def batch_sum(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    params = list(model.parameters())
    row = torch.cat([g.reshape(-1) for g in torch.autograd.grad(model(x).sum(), params)])
    return row.expand(len(x), -1).detach().clone()


@pitfall(replaces="empirical_ntk", why="divides by the number of parameters (an 'NTK parameterisation' normalisation not asked for)")
def normalised(model: torch.nn.Module, x1: torch.Tensor, x2: torch.Tensor) -> torch.Tensor:
    J1, J2 = param_jacobian(model, x1), param_jacobian(model, x2)
    return J1 @ J2.T / J1.shape[1]

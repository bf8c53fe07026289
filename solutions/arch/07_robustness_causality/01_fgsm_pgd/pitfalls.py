"""Plausible wrong attacks and training steps that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from attacks import input_gradient, pgd


@pitfall(replaces="fgsm", why="steps along the raw gradient instead of its sign")
def raw_gradient(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float) -> torch.Tensor:
    return (x + eps * input_gradient(model, x, y)).clamp(0.0, 1.0).detach()


@pitfall(replaces="fgsm", why="no clamp to the pixel range [0, 1]")
def unclamped(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float) -> torch.Tensor:
    return (x + eps * input_gradient(model, x, y).sign()).detach()


@pitfall(replaces="fgsm", why="backward() on the loss: leaves gradients on the model's parameters")
def pollutes_param_grads(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float) -> torch.Tensor:
    xx = x.detach().clone().requires_grad_()
    F.cross_entropy(model(xx), y).backward()
    return (x + eps * xx.grad.sign()).clamp(0.0, 1.0).detach()


@pitfall(replaces="pgd", why="projects around the current iterate instead of the original x: drifts out of the ball")
def projects_around_iterate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float, alpha: float,
                            steps: int, generator: torch.Generator | None = None) -> torch.Tensor:
    if steps < 0:
        raise ValueError("steps")
    x_adv = x.detach().clone()
    if generator is not None:
        x_adv = (x_adv + eps * (torch.rand(x.shape, generator=generator, dtype=x.dtype) * 2 - 1)).clamp(0, 1)
    for _ in range(steps):
        prev = x_adv
        x_adv = x_adv + alpha * input_gradient(model, x_adv, y).sign()
        x_adv = torch.minimum(torch.maximum(x_adv, prev - eps), prev + eps).clamp(0.0, 1.0)
    return x_adv.detach()


@pitfall(replaces="pgd", why="random start from the global RNG, ignoring the generator")
def global_random_start(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float, alpha: float,
                        steps: int, generator: torch.Generator | None = None) -> torch.Tensor:
    if steps < 0:
        raise ValueError("steps")
    x_adv = x.detach().clone()
    if generator is not None:
        x_adv = (x_adv + eps * (torch.rand(x.shape, dtype=x.dtype) * 2 - 1)).clamp(0, 1)
    for _ in range(steps):
        x_adv = x_adv + alpha * input_gradient(model, x_adv, y).sign()
        x_adv = torch.minimum(torch.maximum(x_adv, x - eps), x + eps).clamp(0.0, 1.0)
    return x_adv.detach()


@pitfall(replaces="adversarial_training_step", why="trains on the clean batch (the attack is computed, then unused)")
def trains_on_clean(model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor,
                    eps: float, alpha: float, steps: int) -> float:
    pgd(model, x, y, eps, alpha, steps)
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


@pitfall(replaces="adversarial_training_step", why="forgets zero_grad: stale gradients are added to the step")
def no_zero_grad(model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor,
                 eps: float, alpha: float, steps: int) -> float:
    x_adv = pgd(model, x, y, eps, alpha, steps)
    loss = F.cross_entropy(model(x_adv), y)
    loss.backward()
    optimizer.step()
    return loss.item()

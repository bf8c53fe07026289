"""Reference solution for arch-07-1."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def input_gradient(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """d cross_entropy(model(x), y) / d x, without touching the parameters' .grad."""
    x = x.detach().requires_grad_()
    (grad,) = torch.autograd.grad(F.cross_entropy(model(x), y), x)
    return grad


def fgsm(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float) -> torch.Tensor:
    return (x + eps * input_gradient(model, x, y).sign()).clamp(0.0, 1.0).detach()


def pgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float, alpha: float, steps: int,
        generator: torch.Generator | None = None) -> torch.Tensor:
    if steps < 0:
        raise ValueError("steps must be >= 0")
    x_adv = x.detach()          # every update below builds a new tensor: x itself is never written
    if generator is not None:
        noise = torch.rand(x.shape, generator=generator, dtype=x.dtype) * 2 - 1
        x_adv = (x_adv + eps * noise).clamp(0.0, 1.0)
    for _ in range(steps):
        x_adv = x_adv + alpha * input_gradient(model, x_adv, y).sign()
        x_adv = torch.minimum(torch.maximum(x_adv, x - eps), x + eps).clamp(0.0, 1.0)
    return x_adv.detach()


def adversarial_training_step(model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor,
                              eps: float, alpha: float, steps: int) -> float:
    x_adv = pgd(model, x, y, eps, alpha, steps)
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x_adv), y)
    loss.backward()
    optimizer.step()
    return loss.item()

"""arch-07-1: FGSM, PGD and adversarial training. Edit this file; `grader check arch-07-1` tests it."""
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
    """Fast gradient sign method: x + eps * sign(d loss / d x), clamped to the valid pixel range [0, 1].

    loss = cross_entropy(model(x), y). Leaves x, the parameters and their .grad unchanged; the result
    is detached.

    Shapes:
        x: (B, ...) in [0, 1]     y: (B,) int     returns: like x
    """
    raise NotImplementedError("fgsm")


def pgd(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float, alpha: float, steps: int,
        generator: torch.Generator | None = None) -> torch.Tensor:
    """L-infinity projected gradient descent (Madry et al. 2018), ascending the loss.

    Start at x, or, when a generator is given, at clamp(x + eps * (2 u - 1), 0, 1) with
    u = torch.rand(x.shape, generator=generator, dtype=x.dtype). Then `steps` times: add alpha *
    sign(d loss / d x_adv), project back into the box [x - eps, x + eps] around the ORIGINAL x, and
    clamp to [0, 1]. Leaves x and the model unchanged; the result is detached.

    Raises:
        ValueError: if steps < 0.
    """
    raise NotImplementedError("pgd")


def adversarial_training_step(model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor,
                              eps: float, alpha: float, steps: int) -> float:
    """One step of adversarial training: craft pgd(model, x, y, eps, alpha, steps) (no random start),
    then zero the gradients, backpropagate cross_entropy(model(x_adv), y) and take one optimizer step.

    Returns:
        the loss on the adversarial batch before the step, as a float.
    """
    raise NotImplementedError("adversarial_training_step")

"""Plausible wrong gradient checkers that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gradcheck import relative_error


@pitfall(replaces="numerical_gradient", why="forward difference (f(x+ε) − f(x)) / ε: error O(ε) instead of O(ε²)")
def forward_difference(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    xw = np.array(x, dtype=np.float64, copy=True)
    g, flat = np.zeros_like(xw), xw.reshape(-1)
    base = float(f(xw))
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        g.reshape(-1)[i] = (float(f(xw)) - base) / eps
        flat[i] = old
    return g


@pitfall(replaces="numerical_gradient", why="perturbs the caller's x in place and restores it with x[i] -= eps (rounding leaves it changed)")
def restores_by_arithmetic(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    g, flat = np.zeros_like(x), x.reshape(-1)
    for i in range(flat.size):
        flat[i] += eps
        up = float(f(x))
        flat[i] -= 2 * eps
        down = float(f(x))
        flat[i] += eps
        g.reshape(-1)[i] = (up - down) / (2 * eps)
    return g


@pitfall(replaces="numerical_gradient", why="ignores eps and always steps by 1e-5")
def fixed_step(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    xw = np.array(x, dtype=np.float64, copy=True)
    g, flat = np.zeros_like(xw), xw.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + 1e-5
        up = float(f(xw))
        flat[i] = old - 1e-5
        down = float(f(xw))
        flat[i] = old
        g.reshape(-1)[i] = (up - down) / 2e-5
    return g


@pitfall(replaces="relative_error", why="normalises by ‖a‖ only: not symmetric, and nan for two zero gradients")
def normalise_by_first(a: np.ndarray, b: np.ndarray) -> float:
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.linalg.norm(np.asarray(a) - b) / np.linalg.norm(a))


@pitfall(replaces="check_module_gradients", why="checks L = Σ module(x) (an all-ones upstream gradient): a backward that averages its upstream gradient passes")
def sum_loss(module: torch.nn.Module, x: torch.Tensor, seed: int, eps: float = 1e-6) -> dict[str, float]:
    return _check(module, x, lambda out: out.sum(), eps)


@pitfall(replaces="check_module_gradients", why="reads p.grad after loss.backward() without zeroing: stale gradients are added in")
def stale_grads(module: torch.nn.Module, x: torch.Tensor, seed: int, eps: float = 1e-6) -> dict[str, float]:
    x = x.detach().clone().requires_grad_(True)
    with torch.no_grad():
        shape = module(x).shape
    R = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    (module(x) * R).sum().backward()
    named = [("input", x)] + list(module.named_parameters())
    analytic = [t.grad.clone() if t.grad is not None else torch.zeros_like(t) for _, t in named]
    x.requires_grad_(False)
    errors = {}
    with torch.no_grad():
        for (name, t), g in zip(named, analytic, strict=True):
            flat, num = t.view(-1), torch.zeros(t.numel(), dtype=torch.float64)
            for i in range(flat.numel()):
                old = flat[i].clone()
                flat[i] = old + eps
                up = (module(x) * R).sum()
                flat[i] = old - eps
                down = (module(x) * R).sum()
                flat[i] = old
                num[i] = (up - down) / (2 * eps)
            errors[name] = relative_error(g.numpy(), num.view_as(t).numpy())
    return errors


@pitfall(replaces="check_module_gradients", why="restores each parameter entry by adding eps back: the weights drift in the last bits")
def drifting_params(module: torch.nn.Module, x: torch.Tensor, seed: int, eps: float = 1e-6) -> dict[str, float]:
    with torch.no_grad():
        shape = module(x).shape
    R = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    return _check(module, x, lambda out: (out * R).sum(), eps, exact_restore=False)


@pitfall(replaces="check_module_gradients", why="checks the parameters only and forgets the input gradient")
def no_input(module: torch.nn.Module, x: torch.Tensor, seed: int, eps: float = 1e-6) -> dict[str, float]:
    with torch.no_grad():
        shape = module(x).shape
    R = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    errors = _check(module, x, lambda out: (out * R).sum(), eps)
    errors.pop("input")
    return errors


def _check(module: torch.nn.Module, x: torch.Tensor, reduce: Callable[[torch.Tensor], torch.Tensor], eps: float,
           exact_restore: bool = True) -> dict[str, float]:
    x = x.detach().clone()
    named = [("input", x)] + list(module.named_parameters())
    x.requires_grad_(True)
    analytic = torch.autograd.grad(reduce(module(x)), [t for _, t in named], allow_unused=True)
    x.requires_grad_(False)
    errors = {}
    with torch.no_grad():
        for (name, t), g in zip(named, analytic, strict=True):
            g = torch.zeros_like(t) if g is None else g
            flat, num = t.view(-1), torch.zeros(t.numel(), dtype=torch.float64)
            for i in range(flat.numel()):
                old = flat[i].clone()
                flat[i] += eps
                up = reduce(module(x))
                flat[i] -= 2 * eps
                down = reduce(module(x))
                if exact_restore:
                    flat[i] = old
                else:
                    flat[i] += eps
                num[i] = (up - down) / (2 * eps)
            errors[name] = relative_error(g.numpy(), num.view_as(t).numpy())
    return errors

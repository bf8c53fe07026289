"""Reference solution for dl-02-2."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    xw = np.array(x, dtype=np.float64, copy=True)  # perturb a private copy: x is never touched
    g = np.zeros_like(xw)
    flat, gflat = xw.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = float(f(xw))
        flat[i] = old - eps
        down = float(f(xw))
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return g


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def check_module_gradients(module: torch.nn.Module, x: torch.Tensor, seed: int,
                           eps: float = 1e-6) -> dict[str, float]:
    x = x.detach().clone()
    with torch.no_grad():
        out_shape = module(x).shape
    R = torch.randn(out_shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    named = [("input", x)] + [(n, p) for n, p in module.named_parameters()]

    def loss() -> torch.Tensor:
        return (module(x) * R).sum()

    x.requires_grad_(True)
    analytic = torch.autograd.grad(loss(), [t for _, t in named], allow_unused=True)
    x.requires_grad_(False)
    errors = {}
    with torch.no_grad():
        for (name, t), g in zip(named, analytic, strict=True):
            g = torch.zeros_like(t) if g is None else g
            flat = t.view(-1)
            num = torch.zeros_like(flat)
            for i in range(flat.numel()):
                old = flat[i].clone()
                flat[i] = old + eps
                up = loss()
                flat[i] = old - eps
                down = loss()
                flat[i] = old
                num[i] = (up - down) / (2 * eps)
            errors[name] = relative_error(g.detach().numpy(), num.view_as(t).numpy())
    return errors

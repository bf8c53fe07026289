"""Plausible wrong comparison harnesses that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from compare import OptimizerFactory, loss_curve, make_mlp, mse


@pitfall(replaces="loss_curve", why="never calls zero_grad: gradients accumulate over the steps")
def no_zero_grad(make_optimizer: OptimizerFactory, X: torch.Tensor, y: torch.Tensor, *, hidden: int, steps: int,
                 seed: int) -> np.ndarray:
    model = make_mlp(X.shape[1], hidden, y.shape[1], seed)
    opt = make_optimizer(model.parameters())
    curve = []
    for _ in range(steps):
        loss = mse(model, X, y)
        curve.append(loss.item())
        loss.backward()
        opt.step()
    curve.append(mse(model, X, y).item())
    return np.array(curve)


@pitfall(replaces="loss_curve", why="records the loss after each step: the initial loss is missing and the curve is shifted")
def records_after_step(make_optimizer: OptimizerFactory, X: torch.Tensor, y: torch.Tensor, *, hidden: int, steps: int,
                       seed: int) -> np.ndarray:
    model = make_mlp(X.shape[1], hidden, y.shape[1], seed)
    opt = make_optimizer(model.parameters())
    curve = []
    for _ in range(steps + 1):
        opt.zero_grad()
        loss = mse(model, X, y)
        loss.backward()
        opt.step()
        curve.append(mse(model, X, y).item())
    return np.array(curve)


@pitfall(replaces="compare_optimizers", why="one model shared by every optimizer: each continues where the last stopped")
def shared_model(optimizers: dict, X: torch.Tensor, y: torch.Tensor, *, hidden: int, steps: int,
                 seed: int) -> dict[str, np.ndarray]:
    model = make_mlp(X.shape[1], hidden, y.shape[1], seed)
    out = {}
    for name, make in optimizers.items():
        opt = make(model.parameters())
        curve = []
        for _ in range(steps):
            opt.zero_grad()
            loss = mse(model, X, y)
            curve.append(loss.item())
            loss.backward()
            opt.step()
        curve.append(mse(model, X, y).item())
        out[name] = np.array(curve)
    return out


@pitfall(replaces="compare_optimizers", why="a different seed for every optimizer: the comparison is not from the same start")
def seed_per_optimizer(optimizers: dict, X: torch.Tensor, y: torch.Tensor, *, hidden: int, steps: int,
                       seed: int) -> dict[str, np.ndarray]:
    return {name: loss_curve(make, X, y, hidden=hidden, steps=steps, seed=seed + i)
            for i, (name, make) in enumerate(optimizers.items())}


@pitfall(replaces="diverged", why="max(curve) > factor * curve[0] misses NaN: every comparison with NaN is False")
def nan_blind_divergence(curve: np.ndarray, factor: float = 10.0) -> bool:
    curve = np.asarray(curve, dtype=np.float64)
    return bool(np.any(curve > factor * curve[0]))


@pitfall(replaces="steps_to_fraction", why="strict < instead of <=: a curve that lands exactly on the target is missed")
def strict_fraction(curve: np.ndarray, fraction: float) -> int:
    hit = np.flatnonzero(np.asarray(curve) < fraction * curve[0])
    return int(hit[0]) if hit.size else -1

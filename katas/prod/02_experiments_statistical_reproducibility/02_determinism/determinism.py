"""prod-02-2: seeding and determinism, bitwise-reproducible training. Edit this file; `grader check prod-02-2` tests it."""
from __future__ import annotations

import random

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset  # noqa: F401  (DataLoader: for train)


def make_data(n: int = 64) -> TensorDataset:
    """A fixed regression data set (no randomness: a deterministic function of the index)."""
    x = torch.linspace(-2, 2, n * 3).reshape(n, 3)
    y = (x.sin().sum(dim=1, keepdim=True) + 0.1 * x[:, :1] ** 2)
    return TensorDataset(x, y)


def make_model() -> nn.Module:
    """A small MLP with dropout; its initial weights come from torch's global generator."""
    return nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 1))


def augment(x: torch.Tensor) -> torch.Tensor:
    """Training-time augmentation: a random scale (Python's random) and jitter (NumPy's global RNG)."""
    scale = 1.0 + 0.1 * (random.random() - 0.5)
    jitter = torch.from_numpy(np.random.normal(0.0, 0.01, size=tuple(x.shape))).to(x.dtype)
    return x * scale + jitter


def seed_everything(seed: int, deterministic: bool = True) -> torch.Generator:
    """Seed every random number generator a training run touches, and choose deterministic kernels.

    Seeds Python's `random`, NumPy's global generator and torch's global generator with `seed`,
    calls torch.use_deterministic_algorithms(deterministic), and returns a new torch.Generator
    seeded with `seed` for the data loader's shuffling.
    """
    raise NotImplementedError("seed_everything: random, numpy, torch, deterministic algorithms, a generator")


def train(seed: int, steps: int = 12, batch_size: int = 8, lr: float = 0.05) -> dict[str, torch.Tensor]:
    """A bitwise-reproducible training run; returns the final state_dict.

    In this order: g = seed_everything(seed); model = make_model(); a DataLoader over make_data()
    with batch_size, shuffle=True and generator=g; torch.optim.SGD(model.parameters(), lr=lr);
    model.train(). Then `steps` optimiser steps, passing over the loader epoch after epoch: for each
    batch (x, y): loss = mse_loss(model(augment(x)), y); zero_grad, backward, step.
    Same seed -> identical tensors (torch.equal), whatever state the global generators were in.
    """
    raise NotImplementedError("train: seed first, then model, loader, optimiser, steps")

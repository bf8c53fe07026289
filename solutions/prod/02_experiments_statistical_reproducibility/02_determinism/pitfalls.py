"""Plausible non-reproducible training code that the tests must reject."""
from __future__ import annotations

import random
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from determinism import augment, make_data, make_model, seed_everything


def _loop(model: nn.Module, loader: DataLoader, steps: int, lr: float) -> dict[str, torch.Tensor]:
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    model.train()
    done = 0
    while done < steps:
        for x, y in loader:
            if done == steps:
                break
            loss = nn.functional.mse_loss(model(augment(x)), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            done += 1
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


@pitfall(replaces="seed_everything", why="forgets Python's random: the augmentation's scale differs from run to run")
def no_python_seed(seed: int, deterministic: bool = True) -> torch.Generator:
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(deterministic)
    return torch.Generator().manual_seed(seed)


@pitfall(replaces="seed_everything", why="forgets NumPy's global generator: the jitter differs from run to run")
def no_numpy_seed(seed: int, deterministic: bool = True) -> torch.Generator:
    random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(deterministic)
    return torch.Generator().manual_seed(seed)


@pitfall(replaces="seed_everything", why="never turns on deterministic algorithms")
def no_deterministic_flag(seed: int, deterministic: bool = True) -> torch.Generator:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


@pitfall(replaces="train", why="builds the model before seeding: its initial weights come from whatever state torch was in")
def model_before_seed(seed: int, steps: int = 12, batch_size: int = 8, lr: float = 0.05) -> dict[str, torch.Tensor]:
    model = make_model()
    g = seed_everything(seed)
    return _loop(model, DataLoader(make_data(), batch_size=batch_size, shuffle=True, generator=g), steps, lr)


@pitfall(replaces="train", why="a DataLoader without generator: shuffling draws from torch's global stream and shifts dropout's")
def loader_without_generator(seed: int, steps: int = 12, batch_size: int = 8, lr: float = 0.05) -> dict[str, torch.Tensor]:
    seed_everything(seed)
    model = make_model()
    return _loop(model, DataLoader(make_data(), batch_size=batch_size, shuffle=True), steps, lr)

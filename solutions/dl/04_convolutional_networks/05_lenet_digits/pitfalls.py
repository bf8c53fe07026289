"""Plausible wrong LeNets and training loops that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from lenet import LeNet


@pitfall(replaces="LeNet.forward", why="forgets the ReLU after fc1: the two linear layers collapse into one")
def no_hidden_relu(self: LeNet, x: torch.Tensor) -> torch.Tensor:
    x = F.max_pool2d(F.relu(self.conv1(x)), 2)
    x = F.max_pool2d(F.relu(self.conv2(x)), 2)
    return self.fc2(self.fc1(x.flatten(1)))


@pitfall(replaces="LeNet.forward", why="average pooling instead of max pooling")
def avg_pooling(self: LeNet, x: torch.Tensor) -> torch.Tensor:
    x = F.avg_pool2d(F.relu(self.conv1(x)), 2)
    x = F.avg_pool2d(F.relu(self.conv2(x)), 2)
    return self.fc2(F.relu(self.fc1(x.flatten(1))))


def _loop(model: LeNet, X: torch.Tensor, y: torch.Tensor, epochs: int, batch_size: int, lr: float, seed: int, *,
          zero_grad: bool = True, optimizer: str = "adam", generator: bool = True, drop_last: bool = False) -> list[float]:
    opt = (torch.optim.Adam if optimizer == "adam" else torch.optim.SGD)(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=g) if generator else torch.randperm(len(X))
        stop = len(X) - batch_size + 1 if drop_last else len(X)
        for start in range(0, stop, batch_size):
            idx = order[start:start + batch_size]
            if zero_grad:
                opt.zero_grad()
            loss = F.cross_entropy(model(X[idx]), y[idx])
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
    return losses


@pitfall(replaces="train", why="never clears the gradients: every step uses the sum of all earlier gradients")
def no_zero_grad(model: LeNet, X: torch.Tensor, y: torch.Tensor, epochs: int, batch_size: int, lr: float,
                 seed: int) -> list[float]:
    return _loop(model, X, y, epochs, batch_size, lr, seed, zero_grad=False)


@pitfall(replaces="train", why="torch.optim.SGD instead of the Adam the docstring asks for")
def plain_sgd(model: LeNet, X: torch.Tensor, y: torch.Tensor, epochs: int, batch_size: int, lr: float,
              seed: int) -> list[float]:
    return _loop(model, X, y, epochs, batch_size, lr, seed, optimizer="sgd")


@pitfall(replaces="train", why="torch.randperm without the seeded generator: the batch order ignores the seed")
def global_shuffle(model: LeNet, X: torch.Tensor, y: torch.Tensor, epochs: int, batch_size: int, lr: float,
                   seed: int) -> list[float]:
    return _loop(model, X, y, epochs, batch_size, lr, seed, generator=False)


@pitfall(replaces="train", why="drops the last short batch of each epoch")
def drop_last(model: LeNet, X: torch.Tensor, y: torch.Tensor, epochs: int, batch_size: int, lr: float,
              seed: int) -> list[float]:
    return _loop(model, X, y, epochs, batch_size, lr, seed, drop_last=True)

"""Reference solution for dl-04-5."""
from __future__ import annotations

import torch
import torch.nn.functional as F


class LeNet(torch.nn.Module):
    def __init__(self, c1: int = 8, c2: int = 16, hidden: int = 32) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(c1, c2, 3)
        self.fc1 = torch.nn.Linear(c2, hidden)
        self.fc2 = torch.nn.Linear(hidden, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def train(model: LeNet, X: torch.Tensor, y: torch.Tensor, epochs: int, batch_size: int, lr: float,
          seed: int) -> list[float]:
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    model.train()
    losses = []
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=g)
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(model(X[idx]), y[idx])
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
    return losses


def accuracy(model: LeNet, X: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return float((model(X).argmax(dim=1) == y).float().mean())

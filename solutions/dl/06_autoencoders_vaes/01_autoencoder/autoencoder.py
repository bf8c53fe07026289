"""Reference solution for dl-06-1."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


class Autoencoder(torch.nn.Module):
    def __init__(self, d: int, k: int, hidden: int = 0) -> None:
        super().__init__()
        if hidden:
            self.encoder = torch.nn.Sequential(torch.nn.Linear(d, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, k))
            self.decoder = torch.nn.Sequential(torch.nn.Linear(k, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, d))
        else:
            self.encoder = torch.nn.Linear(d, k)
            self.decoder = torch.nn.Linear(k, d)
        self.double()

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))


def train_autoencoder(model: Autoencoder, X: torch.Tensor, steps: int, lr: float) -> list[float]:
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = F.mse_loss(model(X), X)
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    return losses


def pca_reconstruction_mse(X: np.ndarray, k: int) -> float:
    mu = X.mean(axis=0)
    Xc = X - mu
    _, _, Vt = np.linalg.svd(Xc, full_matrices=False)
    V = Vt[:k].T
    recon = Xc @ V @ V.T + mu
    return float(np.mean((X - recon) ** 2))

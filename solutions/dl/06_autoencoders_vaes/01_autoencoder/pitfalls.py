"""Plausible wrong autoencoders and PCA baselines that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from autoencoder import Autoencoder


@pitfall(replaces="pca_reconstruction_mse", why="no centring: the SVD of X itself spends a component on the mean")
def uncentred_pca(X: np.ndarray, k: int) -> float:
    _, _, Vt = np.linalg.svd(X, full_matrices=False)
    V = Vt[:k].T
    return float(np.mean((X - X @ V @ V.T) ** 2))


@pitfall(replaces="pca_reconstruction_mse", why="keeps the k smallest components (np.linalg.eigh sorts eigenvalues ascending)")
def smallest_components(X: np.ndarray, k: int) -> float:
    mu = X.mean(axis=0)
    Xc = X - mu
    _, V = np.linalg.eigh(Xc.T @ Xc)
    V = V[:, :k]
    return float(np.mean((Xc - Xc @ V @ V.T) ** 2))


@pitfall(replaces="pca_reconstruction_mse", why="centres X in place (X -= X.mean(0)): the caller's data changes")
def centres_in_place(X: np.ndarray, k: int) -> float:
    X -= X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X, full_matrices=False)
    V = Vt[:k].T
    return float(np.mean((X - X @ V @ V.T) ** 2))


class _NoBias(torch.nn.Module):
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))


@pitfall(replaces="Autoencoder", why="Linear layers without bias: the linear autoencoder cannot represent the data's mean")
class NoBiasAutoencoder(_NoBias):
    def __init__(self, d: int, k: int, hidden: int = 0) -> None:
        super().__init__()
        if hidden:
            self.encoder = torch.nn.Sequential(torch.nn.Linear(d, hidden, bias=False), torch.nn.Tanh(),
                                               torch.nn.Linear(hidden, k, bias=False))
            self.decoder = torch.nn.Sequential(torch.nn.Linear(k, hidden, bias=False), torch.nn.Tanh(),
                                               torch.nn.Linear(hidden, d, bias=False))
        else:
            self.encoder, self.decoder = torch.nn.Linear(d, k, bias=False), torch.nn.Linear(k, d, bias=False)
        self.double()


@pitfall(replaces="Autoencoder.forward", why="a ReLU on the code of the linear autoencoder: half the bottleneck dies")
def relu_code(self: Autoencoder, x: torch.Tensor) -> torch.Tensor:
    return self.decoder(torch.relu(self.encoder(x)))


@pitfall(replaces="train_autoencoder", why="never zeroes the gradients: Adam follows the running sum of all past gradients")
def no_zero_grad(model: Autoencoder, X: torch.Tensor, steps: int, lr: float) -> list[float]:
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss = F.mse_loss(model(X), X)
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    return losses

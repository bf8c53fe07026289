"""dl-06-1: an autoencoder with a bottleneck, and the PCA it converges to. Edit this file;
`grader check dl-06-1` tests it."""
from __future__ import annotations

import numpy as np
import torch


class Autoencoder(torch.nn.Module):
    """encoder = Linear(d, k), decoder = Linear(k, d) (float64, torch's default initialisation, created
    in that order); with hidden > 0 each side gets a hidden layer with a tanh:
    encoder = Sequential(Linear(d, hidden), Tanh(), Linear(hidden, k)), decoder the mirror image.

    encode(x) -> (N, k) codes; forward(x) = decoder(encode(x)) -> (N, d).
    """

    def __init__(self, d: int, k: int, hidden: int = 0) -> None:
        super().__init__()
        raise NotImplementedError("Autoencoder.__init__")

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Autoencoder.encode")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Autoencoder.forward")


def train_autoencoder(model: Autoencoder, X: torch.Tensor, steps: int, lr: float) -> list[float]:
    """Full-batch training with torch.optim.Adam(lr) on the mean squared reconstruction error
    (mean over all N·d entries); returns the loss before each of the `steps` updates."""
    raise NotImplementedError("train_autoencoder: Adam on F.mse_loss(model(X), X)")


def pca_reconstruction_mse(X: np.ndarray, k: int) -> float:
    """The best any rank-k affine reconstruction can do: project the centred data onto its top-k
    principal directions, add the mean back, and return the mean squared error over all entries.
    X is not modified.

    Shapes:
        X: (N, d) float64, 0 <= k <= d
    """
    raise NotImplementedError("pca_reconstruction_mse: centre, SVD, keep k components, measure the error")

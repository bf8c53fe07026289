"""dl-06-3: a β-VAE on digits and latent traversals. Edit this file; `grader check dl-06-3` tests it."""
from __future__ import annotations

import torch


class VAE(torch.nn.Module):
    """Given: an MLP VAE (float64). encode(x) -> (mu, logvar), each (N, k); decode(z) -> logits (N, D)."""

    def __init__(self, d: int, k: int, hidden: int = 64) -> None:
        super().__init__()
        self.enc = torch.nn.Sequential(torch.nn.Linear(d, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 2 * k))
        self.dec = torch.nn.Sequential(torch.nn.Linear(k, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, d))
        self.double()

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mu, logvar = self.enc(x).chunk(2, dim=-1)
        return mu, logvar

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.dec(z)


def beta_vae_loss(model: VAE, x: torch.Tensor, eps: torch.Tensor, beta: float) -> tuple[torch.Tensor, torch.Tensor,
                                                                                        torch.Tensor]:
    """The β-VAE objective for one reparameterised sample z = μ + exp(logvar/2) ⊙ eps:

        loss = mean over the batch of [ recon + β · kl ]
        recon = −Σ_d log Bernoulli(x_d | sigmoid(logits_d))   (from the logits; x in [0, 1])
        kl    = KL(N(μ, σ²) ‖ N(0, I)) summed over the k latent dimensions

    Returns (loss, recon.mean(), kl.mean()); the loss is differentiable.

    Shapes:
        x: (N, D); eps: (N, k)
    """
    raise NotImplementedError("beta_vae_loss: encode, reparameterise with eps, decode, recon + beta * kl")


def train_beta_vae(model: VAE, X: torch.Tensor, beta: float, steps: int, lr: float, seed: int) -> list[float]:
    """Full-batch Adam(lr) on beta_vae_loss; the noise of step t is torch.randn(N, k, generator=g,
    dtype=torch.float64) with g = torch.Generator().manual_seed(seed) created once. Returns every step's loss."""
    raise NotImplementedError("train_beta_vae: fresh eps from g each step, zero_grad, loss, backward, step")


def latent_traversal(model: VAE, x: torch.Tensor, dim: int, values: torch.Tensor) -> torch.Tensor:
    """Decode the posterior mean of one input x (shape (D,)) with latent `dim` replaced by each of
    `values` and the other dimensions kept: row i is sigmoid(decode(z_i)), z_i = μ(x) with z_i[dim] = values[i].
    No gradients are recorded.

    Shapes:
        x: (D,); values: (V,) -> (V, D) probabilities

    Raises:
        ValueError: if dim is not a valid latent index.
    """
    raise NotImplementedError("latent_traversal: mu(x), repeated, one coordinate swept")


def active_units(model: VAE, X: torch.Tensor, threshold: float = 0.01) -> int:
    """How many latent dimensions carry information: those whose mean KL over X (per dimension,
    KL(N(μ_j, σ_j²) ‖ N(0, 1))) exceeds threshold nats."""
    raise NotImplementedError("active_units: per-dimension mean KL over the data, counted above the threshold")

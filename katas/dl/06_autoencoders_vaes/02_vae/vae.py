"""dl-06-2: the pieces of a variational autoencoder. Edit this file; `grader check dl-06-2` tests it.

Diagonal Gaussians are given by a mean and a log-variance (logvar = log σ²), each (N, k).
"""
from __future__ import annotations

import torch


def gaussian_kl(mu_q: torch.Tensor, logvar_q: torch.Tensor, mu_p: torch.Tensor | None = None,
                logvar_p: torch.Tensor | None = None) -> torch.Tensor:
    """KL(q ‖ p) between diagonal Gaussians, summed over the k latent dimensions, in closed form:

        ½ Σ_j [ logvar_p − logvar_q + (σ_q² + (μ_q − μ_p)²) / σ_p² − 1 ]

    p defaults to the standard normal (mu_p = 0, logvar_p = 0).

    Shapes:
        all (N, k) -> (N,)
    """
    raise NotImplementedError("gaussian_kl: the closed form above")


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """z = μ + σ ⊙ ε with σ = exp(logvar / 2): a sample of N(μ, σ²) that is differentiable in μ and logvar.

    Shapes:
        mu, logvar, eps: (N, k) -> (N, k)
    """
    raise NotImplementedError("reparameterize: mu + exp(0.5 * logvar) * eps")


def elbo(x: torch.Tensor, x_logits: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor,
         beta: float = 1.0) -> torch.Tensor:
    """Per-example ELBO with a Bernoulli decoder and a standard-normal prior, for one sample of z:

        log p(x | z) − β · KL(q(z | x) ‖ N(0, I)),   log p(x | z) = Σ_d [x_d log p_d + (1 − x_d) log(1 − p_d)]

    with p = sigmoid(x_logits), computed stably from the logits (x may be any value in [0, 1]).

    Shapes:
        x, x_logits: (N, D); mu, logvar: (N, k) -> (N,)
    """
    raise NotImplementedError("elbo: the Bernoulli log-likelihood from logits minus beta times the KL")

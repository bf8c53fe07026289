"""Plausible wrong VAE pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from vae import gaussian_kl


@pitfall(replaces="gaussian_kl", why="forgets the −1 inside the sum")
def kl_missing_minus_one(mu_q: torch.Tensor, logvar_q: torch.Tensor, mu_p: torch.Tensor | None = None,
                         logvar_p: torch.Tensor | None = None) -> torch.Tensor:
    mu_p = torch.zeros_like(mu_q) if mu_p is None else mu_p
    logvar_p = torch.zeros_like(logvar_q) if logvar_p is None else logvar_p
    return 0.5 * (logvar_p - logvar_q + (logvar_q.exp() + (mu_q - mu_p) ** 2) / logvar_p.exp()).sum(-1)


@pitfall(replaces="gaussian_kl", why="averages over the latent dimensions instead of summing")
def kl_mean_over_dims(mu_q: torch.Tensor, logvar_q: torch.Tensor, mu_p: torch.Tensor | None = None,
                      logvar_p: torch.Tensor | None = None) -> torch.Tensor:
    mu_p = torch.zeros_like(mu_q) if mu_p is None else mu_p
    logvar_p = torch.zeros_like(logvar_q) if logvar_p is None else logvar_p
    return 0.5 * (logvar_p - logvar_q + (logvar_q.exp() + (mu_q - mu_p) ** 2) / logvar_p.exp() - 1).mean(-1)


@pitfall(replaces="gaussian_kl", why="ignores the prior's variance (divides by 1 instead of σ_p²)")
def kl_unit_prior_variance(mu_q: torch.Tensor, logvar_q: torch.Tensor, mu_p: torch.Tensor | None = None,
                           logvar_p: torch.Tensor | None = None) -> torch.Tensor:
    mu_p = torch.zeros_like(mu_q) if mu_p is None else mu_p
    logvar_p = torch.zeros_like(logvar_q) if logvar_p is None else logvar_p
    return 0.5 * (logvar_p - logvar_q + logvar_q.exp() + (mu_q - mu_p) ** 2 - 1).sum(-1)


@pitfall(replaces="reparameterize", why="treats logvar as log σ: z = μ + exp(logvar) ε")
def logvar_as_logstd(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    return mu + torch.exp(logvar) * eps


@pitfall(replaces="reparameterize", why="samples σ ε under no_grad / detached: no gradient reaches logvar")
def detached_noise(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    return mu + (torch.exp(0.5 * logvar) * eps).detach()


@pitfall(replaces="elbo", why="log(sigmoid(logits)) computed naively: saturated logits give log 0 = −inf")
def naive_log_sigmoid(x: torch.Tensor, x_logits: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor,
                      beta: float = 1.0) -> torch.Tensor:
    p = torch.sigmoid(x_logits)
    log_lik = (x * torch.log(p) + (1 - x) * torch.log(1 - p)).sum(-1)
    return log_lik - beta * gaussian_kl(mu, logvar)


@pitfall(replaces="elbo", why="ignores beta")
def no_beta(x: torch.Tensor, x_logits: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor,
            beta: float = 1.0) -> torch.Tensor:
    return -F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").sum(-1) - gaussian_kl(mu, logvar)


@pitfall(replaces="elbo", why="adds the KL instead of subtracting it")
def kl_sign(x: torch.Tensor, x_logits: torch.Tensor, mu: torch.Tensor, logvar: torch.Tensor,
            beta: float = 1.0) -> torch.Tensor:
    return -F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").sum(-1) + beta * gaussian_kl(mu, logvar)

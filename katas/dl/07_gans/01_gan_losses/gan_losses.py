"""dl-07-1: GAN losses on discriminator logits. Edit this file; `grader check dl-07-1` tests it.

D(x) = sigmoid(logit). All losses are means over the batch, computed stably from logits (finite
for logits of any size), and returned as 0-d tensors that can be differentiated.
"""
from __future__ import annotations

import torch


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, smooth: float = 0.0) -> torch.Tensor:
    """−mean log D(x_real)·(1 − smooth) − mean log(1 − D(x_real))·smooth − mean log(1 − D(x_fake)):
    binary cross-entropy with target 1 − smooth for real samples (one-sided label smoothing) and 0 for
    fakes (never smoothed).

    Shapes:
        real_logits: (N_r,); fake_logits: (N_f,) -> ()

    Raises:
        ValueError: if smooth is not in [0, 0.5).
    """
    raise NotImplementedError("discriminator_loss: BCE with logits, real target 1 - smooth, fake target 0")


def generator_loss_minimax(fake_logits: torch.Tensor) -> torch.Tensor:
    """The original minimax generator objective to minimise: mean log(1 − D(G(z))).

    Shapes:
        fake_logits: (N,) -> ()
    """
    raise NotImplementedError("generator_loss_minimax: mean of log(1 - sigmoid(l)), from the logits")


def generator_loss_nonsaturating(fake_logits: torch.Tensor) -> torch.Tensor:
    """The non-saturating generator objective to minimise: −mean log D(G(z)).

    Shapes:
        fake_logits: (N,) -> ()
    """
    raise NotImplementedError("generator_loss_nonsaturating: -mean of log(sigmoid(l)), from the logits")

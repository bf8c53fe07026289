"""rl-04-2: world model, latent dynamics and imagined rollouts. Edit this file; `grader check rl-04-2` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn


def mlp(n_in: int, n_out: int, hidden: int = 64) -> nn.Module:
    return nn.Sequential(nn.Linear(n_in, hidden), nn.ELU(), nn.Linear(hidden, n_out))


class WorldModel(nn.Module):
    """Encoder, decoder, latent dynamics and reward head (given)."""

    def __init__(self, obs_dim: int, act_dim: int, latent_dim: int = 8) -> None:
        super().__init__()
        self.encoder, self.decoder = mlp(obs_dim, latent_dim), mlp(latent_dim, obs_dim)
        self.dynamics, self.reward_head = mlp(latent_dim + act_dim, latent_dim), mlp(latent_dim + act_dim, 1)

    def encode(self, obs: torch.Tensor) -> torch.Tensor:
        return self.encoder(obs)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def step(self, z: torch.Tensor, action: torch.Tensor) -> torch.Tensor:
        """Next latent: z + MLP(z, a)."""
        return z + self.dynamics(torch.cat([z, action], -1))

    def reward(self, z: torch.Tensor, action: torch.Tensor) -> torch.Tensor:
        return self.reward_head(torch.cat([z, action], -1)).squeeze(-1)


def world_model_loss(model: WorldModel, obs: torch.Tensor, actions: torch.Tensor, rewards: torch.Tensor,
                     next_obs: torch.Tensor, w_recon: float = 1.0, w_latent: float = 1.0,
                     w_reward: float = 1.0) -> dict[str, torch.Tensor]:
    """The world model's training loss on a batch of transitions, as a dict of scalar tensors:

        z      = encode(obs)
        recon  = mean( (decode(z) - obs)^2 )
        latent = mean( (step(z, a) - encode(next_obs).detach())^2 )     (the next latent is a target)
        reward = mean( (reward(z, a) - r)^2 )
        loss   = w_recon * recon + w_latent * latent + w_reward * reward

    Keys "loss", "recon", "latent", "reward" (means over every element). Inputs are not modified.

    Shapes:
        obs, next_obs: (B, obs_dim); actions: (B, act_dim); rewards: (B,)
    """
    raise NotImplementedError("world_model_loss: reconstruction + latent prediction + reward prediction")


def imagine(model: WorldModel, obs0: torch.Tensor, policy: Callable[[torch.Tensor], torch.Tensor],
            horizon: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Roll the policy out inside the model, never touching the environment or decoding:

        z_0 = encode(obs0);  for t < horizon: a_t = policy(z_t); r_t = reward(z_t, a_t); z_t+1 = step(z_t, a_t)

    obs0 is not modified.

    Raises:
        ValueError: horizon < 1.

    Shapes:
        obs0: (B, obs_dim)
        returns: latents (horizon + 1, B, latent_dim), actions (horizon, B, act_dim), rewards (horizon, B)
    """
    raise NotImplementedError("imagine: encode once, then step the latent dynamics with the policy")


def discounted_return(rewards: torch.Tensor, gamma: float) -> torch.Tensor:
    """sum_t gamma^t rewards[t] for each imagined trajectory (column).

    Shapes:
        rewards: (H, B); returns: (B,)
    """
    raise NotImplementedError("discounted_return: weight row t by gamma**t and sum")


def train_world_model(obs: np.ndarray, actions: np.ndarray, rewards: np.ndarray, next_obs: np.ndarray, seed: int,
                      steps: int = 500, lr: float = 3e-3) -> WorldModel:
    """torch.manual_seed(seed), build WorldModel(obs_dim, act_dim), then `steps` full-batch Adam(lr) steps
    on world_model_loss (default weights), in float32 whatever the inputs' float dtype. Same seed, same model."""
    raise NotImplementedError("train_world_model: minimise world_model_loss on the whole data set")

"""Reference solution for rl-04-2."""
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
    z = model.encode(obs)
    recon = ((model.decode(z) - obs) ** 2).mean()
    target = model.encode(next_obs).detach()
    latent = ((model.step(z, actions) - target) ** 2).mean()
    reward = ((model.reward(z, actions) - rewards) ** 2).mean()
    return {"loss": w_recon * recon + w_latent * latent + w_reward * reward, "recon": recon, "latent": latent,
            "reward": reward}


def imagine(model: WorldModel, obs0: torch.Tensor, policy: Callable[[torch.Tensor], torch.Tensor],
            horizon: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}")
    z = model.encode(obs0)
    latents, actions, rewards = [z], [], []
    for _ in range(horizon):
        a = policy(z)
        rewards.append(model.reward(z, a))
        z = model.step(z, a)
        latents.append(z)
        actions.append(a)
    return torch.stack(latents), torch.stack(actions), torch.stack(rewards)


def discounted_return(rewards: torch.Tensor, gamma: float) -> torch.Tensor:
    discount = gamma ** torch.arange(rewards.shape[0], dtype=rewards.dtype)
    return (discount[:, None] * rewards).sum(0)


def train_world_model(obs: np.ndarray, actions: np.ndarray, rewards: np.ndarray, next_obs: np.ndarray, seed: int,
                      steps: int = 500, lr: float = 3e-3) -> WorldModel:
    torch.manual_seed(seed)
    model = WorldModel(obs.shape[1], actions.shape[1])
    o, a, r, n = (torch.as_tensor(x, dtype=torch.float32) for x in (obs, actions, rewards, next_obs))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        loss = world_model_loss(model, o, a, r, n)["loss"]
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model

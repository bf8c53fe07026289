"""Plausible wrong world-model pieces that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from world_model import WorldModel


@pitfall(replaces="world_model_loss", why="the latent target encode(next_obs) is not detached")
def target_not_detached(model: WorldModel, obs: torch.Tensor, actions: torch.Tensor, rewards: torch.Tensor,
                        next_obs: torch.Tensor, w_recon: float = 1.0, w_latent: float = 1.0,
                        w_reward: float = 1.0) -> dict[str, torch.Tensor]:
    z = model.encode(obs)
    recon = ((model.decode(z) - obs) ** 2).mean()
    latent = ((model.step(z, actions) - model.encode(next_obs)) ** 2).mean()
    reward = ((model.reward(z, actions) - rewards) ** 2).mean()
    return {"loss": w_recon * recon + w_latent * latent + w_reward * reward, "recon": recon, "latent": latent,
            "reward": reward}


@pitfall(replaces="world_model_loss", why="predicts the current latent (encode(obs)) instead of the next one")
def predicts_current(model: WorldModel, obs: torch.Tensor, actions: torch.Tensor, rewards: torch.Tensor,
                     next_obs: torch.Tensor, w_recon: float = 1.0, w_latent: float = 1.0,
                     w_reward: float = 1.0) -> dict[str, torch.Tensor]:
    z = model.encode(obs)
    recon = ((model.decode(z) - obs) ** 2).mean()
    latent = ((model.step(z, actions) - z.detach()) ** 2).mean()
    reward = ((model.reward(z, actions) - rewards) ** 2).mean()
    return {"loss": w_recon * recon + w_latent * latent + w_reward * reward, "recon": recon, "latent": latent,
            "reward": reward}


@pitfall(replaces="world_model_loss", why="reconstruction summed over features instead of averaged")
def recon_sum(model: WorldModel, obs: torch.Tensor, actions: torch.Tensor, rewards: torch.Tensor,
              next_obs: torch.Tensor, w_recon: float = 1.0, w_latent: float = 1.0,
              w_reward: float = 1.0) -> dict[str, torch.Tensor]:
    z = model.encode(obs)
    recon = ((model.decode(z) - obs) ** 2).sum(-1).mean()
    latent = ((model.step(z, actions) - model.encode(next_obs).detach()) ** 2).mean()
    reward = ((model.reward(z, actions) - rewards) ** 2).mean()
    return {"loss": w_recon * recon + w_latent * latent + w_reward * reward, "recon": recon, "latent": latent,
            "reward": reward}


@pitfall(replaces="imagine", why="re-encodes the decoded observation at every step instead of staying in latent space")
def reencodes(model: WorldModel, obs0: torch.Tensor, policy: Callable[[torch.Tensor], torch.Tensor],
              horizon: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if horizon < 1:
        raise ValueError("horizon")
    z = model.encode(obs0)
    latents, actions, rewards = [z], [], []
    for _ in range(horizon):
        a = policy(z)
        rewards.append(model.reward(z, a))
        z = model.encode(model.decode(model.step(z, a)))
        latents.append(z)
        actions.append(a)
    return torch.stack(latents), torch.stack(actions), torch.stack(rewards)


@pitfall(replaces="imagine", why="scores the reward at the next latent, reward(z', a), instead of reward(z, a)")
def reward_after_step(model: WorldModel, obs0: torch.Tensor, policy: Callable[[torch.Tensor], torch.Tensor],
                      horizon: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if horizon < 1:
        raise ValueError("horizon")
    z = model.encode(obs0)
    latents, actions, rewards = [z], [], []
    for _ in range(horizon):
        a = policy(z)
        z = model.step(z, a)
        rewards.append(model.reward(z, a))
        latents.append(z)
        actions.append(a)
    return torch.stack(latents), torch.stack(actions), torch.stack(rewards)


@pitfall(replaces="discounted_return", why="discounts the first reward too (gamma^(t+1))")
def discount_off_by_one(rewards: torch.Tensor, gamma: float) -> torch.Tensor:
    discount = gamma ** torch.arange(1, rewards.shape[0] + 1, dtype=rewards.dtype)
    return (discount[:, None] * rewards).sum(0)
